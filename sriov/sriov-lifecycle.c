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

/*
 * A VF a guest holds open can only go if the holder lets go when vfio-pci
 * asks (its request eventfd): triovm stops its VM then (vfio/pci-req.c).
 * Anything else may never answer, and the kernel would make the writer to
 * sriov_numvfs wait for it forever, so --force does not cover it.
 * Returns 0 when no process holds the VF, 1 when triovm does and --force
 * lets it go, or a negative errno after one line.
 */
static int check_vf_holder(const char *sysfs, const struct sriov_vf *vf,
			   const char *bdf, bool force, const char *action,
			   bool warn)
{
	char comm[64];
	pid_t pid;

	if (!iommu_driver__vfio(vf->driver))
		return 0;
	pid = vfio_group__holder(sysfs, &vf->addr, comm, sizeof(comm));
	if (!pid)
		return 0;
	if (pid < 0) {
		pr_err("VF %s is in use by a process that could not be found; refusing to %s, even with --force (stop the guest first)",
		       bdf, action);
		return -EBUSY;
	}
	if (!force) {
		pr_err("VF %s is in use by a guest (held by pid %d, %s); refusing to %s (stop the guest first%s)",
		       bdf, pid, comm, action,
		       strcmp(comm, "triovm") ?
			       "" :
			       ", or --force to have triovm stop it");
		return -EBUSY;
	}
	if (strcmp(comm, "triovm")) {
		pr_err("VF %s is in use by a guest (held by pid %d, %s); refusing to %s, even with --force: only triovm is known to let go of a VF when the kernel asks, and the kernel would wait for it forever (stop the guest first)",
		       bdf, pid, comm, action);
		return -EBUSY;
	}
	if (warn)
		pr_warn("VF %s is in use by a guest (held by pid %d, %s); %s anyway (--force): the kernel asks triovm for the VF back and triovm stops that guest",
			bdf, pid, comm, action);
	return 1;
}

/* All VFs are checked before anything is said to go ahead or is changed. */
static int check_vfs_free(const char *sysfs, const struct sriov_pf *pf,
			  bool force, const char *action)
{
	char bdf[PCI_ADDR_STRLEN], why[256];
	int pass, i, ret;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < pf->nr_vfs; i++) {
			pci_addr__format(&pf->vfs[i].addr, bdf);
			ret = check_vf_holder(sysfs, &pf->vfs[i], bdf, force,
					      action, pass);
			if (ret < 0)
				return ret;
			if (ret)
				continue;
			if (!sriov__vf_in_use(sysfs, &pf->vfs[i], why,
					      sizeof(why)))
				continue;
			if (!force) {
				pr_err("VF %s is in use: %s; refusing to %s (unbind it with `triovm sriov unbind %s`, or --force)",
				       bdf, why, action, bdf);
				return -EBUSY;
			}
			if (pass)
				pr_warn("VF %s: %s; %s anyway (--force)", bdf,
					why, action);
		}
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
