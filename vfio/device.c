// SPDX-License-Identifier: GPL-2.0
/*
 * A host device taken from its VFIO group: its fd and what VFIO says about
 * it (regions, interrupts, how it resets). Everything the guest-side device
 * model needs, and nothing guest-visible yet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "triovm/log.h"
#include "triovm/vfio.h"

/* Far above any real device; bounds what a confused kernel could ask for. */
#define VFIO_MAX_REGIONS 64
#define VFIO_MAX_IRQS 16

static int read_info(struct vfio_device *dev)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	uint32_t i;
	int ret;

	if (ioctl(dev->fd, VFIO_DEVICE_GET_INFO, &info) < 0) {
		ret = -errno;
		pr_err("%s: VFIO_DEVICE_GET_INFO: %s", dev->name,
		       strerror(-ret));
		return ret;
	}
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI)) {
		pr_err("%s: VFIO says it is not a PCI device", dev->name);
		return -EINVAL;
	}
	if (info.num_regions > VFIO_MAX_REGIONS ||
	    info.num_irqs > VFIO_MAX_IRQS) {
		pr_err("%s: VFIO reports %u regions and %u IRQ indexes: refused",
		       dev->name, info.num_regions, info.num_irqs);
		return -E2BIG;
	}
	dev->flags = info.flags;
	dev->regions = calloc(info.num_regions ? info.num_regions : 1,
			      sizeof(*dev->regions));
	dev->irqs =
		calloc(info.num_irqs ? info.num_irqs : 1, sizeof(*dev->irqs));
	if (!dev->regions || !dev->irqs)
		return -ENOMEM;
	for (i = 0; i < info.num_regions; i++) {
		ret = vfio_device__read_region(dev, i, &dev->regions[i]);
		if (ret)
			return ret;
		dev->nr_regions = i + 1;
	}
	for (i = 0; i < info.num_irqs; i++) {
		struct vfio_irq_info ii = { .argsz = sizeof(ii), .index = i };

		/* An index the device lacks (ERR, REQ) is left with count 0. */
		dev->irqs[i].index = i;
		if (ioctl(dev->fd, VFIO_DEVICE_GET_IRQ_INFO, &ii) == 0) {
			dev->irqs[i].flags = ii.flags;
			dev->irqs[i].count = ii.count;
		}
	}
	dev->nr_irqs = info.num_irqs;
	return 0;
}

int vfio_device__open(struct vfio_container *c, const struct pci_addr *a,
		      struct vfio_device *dev)
{
	unsigned int id;
	int fd, ret;

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	dev->addr = *a;
	dev->container = c;
	pci_addr__format(a, dev->name);

	ret = iommu__group_of(c->sysfs, a, &id);
	if (ret) {
		pr_err("%s: %s", dev->name,
		       ret == -ENODEV ? "no such PCI device" :
		       ret == -ENOENT ? "it has no IOMMU group" :
					"cannot read its IOMMU group");
		return ret;
	}
	dev->group = vfio_container__find_group(c, id);
	if (!dev->group || !c->iommu_set) {
		pr_err("%s: its IOMMU group %u is not set up in the container",
		       dev->name, id);
		dev->group = NULL;
		return -EINVAL;
	}
	fd = ioctl(dev->group->fd, VFIO_GROUP_GET_DEVICE_FD, dev->name);
	if (fd < 0) {
		ret = -errno;
		pr_err("%s: VFIO_GROUP_GET_DEVICE_FD: %s%s", dev->name,
		       strerror(-ret),
		       ret == -EBUSY ? " (the device is open already)" : "");
		dev->group = NULL;
		return ret;
	}
	dev->fd = fd;
	dev->group->nr_devices++;
	ret = read_info(dev);
	if (ret) {
		vfio_device__close(dev);
		return ret;
	}
	/* Whatever the device's last user left in it goes now. */
	dev->reset = vfio_device__reset_method(dev);
	if (dev->reset == VFIO_RESET_NONE)
		pr_warn("%s: VFIO offers no way to reset it; it keeps its state",
			dev->name);
	else if (vfio_device__reset(dev))
		pr_warn("%s: reset at start failed; it keeps its state",
			dev->name);
	return 0;
}

void vfio_device__close(struct vfio_device *dev)
{
	uint32_t i;

	if (dev->fd >= 0) {
		/* Leave nothing of the guest's in the device for its next user. */
		if (dev->reset != VFIO_RESET_NONE && !dev->taken_back &&
		    vfio_device__reset(dev))
			pr_warn("%s: reset at release failed", dev->name);
		close(dev->fd);
		dev->group->nr_devices--;
	}
	dev->fd = -1;
	for (i = 0; i < dev->nr_regions; i++)
		vfio_region__release(&dev->regions[i]);
	free(dev->regions);
	free(dev->irqs);
	dev->regions = NULL;
	dev->irqs = NULL;
	dev->nr_regions = 0;
	dev->nr_irqs = 0;
	dev->group = NULL;
}

const struct vfio_region *vfio_device__region(const struct vfio_device *dev,
					      uint32_t index)
{
	return index < dev->nr_regions ? &dev->regions[index] : NULL;
}

const struct vfio_irq *vfio_device__irq(const struct vfio_device *dev,
					uint32_t index)
{
	return index < dev->nr_irqs ? &dev->irqs[index] : NULL;
}
