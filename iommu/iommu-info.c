// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO_IOMMU_GET_INFO: the IOMMU's page sizes and, in its capability chain,
 * the IOVA ranges the container can translate (its aperture minus every
 * group's reserved regions) and how many more DMA mappings it will take
 * (type1's dma_entry_limit, 65535 by default).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/vfio.h>

#include "triovm/iommu.h"
#include "triovm/log.h"
#include "triovm/vfio-caps.h"

/* Bounds the second GET_INFO: a chain this long would be a kernel bug. */
#define IOMMU_INFO_MAX_SIZE 65536

static int parse_ranges(const void *cap, size_t len, struct iommu_info *out)
{
	struct vfio_iommu_type1_info_cap_iova_range c;
	const uint8_t *p = cap;
	uint32_t i;

	if (len < sizeof(c))
		return -EINVAL;
	memcpy(&c, cap, sizeof(c));
	if (c.nr_iovas > (len - sizeof(c)) / sizeof(struct vfio_iova_range))
		return -EINVAL;
	if (c.nr_iovas > IOMMU_MAX_RANGES)
		return -E2BIG;
	for (i = 0; i < c.nr_iovas; i++) {
		struct vfio_iova_range r;

		memcpy(&r, p + sizeof(c) + i * sizeof(r), sizeof(r));
		/* Sorted and disjoint, as type1 keeps its iova list. */
		if (r.start > r.end ||
		    (i && r.start <= out->usable.r[i - 1].last))
			return -EINVAL;
		out->usable.r[i].start = r.start;
		out->usable.r[i].last = r.end;
	}
	out->usable.nr = c.nr_iovas;
	out->have_ranges = true;
	return 0;
}

static int parse_cap(const struct vfio_info_cap_header *hdr, const void *cap,
		     size_t len, void *arg)
{
	struct iommu_info *out = arg;

	switch (hdr->id) {
	case VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE:
		return out->have_ranges ? -EINVAL : parse_ranges(cap, len, out);
	case VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL: {
		struct vfio_iommu_type1_info_dma_avail c;

		if (out->have_dma_avail || len < sizeof(c))
			return -EINVAL;
		memcpy(&c, cap, sizeof(c));
		out->dma_avail = c.avail;
		out->have_dma_avail = true;
		return 0;
	}
	default: /* migration, dirty tracking: not needed here */
		return 0;
	}
}

int iommu_info__parse(const void *buf, size_t len, struct iommu_info *out)
{
	struct vfio_iommu_type1_info info;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(info))
		return -EINVAL;
	memcpy(&info, buf, sizeof(info));
	if (info.argsz < len)
		len = info.argsz;
	if (info.flags & VFIO_IOMMU_INFO_PGSIZES)
		out->pgsizes = info.iova_pgsizes;
	if (!(info.flags & VFIO_IOMMU_INFO_CAPS))
		return 0;
	return vfio_caps__walk(buf, len, info.cap_offset, sizeof(info),
			       parse_cap, out);
}

int iommu_info__query(int container_fd, struct iommu_info *out)
{
	struct vfio_iommu_type1_info first = { .argsz = sizeof(first) };
	struct vfio_iommu_type1_info *info = &first;
	int ret;

	if (ioctl(container_fd, VFIO_IOMMU_GET_INFO, &first) < 0) {
		ret = -errno;
		pr_err("VFIO_IOMMU_GET_INFO: %s", strerror(-ret));
		return ret;
	}
	if (first.argsz > sizeof(first)) {
		if (first.argsz > IOMMU_INFO_MAX_SIZE) {
			pr_err("VFIO_IOMMU_GET_INFO wants %u bytes: refused",
			       first.argsz);
			return -E2BIG;
		}
		info = calloc(1, first.argsz);
		if (!info)
			return -ENOMEM;
		info->argsz = first.argsz;
		if (ioctl(container_fd, VFIO_IOMMU_GET_INFO, info) < 0) {
			ret = -errno;
			pr_err("VFIO_IOMMU_GET_INFO: %s", strerror(-ret));
			free(info);
			return ret;
		}
	}
	ret = iommu_info__parse(
		info, info == &first ? sizeof(first) : first.argsz, out);
	if (ret)
		pr_err("VFIO_IOMMU_GET_INFO: malformed capability chain (%s)",
		       strerror(-ret));
	if (info != &first)
		free(info);
	return ret;
}
