// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's VFIO devices opened in the one order the kernel accepts: all groups
 * into the container before the IOMMU is set, the KVM VFIO device told about
 * each group before any device fd is taken from it.
 */
#include <errno.h>

#include "triovm/log.h"
#include "triovm/vfio.h"

static int add_groups(struct vfio_container *c, const struct pci_addr *addrs,
		      int n)
{
	char bdf[PCI_ADDR_STRLEN];
	unsigned int id;
	int i, j, ret;

	for (i = 0; i < n; i++) {
		pci_addr__format(&addrs[i], bdf);
		for (j = 0; j < i; j++) {
			if (pci_addr__equal(&addrs[i], &addrs[j])) {
				pr_err("%s: the device is given twice", bdf);
				return -EINVAL;
			}
		}
		ret = iommu__group_of(c->sysfs, &addrs[i], &id);
		if (ret == -ENODEV)
			pr_err("%s: no such PCI device", bdf);
		else if (ret == -ENOENT)
			pr_err("%s: it has no IOMMU group (does the host have an IOMMU?)",
			       bdf);
		else if (ret)
			pr_err("%s: cannot read its IOMMU group", bdf);
		if (!ret)
			ret = vfio_container__add_group(c, id, bdf, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

int vfio__open_devices(struct vfio_container *c, const char *sysfs,
		       const char *dev_dir, int vm_fd,
		       const struct guest_mem *mem,
		       const struct pci_addr *addrs, int n,
		       struct vfio_device *devs)
{
	int i, ret;

	ret = vfio_container__open(c, sysfs, dev_dir);
	if (ret)
		return ret;
	ret = add_groups(c, addrs, n);
	if (!ret)
		ret = vfio_container__set_iommu(c);
	if (!ret && vm_fd >= 0)
		ret = vfio_container__attach_kvm(c, vm_fd);
	if (!ret && mem)
		ret = iommu_dma__map_guest_mem(&c->dma, mem);
	for (i = 0; !ret && i < n; i++) {
		ret = vfio_device__open(c, &addrs[i], &devs[i]);
		if (ret)
			break;
	}
	if (ret)
		vfio__close_devices(c, devs, i); /* the ones opened before */
	return ret;
}

void vfio__close_devices(struct vfio_container *c, struct vfio_device *devs,
			 int n)
{
	bool taken_back = false;

	while (n--) {
		taken_back |= devs[n].taken_back;
		vfio_device__close(&devs[n]);
	}
	/*
	 * A device the host took back leaves vfio-pci once its fd is closed,
	 * and its group may leave the container with it, taking the IOMMU
	 * and every mapping: unmapping would then fail. Closing the container
	 * drops whatever mappings remain, so there is nothing to undo here.
	 */
	if (taken_back)
		c->dma.nr_maps = 0;
	vfio_container__close(c);
}
