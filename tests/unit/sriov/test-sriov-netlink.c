// SPDX-License-Identifier: GPL-2.0
/*
 * The link-change requests `triovm sriov set` sends, one per attribute,
 * built with libnl and inspected attribute by attribute without sending.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <string.h>

#include "triovm/sriov.h"
#include "triovm/util.h"

#define IFINDEX 7
#define VF 3

/* The IFLA_VF_INFO nest of the request, after checking the envelope. */
static struct nlattr *vf_info(struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct ifinfomsg *ifi = nlmsg_data(h);
	struct nlattr *list, *info;

	/* libnl changes links with RTM_NEWLINK on an existing ifindex. */
	assert_true(h->nlmsg_type == RTM_NEWLINK ||
		    h->nlmsg_type == RTM_SETLINK);
	assert_int_equal(ifi->ifi_index, IFINDEX);
	list = nlmsg_find_attr(h, sizeof(*ifi), IFLA_VFINFO_LIST);
	assert_non_null(list);
	info = nla_find(nla_data(list), nla_len(list), IFLA_VF_INFO);
	assert_non_null(info);
	return info;
}

static void *vf_attr(struct nlattr *info, int type, size_t size)
{
	struct nlattr *a = nla_find(nla_data(info), nla_len(info), type);

	assert_non_null(a);
	assert_true((size_t)nla_len(a) >= size);
	return nla_data(a);
}

/* Only the attribute asked for is in the request. */
static void only(struct nlattr *info, int type)
{
	struct nlattr *a;
	int rem, n = 0;

	nla_for_each_nested(a, info, rem)
	{
		n++;
		assert_int_equal(nla_type(a), type);
	}
	assert_int_equal(n, 1);
}

static struct nl_msg *build(enum sriov_vf_attr attr,
			    const struct sriov_vf_config *want,
			    const struct sriov_vf_config *cur)
{
	struct nl_msg *msg = NULL;

	assert_int_equal(
		sriov_vf__build_request(IFINDEX, VF, attr, want, cur, &msg), 0);
	assert_non_null(msg);
	return msg;
}

static void test_mac(void **state)
{
	struct sriov_vf_config w = { .mac = { 2, 0x11, 0x22, 0x33, 0x44,
					      0x55 } };
	struct nl_msg *m = build(SRIOV_VF_MAC, &w, NULL);
	struct nlattr *info = vf_info(m);
	struct ifla_vf_mac *mac = vf_attr(info, IFLA_VF_MAC, sizeof(*mac));

	only(info, IFLA_VF_MAC);
	assert_int_equal(mac->vf, VF);
	assert_memory_equal(mac->mac, w.mac, 6);
	nlmsg_free(m);
}

static void test_vlan_qos(void **state)
{
	struct sriov_vf_config w = { .vlan = 100, .qos = 3 };
	struct nl_msg *m = build(SRIOV_VF_VLAN, &w, NULL);
	struct nlattr *info = vf_info(m), *list, *a;
	struct ifla_vf_vlan_info *vi = NULL;
	int rem;

	/* libnl sends the VLAN list form (IFLA_VF_VLAN_LIST/VLAN_INFO). */
	list = nla_find(nla_data(info), nla_len(info), IFLA_VF_VLAN_LIST);
	if (list) {
		nla_for_each_nested(a, list,
				    rem) if (nla_type(a) == IFLA_VF_VLAN_INFO)
			vi = nla_data(a);
		assert_non_null(vi);
		assert_int_equal(vi->vf, VF);
		assert_int_equal(vi->vlan, 100);
		assert_int_equal(vi->qos, 3);
		assert_int_equal(vi->vlan_proto, htons(ETH_P_8021Q));
	} else {
		struct ifla_vf_vlan *v =
			vf_attr(info, IFLA_VF_VLAN, sizeof(*v));

		assert_int_equal(v->vf, VF);
		assert_int_equal(v->vlan, 100);
		assert_int_equal(v->qos, 3);
	}
	nlmsg_free(m);
}

static void test_flags(void **state)
{
	struct sriov_vf_config w = { .spoofchk = true,
				     .trust = false,
				     .link = SRIOV_LINK_DISABLE };
	struct nl_msg *m;
	struct ifla_vf_spoofchk *sc;
	struct ifla_vf_trust *tr;
	struct ifla_vf_link_state *ls;

	m = build(SRIOV_VF_SPOOFCHK, &w, NULL);
	sc = vf_attr(vf_info(m), IFLA_VF_SPOOFCHK, sizeof(*sc));
	only(vf_info(m), IFLA_VF_SPOOFCHK);
	assert_int_equal(sc->vf, VF);
	assert_int_equal(sc->setting, 1);
	nlmsg_free(m);

	m = build(SRIOV_VF_TRUST, &w, NULL);
	tr = vf_attr(vf_info(m), IFLA_VF_TRUST, sizeof(*tr));
	assert_int_equal(tr->vf, VF);
	assert_int_equal(tr->setting, 0);
	nlmsg_free(m);

	m = build(SRIOV_VF_LINK, &w, NULL);
	ls = vf_attr(vf_info(m), IFLA_VF_LINK_STATE, sizeof(*ls));
	assert_int_equal(ls->vf, VF);
	assert_int_equal(ls->link_state, IFLA_VF_LINK_STATE_DISABLE);
	nlmsg_free(m);
}

static void test_rate_keeps_the_other_bound(void **state)
{
	struct sriov_vf_config w = { .max_rate = 500, .have_max = true };
	struct sriov_vf_config cur = { .min_rate = 100, .max_rate = 1000 };
	struct nl_msg *m = build(SRIOV_VF_RATE, &w, &cur);
	struct ifla_vf_rate *r = vf_attr(vf_info(m), IFLA_VF_RATE, sizeof(*r));

	/* rate=:500 changes the maximum and keeps the current minimum. */
	assert_int_equal(r->vf, VF);
	assert_int_equal(r->min_tx_rate, 100);
	assert_int_equal(r->max_tx_rate, 500);
	nlmsg_free(m);
}

static void test_parse(void **state)
{
	struct sriov_vf_config c;
	char *good[] = { "mac=02:11:22:33:44:55",
			 "vlan=100",
			 "qos=3",
			 "spoofchk=on",
			 "trust=off",
			 "link=enable",
			 "rate=10:20" };
	char *bad[][2] = {
		{ "vlan=4096", NULL },
		{ "qos=1", NULL },
		{ "mac=01:00:5e:00:00:01", NULL },
		{ "spoofchk=yes", NULL },
		{ "link=up", NULL },
		{ "rate=20:10", NULL },
		{ "rate=:", NULL },
		{ "rate=5", NULL },
		{ "color=red", NULL },
		{ "trust", NULL },
	};
	int i;

	assert_int_equal(sriov_vf_config__parse(ARRAY_SIZE(good), good, &c), 0);
	assert_int_equal(c.set,
			 BIT(SRIOV_VF_MAC) | BIT(SRIOV_VF_VLAN) |
				 BIT(SRIOV_VF_SPOOFCHK) | BIT(SRIOV_VF_TRUST) |
				 BIT(SRIOV_VF_LINK) | BIT(SRIOV_VF_RATE));
	assert_int_equal(c.qos, 3);
	assert_true(c.have_min && c.have_max);
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++)
		assert_int_equal(sriov_vf_config__parse(1, bad[i], &c),
				 -EINVAL);
	assert_int_equal(sriov_vf_config__parse(0, good, &c), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_vlan_qos),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_rate_keeps_the_other_bound),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
