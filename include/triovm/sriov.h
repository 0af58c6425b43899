/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SR-IOV physical and virtual functions on the host: discovery (libpci and
 * sysfs), the VF lifecycle (sysfs), and per-VF settings (netlink with
 * libnl-route-3). Functions take the sysfs root so tests can run them on a
 * tree they build.
 */
#ifndef TRIOVM_SRIOV_H
#define TRIOVM_SRIOV_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci-addr.h"

/* The SR-IOV extended capability (PCIe base spec, 9.3.3). */
struct sriov_cap {
	uint16_t offset; /* of the capability in config space */
	uint16_t ctrl;
	uint16_t initial_vfs, total_vfs, num_vfs;
	uint16_t vf_offset, vf_stride;
	uint16_t vf_device;
};

/*
 * Find and decode the SR-IOV capability in `len` bytes of config space
 * (a walk of the extended capability list that cannot loop). Returns 0,
 * -ENOENT when there is none, -EINVAL for malformed bytes.
 */
int sriov_cap__parse(const uint8_t *cfg, size_t len, struct sriov_cap *cap);

/*
 * The address of VF `n` (0-based) of `pf`: routing ID = PF RID + offset +
 * n * stride, which may cross bus numbers. -ERANGE past bus 255.
 */
int sriov__vf_addr(const struct pci_addr *pf, const struct sriov_cap *cap,
		   unsigned int n, struct pci_addr *vf);

struct sriov_vf {
	struct pci_addr addr;
	unsigned int index;
	char driver[64]; /* "" when unbound */
	int iommu_group; /* -1 without an IOMMU */
};

#define SRIOV_MAX_NETDEVS 4

struct sriov_pf {
	struct pci_addr addr;
	uint16_t vendor, device;
	struct sriov_cap cap; /* from config space (libpci) */
	unsigned int sysfs_total, sysfs_num; /* sriov_totalvfs, sriov_numvfs */
	bool autoprobe;
	char driver[64];
	char netdevs[SRIOV_MAX_NETDEVS][IFNAMSIZ];
	int nr_netdevs;
	struct sriov_vf *vfs;
	int nr_vfs;
};

/*
 * Every SR-IOV capable PF under `sysfs` (libpci reads its config space,
 * sysfs the kernel's view). Free with sriov__free_pfs().
 */
int sriov__discover(const char *sysfs, struct sriov_pf **pfs, int *nr);
void sriov__free_pfs(struct sriov_pf *pfs, int nr);
/* One PF by address: -ENODEV if absent, -EOPNOTSUPP without SR-IOV. */
int sriov__get_pf(const char *sysfs, const struct pci_addr *a,
		  struct sriov_pf *pf);

/* Lifecycle. Each prints one line saying why on failure. */
int sriov__enable(const char *sysfs, const struct pci_addr *pf, unsigned int n,
		  bool autoprobe, bool force);
int sriov__disable(const char *sysfs, const struct pci_addr *pf, bool force);
/*
 * Whether a VF may be in a guest's hands: bound to vfio-pci (the only way a
 * guest can hold it). `why` says so. Returns true if in use.
 */
bool sriov__vf_in_use(const char *sysfs, const struct sriov_vf *vf, char *why,
		      size_t len);
/* The PF a VF belongs to (its physfn link); -ENODEV if not a VF. */
int sriov__vf_pf(const char *sysfs, const struct pci_addr *vf,
		 struct pci_addr *pf, unsigned int *index);

/* VF settings (IFLA_VF_*), one attribute per request. */
enum sriov_vf_attr {
	SRIOV_VF_MAC,
	SRIOV_VF_VLAN, /* with qos */
	SRIOV_VF_SPOOFCHK,
	SRIOV_VF_TRUST,
	SRIOV_VF_LINK,
	SRIOV_VF_RATE,
	SRIOV_VF_NR_ATTRS,
};

#define SRIOV_LINK_AUTO 0
#define SRIOV_LINK_ENABLE 1
#define SRIOV_LINK_DISABLE 2

struct sriov_vf_config {
	uint32_t set; /* BIT(enum sriov_vf_attr) */
	uint8_t mac[6];
	uint16_t vlan;
	uint8_t qos;
	bool spoofchk, trust;
	uint32_t link;
	uint32_t min_rate, max_rate; /* Mb/s */
	bool have_min, have_max;
};

/* "mac=.. vlan=.. qos=.. spoofchk=on trust=off link=auto rate=MIN:MAX". */
int sriov_vf_config__parse(int argc, char **argv, struct sriov_vf_config *c);
const char *sriov_vf_attr__name(enum sriov_vf_attr a);

/*
 * Build the RTM_SETLINK request that sets one attribute of VF `vf` on
 * ifindex (for tests: inspect it without sending). `cur` holds the VF's
 * current settings where the request needs them (rates). Free with
 * nlmsg_free().
 */
struct nl_msg;
int sriov_vf__build_request(int ifindex, unsigned int vf,
			    enum sriov_vf_attr attr,
			    const struct sriov_vf_config *want,
			    const struct sriov_vf_config *cur,
			    struct nl_msg **msg);

/* Apply every attribute set in `want`; undo what was applied on failure. */
int sriov_vf__set(const char *ifname, unsigned int vf,
		  const struct sriov_vf_config *want, const char *driver);
/* Read back every VF's settings of ifname; `out` holds up to `max`. */
int sriov_vf__show(const char *ifname, struct sriov_vf_config *out, int max,
		   int *nr);

#endif
