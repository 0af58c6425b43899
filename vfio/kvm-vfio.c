// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM VFIO pseudo device (Documentation/virt/kvm/devices/vfio.rst):
 * KVM learns which groups the VM uses, so that it honours guest cache
 * attributes for devices doing non-coherent DMA. The kernel wants each group
 * added before a device fd is taken from it.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "triovm/log.h"
#include "triovm/vfio.h"

static int group_attr(int dev_fd, const struct vfio_group *g, uint64_t op)
{
	int32_t fd = g->fd;
	struct kvm_device_attr attr = {
		.group = KVM_DEV_VFIO_GROUP,
		.attr = op,
		.addr = (uint64_t)(uintptr_t)&fd,
	};

	return ioctl(dev_fd, KVM_SET_DEVICE_ATTR, &attr) < 0 ? -errno : 0;
}

int vfio_container__attach_kvm(struct vfio_container *c, int vm_fd)
{
	int i, ret;

	if (c->kvm_dev_fd < 0) {
		struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };

		if (ioctl(vm_fd, KVM_CREATE_DEVICE, &cd) < 0) {
			ret = -errno;
			pr_err("KVM_CREATE_DEVICE(KVM_DEV_TYPE_VFIO): %s%s",
			       strerror(-ret),
			       ret == -ENODEV ?
				       " (KVM was built without VFIO support)" :
				       "");
			return ret;
		}
		c->kvm_dev_fd = cd.fd;
	}
	for (i = 0; i < c->nr_groups; i++) {
		struct vfio_group *g = &c->groups[i];

		if (g->kvm_added)
			continue;
		ret = group_attr(c->kvm_dev_fd, g, KVM_DEV_VFIO_GROUP_ADD);
		if (ret) {
			pr_err("KVM_DEV_VFIO_GROUP_ADD (IOMMU group %u): %s",
			       g->id, strerror(-ret));
			return ret;
		}
		g->kvm_added = true;
	}
	return 0;
}

void vfio_container__detach_kvm(struct vfio_container *c)
{
	int i, ret;

	for (i = 0; i < c->nr_groups; i++) {
		struct vfio_group *g = &c->groups[i];

		ret = g->kvm_added ? group_attr(c->kvm_dev_fd, g,
						KVM_DEV_VFIO_GROUP_DEL) :
				     0;
		if (ret)
			pr_warn("KVM_DEV_VFIO_GROUP_DEL (IOMMU group %u): %s",
				g->id, strerror(-ret));
		g->kvm_added = false;
	}
}
