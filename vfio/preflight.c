// SPDX-License-Identifier: GPL-2.0
/*
 * What can be checked about passthrough devices before a VM is built, so
 * that a wrong BDF or a busy group is one line and exit status 2, not a
 * half-made VM. Each check names what to do about it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triovm/driver-bind.h"
#include "triovm/iommu.h"
#include "triovm/log.h"
#include "triovm/sysfs.h"
#include "triovm/vfio.h"

static int check_group(const char *sysfs, unsigned int id, const char *bdf)
{
	struct iommu_group g;
	char why[768];
	int ret;

	ret = iommu_group__read(sysfs, id, &g);
	if (ret) {
		pr_err("%s: cannot list IOMMU group %u: %s", bdf, id,
		       strerror(-ret));
		return ret;
	}
	ret = iommu_group__viable(&g, NULL);
	if (ret) {
		iommu_group__describe_blockers(&g, why, sizeof(why));
		pr_err("%s: IOMMU group %u is not viable: %s", bdf, id, why);
	}
	iommu_group__release(&g);
	return ret;
}

/* The sysfs side of one device; its group id in *id. */
static int check_device(const char *sysfs, const struct pci_addr *a,
			unsigned int *id)
{
	char bdf[PCI_ADDR_STRLEN], driver[NAME_MAX + 1];
	int ret;

	pci_addr__format(a, bdf);
	if (!sysfs_exists(sysfs, "bus/pci/devices/%s", bdf)) {
		pr_err("%s: no such PCI device (lspci -D lists the host's)",
		       bdf);
		return -ENODEV;
	}
	if (!iommu__present(sysfs)) {
		pr_err("%s: the host has no IOMMU (%s/kernel/iommu_groups is empty): enable VT-d or AMD-Vi and boot with intel_iommu=on or amd_iommu=on",
		       bdf, sysfs);
		return -ENODEV;
	}
	ret = pci_driver__current(sysfs, a, driver, sizeof(driver));
	if (ret) {
		pr_err("%s: cannot read its driver: %s", bdf, strerror(-ret));
		return ret;
	}
	if (!iommu_driver__vfio(driver)) {
		pr_err("%s is %s%s, not vfio-pci: run `triovm vfio bind %s` first",
		       bdf, driver[0] ? "bound to " : "bound to no driver",
		       driver, bdf);
		return -EINVAL;
	}
	ret = iommu__group_of(sysfs, a, id);
	if (ret) {
		pr_err("%s: it has no IOMMU group: the host's IOMMU does not cover it",
		       bdf);
		return ret == -ENOENT ? -ENODEV : ret;
	}
	return check_group(sysfs, *id, bdf);
}

int vfio__preflight(const char *sysfs, const char *dev_dir,
		    const struct pci_addr *addrs, int n)
{
	char bdf[PCI_ADDR_STRLEN];
	unsigned int *ids;
	int *fds, i, j, ret = 0;

	ids = calloc(n ? n : 1, sizeof(*ids));
	fds = calloc(n ? n : 1, sizeof(*fds));
	if (!ids || !fds) {
		free(ids);
		free(fds);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		fds[i] = -1;
	for (i = 0; i < n && !ret; i++) {
		for (j = 0; j < i && !ret; j++) {
			if (pci_addr__equal(&addrs[i], &addrs[j])) {
				pr_err("%s: the device is given twice",
				       pci_addr__format(&addrs[i], bdf));
				ret = -EINVAL;
			}
		}
		if (!ret)
			ret = check_device(sysfs, &addrs[i], &ids[i]);
	}
	/*
	 * A group opens once: a second device of the same group is covered by
	 * the first one's open, and opening it twice here would read as busy.
	 */
	for (i = 0; i < n && !ret; i++) {
		for (j = 0; j < i && ids[j] != ids[i]; j++)
			;
		if (j < i)
			continue;
		pci_addr__format(&addrs[i], bdf);
		fds[i] = vfio_group__open_fd(dev_dir, ids[i], bdf);
		if (fds[i] < 0) {
			ret = fds[i];
			fds[i] = -1;
			break;
		}
		ret = vfio_group__check_viable(fds[i], sysfs, ids[i], bdf);
	}
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(ids);
	free(fds);
	return ret;
}
