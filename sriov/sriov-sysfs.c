// SPDX-License-Identifier: GPL-2.0
/*
 * SR-IOV as the kernel shows it in sysfs (Documentation/ABI/testing/
 * sysfs-bus-pci): sriov_totalvfs/numvfs/drivers_autoprobe on the PF,
 * virtfnN links to the VFs, physfn back, driver and iommu_group links.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/sriov.h"
#include "triovm/sysfs.h"
#include "sriov-internal.h"

static int link_addr(const char *sysfs, const char *bdf, const char *link,
		     struct pci_addr *a)
{
	char name[64];
	int ret = sysfs_link_name(sysfs, name, sizeof(name),
				  "bus/pci/devices/%s/%s", bdf, link);

	return ret ? ret : pci_addr__parse(name, a);
}

static int link_int(const char *sysfs, const char *bdf, const char *link)
{
	char name[32];

	if (sysfs_link_name(sysfs, name, sizeof(name), "bus/pci/devices/%s/%s",
			    bdf, link))
		return -1;
	return atoi(name);
}

int sriov__vf_pf(const char *sysfs, const struct pci_addr *vf,
		 struct pci_addr *pf, unsigned int *index)
{
	char bdf[PCI_ADDR_STRLEN], pfbdf[PCI_ADDR_STRLEN];
	unsigned int i;
	uint64_t total;

	pci_addr__format(vf, bdf);
	if (!sysfs_exists(sysfs, "bus/pci/devices/%s", bdf))
		return -ENOENT;
	if (link_addr(sysfs, bdf, "physfn", pf))
		return -ENODEV;
	pci_addr__format(pf, pfbdf);
	if (sysfs_read_u64(sysfs, &total, "bus/pci/devices/%s/sriov_totalvfs",
			   pfbdf))
		return -ENODEV;
	for (i = 0; i < total; i++) {
		struct pci_addr a;
		char name[32];

		snprintf(name, sizeof(name), "virtfn%u", i);
		if (!link_addr(sysfs, pfbdf, name, &a) &&
		    pci_addr__equal(&a, vf)) {
			*index = i;
			return 0;
		}
	}
	return -ENODEV;
}

/* The kernel's view of one PF and its VFs. */
int sriov_sysfs__fill(const char *sysfs, struct sriov_pf *pf)
{
	char bdf[PCI_ADDR_STRLEN], path[64];
	struct dirent *de;
	uint64_t v;
	unsigned int i;
	DIR *dir;

	pci_addr__format(&pf->addr, bdf);
	if (sysfs_read_u64(sysfs, &v, "bus/pci/devices/%s/sriov_totalvfs", bdf))
		return -EOPNOTSUPP;
	pf->sysfs_total = v;
	pf->sysfs_num = sysfs_read_u64(sysfs, &v,
				       "bus/pci/devices/%s/sriov_numvfs", bdf) ?
				0 :
				v;
	pf->autoprobe =
		sysfs_read_u64(sysfs, &v,
			       "bus/pci/devices/%s/sriov_drivers_autoprobe",
			       bdf) ?
			true :
			v != 0;
	if (sysfs_link_name(sysfs, pf->driver, sizeof(pf->driver),
			    "bus/pci/devices/%s/driver", bdf))
		pf->driver[0] = '\0';
	if (!pf->vendor &&
	    !sysfs_read_u64(sysfs, &v, "bus/pci/devices/%s/vendor", bdf))
		pf->vendor = v;
	if (!pf->device &&
	    !sysfs_read_u64(sysfs, &v, "bus/pci/devices/%s/device", bdf))
		pf->device = v;

	/* A NIC's PF has its netdevs under net/. */
	pf->nr_netdevs = 0;
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/net", sysfs, bdf);
	dir = opendir(path);
	while (dir && (de = readdir(dir)) &&
	       pf->nr_netdevs < SRIOV_MAX_NETDEVS) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= IFNAMSIZ)
			continue;
		strcpy(pf->netdevs[pf->nr_netdevs++], de->d_name);
	}
	if (dir)
		closedir(dir);

	free(pf->vfs);
	pf->vfs = calloc(pf->sysfs_num ? pf->sysfs_num : 1, sizeof(*pf->vfs));
	if (!pf->vfs)
		return -ENOMEM;
	pf->nr_vfs = 0;
	for (i = 0; i < pf->sysfs_num; i++) {
		struct sriov_vf *vf = &pf->vfs[pf->nr_vfs];
		char name[32], vfbdf[PCI_ADDR_STRLEN];

		snprintf(name, sizeof(name), "virtfn%u", i);
		if (link_addr(sysfs, bdf, name, &vf->addr))
			continue;
		vf->index = i;
		pci_addr__format(&vf->addr, vfbdf);
		if (sysfs_link_name(sysfs, vf->driver, sizeof(vf->driver),
				    "bus/pci/devices/%s/driver", vfbdf))
			vf->driver[0] = '\0';
		vf->iommu_group = link_int(sysfs, vfbdf, "iommu_group");
		pf->nr_vfs++;
	}
	return 0;
}
