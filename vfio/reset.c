// SPDX-License-Identifier: GPL-2.0
/*
 * Device reset: VFIO_DEVICE_RESET where the kernel has a function-level
 * method (FLR, PM, slot), else a secondary bus reset through
 * VFIO_DEVICE_PCI_HOT_RESET. A bus reset hits every device on the bus, so
 * the kernel wants proof that the caller owns all of them: the fds of every
 * affected group, which must then all be in this VM's container.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/vfio.h>

#include "triovm/log.h"
#include "triovm/vfio.h"

/* The most devices one bus reset may touch before triovm gives up. */
#define HOT_RESET_MAX_DEVICES 256

static struct vfio_pci_hot_reset_info *hot_reset_info(struct vfio_device *dev)
{
	struct vfio_pci_hot_reset_info probe = { .argsz = sizeof(probe) };
	struct vfio_pci_hot_reset_info *info;
	size_t len;

	/* ENODEV: no bus or slot reset for this device; ENOSPC: ask again. */
	if (ioctl(dev->fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &probe) < 0 &&
	    errno != ENOSPC)
		return NULL;
	if (!probe.count || probe.count > HOT_RESET_MAX_DEVICES)
		return NULL;
	len = sizeof(*info) + probe.count * sizeof(info->devices[0]);
	info = calloc(1, len);
	if (!info)
		return NULL;
	info->argsz = len;
	if (ioctl(dev->fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, info) < 0 ||
	    info->count > probe.count) {
		free(info);
		return NULL;
	}
	return info;
}

enum vfio_reset_method vfio_device__reset_method(struct vfio_device *dev)
{
	struct vfio_pci_hot_reset_info *info;
	bool bus;

	if (dev->flags & VFIO_DEVICE_FLAGS_RESET)
		return VFIO_RESET_DEVICE;
	info = hot_reset_info(dev);
	bus = info != NULL;
	free(info);
	return bus ? VFIO_RESET_BUS : VFIO_RESET_NONE;
}

const char *vfio_reset_method__name(enum vfio_reset_method m)
{
	switch (m) {
	case VFIO_RESET_DEVICE:
		return "device (VFIO_DEVICE_RESET)";
	case VFIO_RESET_BUS:
		return "bus (VFIO_DEVICE_PCI_HOT_RESET)";
	default:
		return "none";
	}
}

static int hot_reset(struct vfio_device *dev)
{
	struct vfio_pci_hot_reset_info *info = hot_reset_info(dev);
	struct vfio_pci_hot_reset *r = NULL;
	uint32_t i, j;
	int ret = 0;

	if (!info)
		return -ENOTTY;
	r = calloc(1, sizeof(*r) + info->count * sizeof(r->group_fds[0]));
	if (!r) {
		free(info);
		return -ENOMEM;
	}
	for (i = 0; i < info->count && !ret; i++) {
		const struct vfio_pci_dependent_device *d = &info->devices[i];
		struct vfio_group *g =
			vfio_container__find_group(dev->container, d->group_id);

		if (!g) {
			pr_warn("%s: a bus reset would also reset %04x:%02x:%02x.%u (IOMMU group %u), which this VM does not own",
				dev->name, d->segment, d->bus, d->devfn >> 3,
				d->devfn & 7, d->group_id);
			ret = -EPERM;
			break;
		}
		for (j = 0; j < r->count && r->group_fds[j] != g->fd; j++)
			;
		if (j == r->count)
			r->group_fds[r->count++] = g->fd;
	}
	if (!ret) {
		r->argsz = sizeof(*r) + r->count * sizeof(r->group_fds[0]);
		if (ioctl(dev->fd, VFIO_DEVICE_PCI_HOT_RESET, r) < 0) {
			ret = -errno;
			pr_warn("%s: VFIO_DEVICE_PCI_HOT_RESET: %s", dev->name,
				strerror(-ret));
		}
	}
	free(r);
	free(info);
	return ret;
}

int vfio_device__reset(struct vfio_device *dev)
{
	int ret;

	switch (dev->reset) {
	case VFIO_RESET_DEVICE:
		if (ioctl(dev->fd, VFIO_DEVICE_RESET) == 0)
			return 0;
		ret = -errno;
		pr_warn("%s: VFIO_DEVICE_RESET: %s", dev->name, strerror(-ret));
		return ret;
	case VFIO_RESET_BUS:
		return hot_reset(dev);
	default:
		return -ENOTTY;
	}
}
