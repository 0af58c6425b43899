// SPDX-License-Identifier: GPL-2.0
/*
 * VF settings through rtnetlink (IFLA_VFINFO_LIST / IFLA_VF_*) with
 * libnl-route-3's rtnl_link_vf_* API. Each attribute is its own RTM_SETLINK
 * so that the driver's refusal names the attribute; what was applied before
 * a refusal is put back, so a failed `set` changes nothing.
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>
#include <stdio.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/sriov.h"
#include "triovm/sysfs.h"
#include "triovm/util.h"

int sriov_vf__build_request(int ifindex, unsigned int idx,
			    enum sriov_vf_attr attr,
			    const struct sriov_vf_config *want,
			    const struct sriov_vf_config *cur,
			    struct nl_msg **msg)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *chg = rtnl_link_alloc();
	struct rtnl_link_vf *vf = rtnl_link_vf_alloc();
	struct nl_vf_rate rate;
	nl_vf_vlans_t *vlans = NULL;
	struct nl_addr *addr = NULL;
	int ret = -ENOMEM;

	if (!orig || !chg || !vf)
		goto out;
	rtnl_link_set_ifindex(orig, ifindex);
	rtnl_link_vf_set_index(vf, idx);
	switch (attr) {
	case SRIOV_VF_MAC:
		addr = nl_addr_build(AF_LLC, want->mac, 6);
		if (!addr)
			goto out;
		rtnl_link_vf_set_addr(vf, addr);
		break;
	case SRIOV_VF_VLAN:
		if (rtnl_link_vf_vlan_alloc(&vlans, 1) < 0)
			goto out;
		vlans->vlans[0].vf_vlan = want->vlan;
		vlans->vlans[0].vf_vlan_qos = want->qos;
		vlans->vlans[0].vf_vlan_proto = ETH_P_8021Q;
		rtnl_link_vf_set_vlans(vf, vlans);
		break;
	case SRIOV_VF_SPOOFCHK:
		rtnl_link_vf_set_spoofchk(vf, want->spoofchk);
		break;
	case SRIOV_VF_TRUST:
		rtnl_link_vf_set_trust(vf, want->trust);
		break;
	case SRIOV_VF_LINK:
		rtnl_link_vf_set_linkstate(vf, want->link);
		break;
	case SRIOV_VF_RATE:
		/* libnl sends 0 for a rate left out: keep the current one. */
		memset(&rate, 0, sizeof(rate));
		rate.api = RTNL_LINK_VF_RATE_API_NEW;
		rate.min_tx_rate = want->have_min ? want->min_rate :
				   cur		  ? cur->min_rate :
						    0;
		rate.max_tx_rate = want->have_max ? want->max_rate :
				   cur		  ? cur->max_rate :
						    0;
		rtnl_link_vf_set_rate(vf, &rate);
		break;
	default:
		ret = -EINVAL;
		goto out;
	}
	ret = rtnl_link_vf_add(chg, vf);
	if (ret < 0)
		goto out;
	ret = rtnl_link_build_change_request(orig, chg, 0, msg);
	ret = ret < 0 ? -EINVAL : 0;
out:
	if (addr)
		nl_addr_put(addr);
	if (vlans)
		rtnl_link_vf_vlan_put(vlans);
	if (vf)
		rtnl_link_vf_put(vf);
	if (chg)
		rtnl_link_put(chg);
	if (orig)
		rtnl_link_put(orig);
	return ret;
}

static struct nl_sock *rtnl_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk)
		return NULL;
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

struct show_ctx {
	struct sriov_vf_config *out;
	int max, nr;
};

static void link_obj(struct nl_object *obj, void *arg)
{
	struct rtnl_link *link = (struct rtnl_link *)obj;
	struct show_ctx *c = arg;
	uint32_t n = 0, i;

	rtnl_link_get_num_vf(link, &n);
	for (i = 0; i < n && c->nr < c->max; i++) {
		struct rtnl_link_vf *vf = rtnl_link_vf_get(link, i);
		struct sriov_vf_config *o = &c->out[c->nr];
		struct nl_addr *a = NULL;
		nl_vf_vlans_t *vl = NULL;
		struct nl_vf_rate r;
		uint32_t v;

		if (!vf)
			break;
		memset(o, 0, sizeof(*o));
		if (!rtnl_link_vf_get_addr(vf, &a) && a &&
		    nl_addr_get_len(a) == 6) {
			memcpy(o->mac, nl_addr_get_binary_addr(a), 6);
			o->set |= BIT(SRIOV_VF_MAC);
		}
		if (!rtnl_link_vf_get_vlans(vf, &vl) && vl && vl->size > 0) {
			o->vlan = vl->vlans[0].vf_vlan;
			o->qos = vl->vlans[0].vf_vlan_qos;
			o->set |= BIT(SRIOV_VF_VLAN);
		}
		if (!rtnl_link_vf_get_spoofchk(vf, &v)) {
			o->spoofchk = v;
			o->set |= BIT(SRIOV_VF_SPOOFCHK);
		}
		if (!rtnl_link_vf_get_trust(vf, &v)) {
			o->trust = v;
			o->set |= BIT(SRIOV_VF_TRUST);
		}
		if (!rtnl_link_vf_get_linkstate(vf, &v)) {
			o->link = v;
			o->set |= BIT(SRIOV_VF_LINK);
		}
		memset(&r, 0, sizeof(r));
		if (!rtnl_link_vf_get_rate(vf, &r)) {
			o->min_rate = r.min_tx_rate;
			o->max_rate = r.max_tx_rate ? r.max_tx_rate : r.rate;
			o->have_min = o->have_max = true;
			o->set |= BIT(SRIOV_VF_RATE);
		}
		rtnl_link_vf_put(vf);
		c->nr++;
	}
}

static int link_msg(struct nl_msg *msg, void *arg)
{
	nl_msg_parse(msg, link_obj, arg);
	return NL_OK;
}

int sriov_vf__show(const char *ifname, struct sriov_vf_config *out, int max,
		   int *nr)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct show_ctx c = { .out = out, .max = max };
	struct nl_msg *msg = NULL;
	struct nl_sock *sk;
	int ret;

	ifi.ifi_index = if_nametoindex(ifname);
	if (!ifi.ifi_index) {
		pr_err("%s: no such network interface", ifname);
		return -ENODEV;
	}
	sk = rtnl_open();
	if (!sk) {
		pr_err("cannot open a route netlink socket");
		return -EIO;
	}
	/* VF information only comes back when asked for (RTEXT_FILTER_VF). */
	msg = nlmsg_alloc_simple(RTM_GETLINK, 0);
	ret = -ENOMEM;
	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_VF) < 0)
		goto out;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, link_msg, &c);
	if (nl_send_auto(sk, msg) < 0 || (ret = nl_recvmsgs_default(sk)) < 0) {
		pr_err("%s: reading its VFs over netlink: %s", ifname,
		       nl_geterror(ret));
		ret = -EIO;
		goto out;
	}
	*nr = c.nr;
	ret = 0;
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return ret;
}

static int send_one(struct nl_sock *sk, int ifindex, unsigned int idx,
		    enum sriov_vf_attr a, const struct sriov_vf_config *want,
		    const struct sriov_vf_config *cur)
{
	struct nl_msg *msg;
	int ret = sriov_vf__build_request(ifindex, idx, a, want, cur, &msg);

	if (ret)
		return ret;
	ret = nl_send_sync(sk, msg); /* frees msg, waits for the ACK */
	return ret;
}

int sriov_vf__set(const char *ifname, unsigned int idx,
		  const struct sriov_vf_config *want, const char *driver)
{
	struct sriov_vf_config cur[256];
	int ifindex = if_nametoindex(ifname), nr = 0, ret, a, b;
	struct nl_sock *sk;

	if (!ifindex) {
		pr_err("%s: no such network interface", ifname);
		return -ENODEV;
	}
	ret = sriov_vf__show(ifname, cur, ARRAY_SIZE(cur), &nr);
	if (ret)
		return ret;
	if ((int)idx >= nr) {
		if (!nr)
			pr_err("%s has no VFs (enable them first: triovm sriov enable PF N)",
			       ifname);
		else
			pr_err("%s has %d VFs; there is no VF %u", ifname, nr,
			       idx);
		return -ENOENT;
	}
	sk = rtnl_open();
	if (!sk) {
		pr_err("cannot open a route netlink socket");
		return -EIO;
	}
	for (a = 0; a < SRIOV_VF_NR_ATTRS; a++) {
		if (!(want->set & BIT(a)))
			continue;
		ret = send_one(sk, ifindex, idx, a, want, &cur[idx]);
		if (ret >= 0)
			continue;
		if (ret == -NLE_OPNOTSUPP)
			pr_err("set %s on VF %u of %s: the PF's driver (%s) does not support it",
			       sriov_vf_attr__name(a), idx, ifname,
			       driver && *driver ? driver : "unknown");
		else
			pr_err("set %s on VF %u of %s: %s (driver %s)",
			       sriov_vf_attr__name(a), idx, ifname,
			       nl_geterror(ret),
			       driver && *driver ? driver : "unknown");
		/* Put back what this command already changed. */
		for (b = 0; b < a; b++)
			if ((want->set & BIT(b)) && (cur[idx].set & BIT(b)))
				send_one(sk, ifindex, idx, b, &cur[idx],
					 &cur[idx]);
		nl_socket_free(sk);
		return ret == -NLE_OPNOTSUPP ? -EOPNOTSUPP : -EIO;
	}
	nl_socket_free(sk);
	return 0;
}
