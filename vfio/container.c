// SPDX-License-Identifier: GPL-2.0
/*
 * A VFIO container: one IOMMU context (type1v2) for every group of one VM,
 * so that one DMA map of guest RAM serves all its devices.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "triovm/log.h"
#include "triovm/vfio.h"

int vfio_container__open(struct vfio_container *c, const char *sysfs,
			 const char *dev_dir)
{
	char path[PATH_MAX];
	int fd, v, err;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->kvm_dev_fd = -1;
	c->sysfs = sysfs;
	c->dev_dir = dev_dir;
	iommu_dma__init(&c->dma, -1);

	snprintf(path, sizeof(path), "%s/vfio", dev_dir);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT)
			pr_err("%s does not exist: VFIO is not loaded (modprobe vfio-pci)",
			       path);
		else
			pr_err("cannot open %s: %s", path, strerror(err));
		return -err;
	}
	v = ioctl(fd, VFIO_GET_API_VERSION);
	if (v != VFIO_API_VERSION) {
		pr_err("%s speaks VFIO API version %d, triovm version %d", path,
		       v, VFIO_API_VERSION);
		close(fd);
		return -EPROTO;
	}
	if (ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0) {
		pr_err("the host's VFIO has no type1v2 IOMMU backend (modprobe vfio_iommu_type1)");
		close(fd);
		return -ENOTSUP;
	}
	c->fd = fd;
	c->dma.container_fd = fd;
	return 0;
}

struct vfio_group *vfio_container__find_group(struct vfio_container *c,
					      unsigned int id)
{
	int i;

	for (i = 0; i < c->nr_groups; i++)
		if (c->groups[i].id == id)
			return &c->groups[i];
	return NULL;
}

int vfio_container__add_group(struct vfio_container *c, unsigned int id,
			      const char *bdf, struct vfio_group **out)
{
	struct vfio_group *g = vfio_container__find_group(c, id);
	int fd, ret;

	if (g)
		goto done;
	if (c->iommu_set) {
		pr_err("%s: IOMMU group %u comes after the container's IOMMU was set",
		       bdf, id);
		return -EBUSY;
	}
	if (c->nr_groups == VFIO_MAX_GROUPS) {
		pr_err("%s: at most %d IOMMU groups per VM", bdf,
		       VFIO_MAX_GROUPS);
		return -E2BIG;
	}
	fd = vfio_group__open_fd(c->dev_dir, id, bdf);
	if (fd < 0)
		return fd;
	ret = vfio_group__check_viable(fd, c->sysfs, id, bdf);
	if (!ret && ioctl(fd, VFIO_GROUP_SET_CONTAINER, &c->fd) < 0) {
		ret = -errno;
		pr_err("%s: VFIO_GROUP_SET_CONTAINER (IOMMU group %u): %s", bdf,
		       id, strerror(-ret));
	}
	if (ret) {
		close(fd);
		return ret;
	}
	g = &c->groups[c->nr_groups++];
	memset(g, 0, sizeof(*g));
	g->id = id;
	g->fd = fd;
done:
	if (out)
		*out = g;
	return 0;
}

int vfio_container__set_iommu(struct vfio_container *c)
{
	int i, ret;

	if (c->iommu_set)
		return 0;
	if (!c->nr_groups) {
		pr_err("VFIO: no IOMMU group in the container");
		return -EINVAL;
	}
	if (ioctl(c->fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0) {
		ret = -errno;
		pr_err("VFIO_SET_IOMMU(type1v2): %s", strerror(-ret));
		return ret;
	}
	c->iommu_set = true;
	ret = iommu_info__query(c->fd, &c->dma.info);
	if (ret)
		return ret;
	/*
	 * The usable ranges already leave out reserved regions where the
	 * kernel reports them; the regions themselves name the culprit.
	 */
	c->dma.resv.nr = 0;
	for (i = 0; i < c->nr_groups; i++) {
		ret = iommu_resv__read(c->sysfs, c->groups[i].id, &c->dma.resv);
		if (ret)
			return ret;
	}
	return 0;
}

void vfio_container__close(struct vfio_container *c)
{
	int i;

	vfio_container__detach_kvm(c);
	if (c->fd >= 0)
		iommu_dma__unmap_all(&c->dma);
	for (i = c->nr_groups - 1; i >= 0; i--) {
		struct vfio_group *g = &c->groups[i];

		if (g->nr_devices)
			pr_warn("IOMMU group %u closed with %d devices open",
				g->id, g->nr_devices);
		ioctl(g->fd, VFIO_GROUP_UNSET_CONTAINER);
		close(g->fd);
	}
	c->nr_groups = 0;
	if (c->kvm_dev_fd >= 0)
		close(c->kvm_dev_fd);
	c->kvm_dev_fd = -1;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->dma.container_fd = -1;
	c->iommu_set = false;
}
