// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO_DEVICE_GET_REGION_INFO and its capabilities: which parts of a BAR
 * may be mmapped straight into the guest (sparse mmap) and whether the page
 * holding the MSI-X table is among them (MSIX_MAPPABLE: interrupt remapping
 * makes a guest's writes to it harmless).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/vfio.h>

#include "triovm/log.h"
#include "triovm/vfio-caps.h"
#include "triovm/vfio.h"

#define REGION_INFO_MAX_SIZE 65536
#define REGION_MAX_AREAS 1024

static int parse_sparse(const void *cap, size_t len, struct vfio_region *r)
{
	struct vfio_region_info_cap_sparse_mmap c;
	const uint8_t *p = cap;
	uint32_t i;

	if (r->sparse || len < sizeof(c))
		return -EINVAL;
	memcpy(&c, cap, sizeof(c));
	if (c.nr_areas > (len - sizeof(c)) / sizeof(*r->areas) ||
	    c.nr_areas > REGION_MAX_AREAS)
		return -EINVAL;
	if (c.nr_areas) {
		r->areas = calloc(c.nr_areas, sizeof(*r->areas));
		if (!r->areas)
			return -ENOMEM;
	}
	for (i = 0; i < c.nr_areas; i++) {
		struct vfio_region_sparse_mmap_area *a = &r->areas[i];

		memcpy(a, p + sizeof(c) + i * sizeof(*a), sizeof(*a));
		/* An area outside its region would mmap someone else's. */
		if (a->offset > r->size || a->size > r->size - a->offset)
			return -EINVAL;
	}
	r->nr_areas = c.nr_areas;
	r->sparse = true;
	return 0;
}

static int parse_cap(const struct vfio_info_cap_header *hdr, const void *cap,
		     size_t len, void *arg)
{
	struct vfio_region *r = arg;

	switch (hdr->id) {
	case VFIO_REGION_INFO_CAP_SPARSE_MMAP:
		return parse_sparse(cap, len, r);
	case VFIO_REGION_INFO_CAP_MSIX_MAPPABLE:
		r->msix_mappable = true;
		return 0;
	default: /* region type (IGD, NVLink...): not needed here */
		return 0;
	}
}

int vfio_region__parse_info(const void *buf, size_t len, struct vfio_region *r)
{
	struct vfio_region_info info;
	int ret;

	memset(r, 0, sizeof(*r));
	if (len < sizeof(info))
		return -EINVAL;
	memcpy(&info, buf, sizeof(info));
	if (info.argsz < len)
		len = info.argsz;
	r->index = info.index;
	r->flags = info.flags;
	r->size = info.size;
	r->offset = info.offset;
	if (!(info.flags & VFIO_REGION_INFO_FLAG_CAPS))
		return 0;
	ret = vfio_caps__walk(buf, len, info.cap_offset, sizeof(info),
			      parse_cap, r);
	if (ret)
		vfio_region__release(r);
	return ret;
}

void vfio_region__release(struct vfio_region *r)
{
	free(r->areas);
	r->areas = NULL;
	r->nr_areas = 0;
	r->sparse = false;
}

/* Region `index` of the device; a region the device lacks reads as size 0. */
int vfio_device__read_region(struct vfio_device *dev, uint32_t index,
			     struct vfio_region *r)
{
	struct vfio_region_info first = { .argsz = sizeof(first),
					  .index = index };
	struct vfio_region_info *info = &first;
	size_t len = sizeof(first);
	int ret;

	memset(r, 0, sizeof(*r));
	r->index = index;
	if (ioctl(dev->fd, VFIO_DEVICE_GET_REGION_INFO, &first) < 0) {
		/* vfio-pci answers EINVAL for the VGA region of a non-VGA device. */
		if (errno == EINVAL)
			return 0;
		ret = -errno;
		pr_err("%s: VFIO_DEVICE_GET_REGION_INFO(%u): %s", dev->name,
		       index, strerror(-ret));
		return ret;
	}
	if (first.argsz > sizeof(first)) {
		if (first.argsz > REGION_INFO_MAX_SIZE) {
			pr_err("%s: region %u: info of %u bytes refused",
			       dev->name, index, first.argsz);
			return -E2BIG;
		}
		len = first.argsz;
		info = calloc(1, len);
		if (!info)
			return -ENOMEM;
		info->argsz = len;
		info->index = index;
		if (ioctl(dev->fd, VFIO_DEVICE_GET_REGION_INFO, info) < 0) {
			ret = -errno;
			pr_err("%s: VFIO_DEVICE_GET_REGION_INFO(%u): %s",
			       dev->name, index, strerror(-ret));
			free(info);
			return ret;
		}
	}
	ret = vfio_region__parse_info(info, len, r);
	if (ret)
		pr_err("%s: region %u: malformed capability chain", dev->name,
		       index);
	if (info != &first)
		free(info);
	return ret;
}
