// SPDX-License-Identifier: GPL-2.0
/* Parsing `triovm sriov set`'s VF attributes. */
#include <errno.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/net.h"
#include "triovm/options.h"
#include "triovm/sriov.h"
#include "triovm/util.h"

static const char *const attr_names[SRIOV_VF_NR_ATTRS] = {
	[SRIOV_VF_MAC] = "mac",		  [SRIOV_VF_VLAN] = "vlan",
	[SRIOV_VF_SPOOFCHK] = "spoofchk", [SRIOV_VF_TRUST] = "trust",
	[SRIOV_VF_LINK] = "link",	  [SRIOV_VF_RATE] = "rate",
};

const char *sriov_vf_attr__name(enum sriov_vf_attr a)
{
	return a < SRIOV_VF_NR_ATTRS ? attr_names[a] : "?";
}

static int on_off(const char *key, const char *v, bool *out)
{
	if (v && !strcmp(v, "on"))
		*out = true;
	else if (v && !strcmp(v, "off"))
		*out = false;
	else {
		pr_err("%s must be on or off", key);
		return -EINVAL;
	}
	return 0;
}

static int rate_part(const char *s, size_t n, uint32_t *out, bool *have)
{
	char buf[16];
	unsigned long long v;

	*have = n > 0;
	if (!n)
		return 0;
	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (parse_uint(buf, 0, UINT32_MAX, &v))
		return -EINVAL;
	*out = v;
	return 0;
}

int sriov_vf_config__parse(int argc, char **argv, struct sriov_vf_config *c)
{
	bool have_qos = false;
	unsigned long long v;
	int i;

	memset(c, 0, sizeof(*c));
	if (!argc) {
		pr_err("nothing to set (mac= vlan= qos= spoofchk= trust= link= rate=)");
		return -EINVAL;
	}
	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '='), key[16];
		const char *val = eq ? eq + 1 : NULL;
		size_t klen = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);

		if (klen >= sizeof(key) || !val || !*val) {
			pr_err("'%s' is not KEY=VALUE", argv[i]);
			return -EINVAL;
		}
		memcpy(key, argv[i], klen);
		key[klen] = '\0';
		if (!strcmp(key, "mac")) {
			if (net__parse_mac(val, c->mac)) {
				pr_err("mac=%s is not a unicast MAC address",
				       val);
				return -EINVAL;
			}
			c->set |= BIT(SRIOV_VF_MAC);
		} else if (!strcmp(key, "vlan")) {
			if (parse_uint(val, 0, 4095, &v)) {
				pr_err("vlan=%s is not a VLAN ID from 0 to 4095",
				       val);
				return -EINVAL;
			}
			c->vlan = v;
			c->set |= BIT(SRIOV_VF_VLAN);
		} else if (!strcmp(key, "qos")) {
			if (parse_uint(val, 0, 7, &v)) {
				pr_err("qos=%s is not a priority from 0 to 7",
				       val);
				return -EINVAL;
			}
			c->qos = v;
			have_qos = true;
		} else if (!strcmp(key, "spoofchk")) {
			if (on_off(key, val, &c->spoofchk))
				return -EINVAL;
			c->set |= BIT(SRIOV_VF_SPOOFCHK);
		} else if (!strcmp(key, "trust")) {
			if (on_off(key, val, &c->trust))
				return -EINVAL;
			c->set |= BIT(SRIOV_VF_TRUST);
		} else if (!strcmp(key, "link")) {
			if (!strcmp(val, "auto"))
				c->link = SRIOV_LINK_AUTO;
			else if (!strcmp(val, "enable"))
				c->link = SRIOV_LINK_ENABLE;
			else if (!strcmp(val, "disable"))
				c->link = SRIOV_LINK_DISABLE;
			else {
				pr_err("link must be auto, enable or disable");
				return -EINVAL;
			}
			c->set |= BIT(SRIOV_VF_LINK);
		} else if (!strcmp(key, "rate")) {
			const char *colon = strchr(val, ':');

			if (!colon ||
			    rate_part(val, colon - val, &c->min_rate,
				      &c->have_min) ||
			    rate_part(colon + 1, strlen(colon + 1),
				      &c->max_rate, &c->have_max) ||
			    (!c->have_min && !c->have_max) ||
			    (c->have_min && c->have_max && c->max_rate &&
			     c->min_rate > c->max_rate)) {
				pr_err("rate=%s is not MIN:MAX in Mb/s (either may be empty; MIN <= MAX)",
				       val);
				return -EINVAL;
			}
			c->set |= BIT(SRIOV_VF_RATE);
		} else {
			pr_err("unknown VF attribute '%s' (mac vlan qos spoofchk trust link rate)",
			       key);
			return -EINVAL;
		}
	}
	if (have_qos && !(c->set & BIT(SRIOV_VF_VLAN))) {
		pr_err("qos= needs vlan=");
		return -EINVAL;
	}
	return 0;
}
