// SPDX-License-Identifier: GPL-2.0
/*
 * Creating and removing VFs through sysfs. The kernel only moves sriov_numvfs
 * between zero and N, so a change of N goes through zero; VFs a guest may be
 * using are not removed unless forced.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triovm/iommu.h"
#include "triovm/log.h"
#include "triovm/sriov.h"
#include "triovm/sysfs.h"
#include "triovm/vfio.h"

bool sriov__vf_in_use(const char *sysfs, const struct sriov_vf *vf, char *why,
		      size_t len)
{
	/* A guest can only hold a VF through vfio-pci. */
	if (iommu_driver__vfio(vf->driver)) {
		snprintf(why, len, "it is bound to %s", vf->driver);
		return true;
	}
	return false;
}

static int check_vfs_free(const char *sysfs, const struct sriov_pf *pf,
			  bool force, const char *action)
{
	char bdf[PCI_ADDR_STRLEN], why[256];
	int i;

	for (i = 0; i < pf->nr_vfs; i++) {
		pci_addr__format(&pf->vfs[i].addr, bdf);
		/*
		 * Not even with --force: vfio-pci's remove would wait for the
		 * guest to let go of the VF, and the write would hang.
		 */
		if (iommu_driver__vfio(pf->vfs[i].driver) &&
		    vfio_group__busy(sysfs, &pf->vfs[i].addr, bdf)) {
			pr_err("VF %s is in use by a guest; refusing to %s, even with --force (stop the guest first)",
			       bdf, action);
			return -EBUSY;
		}
		if (!sriov__vf_in_use(sysfs, &pf->vfs[i], why, sizeof(why)))
			continue;
		if (force) {
			pr_warn("VF %s: %s; %s anyway (--force)", bdf, why,
				action);
			continue;
		}
		pr_err("VF %s is in use: %s; refusing to %s (unbind it with `triovm sriov unbind %s`, or --force)",
		       bdf, why, action, bdf);
		return -EBUSY;
	}
	return 0;
}

static int load_pf(const char *sysfs, const struct pci_addr *a,
		   struct sriov_pf *pf)
{
	char bdf[PCI_ADDR_STRLEN];
	int ret = sriov__get_pf(sysfs, a, pf);

	pci_addr__format(a, bdf);
	if (ret == -ENODEV)
		pr_err("%s: no such PCI device", bdf);
	else if (ret == -EOPNOTSUPP)
		pr_err("%s is not an SR-IOV physical function (no SR-IOV capability the kernel drives)",
		       bdf);
	else if (ret)
		pr_err("%s: cannot read its configuration: %s", bdf,
		       strerror(-ret));
	return ret;
}

static int write_numvfs(const char *sysfs, const char *bdf, unsigned int n)
{
	char v[16];
	int ret;

	snprintf(v, sizeof(v), "%u", n);
	ret = sysfs_write(sysfs, v, "bus/pci/devices/%s/sriov_numvfs", bdf);
	if (ret)
		pr_err("%s: writing %u to sriov_numvfs failed: %s%s", bdf, n,
		       strerror(-ret),
		       ret == -ENOENT || ret == -EACCES ?
			       " (is the PF bound to a driver that supports SR-IOV?)" :
			       "");
	return ret;
}

int sriov__enable(const char *sysfs, const struct pci_addr *a, unsigned int n,
		  bool autoprobe, bool force)
{
	char bdf[PCI_ADDR_STRLEN];
	struct sriov_pf pf;
	int ret;

	memset(&pf, 0, sizeof(pf));
	ret = load_pf(sysfs, a, &pf);
	if (ret)
		return ret;
	pci_addr__format(a, bdf);
	if (!n || n > pf.sysfs_total) {
		pr_err("%s supports 1 to %u VFs, not %u", bdf, pf.sysfs_total,
		       n);
		ret = -EINVAL;
		goto out;
	}
	if (pf.sysfs_num == n) {
		ret = 0;
		goto out;
	}
	if (pf.sysfs_num) {
		ret = check_vfs_free(sysfs, &pf, force, "change the VF count");
		if (ret)
			goto out;
	}
	/* Autoprobe applies when VFs appear: set it first. */
	ret = sysfs_write(sysfs, autoprobe ? "1" : "0",
			  "bus/pci/devices/%s/sriov_drivers_autoprobe", bdf);
	if (ret) {
		pr_err("%s: cannot set sriov_drivers_autoprobe: %s", bdf,
		       strerror(-ret));
		goto out;
	}
	if (pf.sysfs_num) {
		ret = write_numvfs(sysfs, bdf, 0);
		if (ret)
			goto out;
	}
	ret = write_numvfs(sysfs, bdf, n);
out:
	free(pf.vfs);
	return ret;
}

int sriov__disable(const char *sysfs, const struct pci_addr *a, bool force)
{
	char bdf[PCI_ADDR_STRLEN];
	struct sriov_pf pf;
	int ret;

	memset(&pf, 0, sizeof(pf));
	ret = load_pf(sysfs, a, &pf);
	if (ret)
		return ret;
	pci_addr__format(a, bdf);
	if (pf.sysfs_num) {
		ret = check_vfs_free(sysfs, &pf, force, "disable SR-IOV");
		if (!ret)
			ret = write_numvfs(sysfs, bdf, 0);
	}
	free(pf.vfs);
	return ret;
}
