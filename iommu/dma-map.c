// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA map of a VFIO type1 container: guest RAM at IOVA = guest physical
 * address, so that the guest's driver programs its device with the addresses
 * it knows and the IOMMU confines the device to exactly that RAM. Type1 pins
 * the pages (counted against RLIMIT_MEMLOCK).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/vfio.h>

#include "triovm/iommu.h"
#include "triovm/log.h"
#include "triovm/memory.h"

void iommu_dma__init(struct iommu_dma *d, int container_fd)
{
	memset(d, 0, sizeof(*d));
	d->container_fd = container_fd;
}

static uint64_t iommu_page(const struct iommu_dma *d)
{
	/* The smallest page the IOMMU maps; 4 KiB when it did not say. */
	return d->info.pgsizes ? d->info.pgsizes & -d->info.pgsizes : 4096;
}

static int check(const struct iommu_dma *d, const struct iova_span *spans,
		 int nr, const char *what)
{
	struct iova_conflict why;
	char msg[256];
	int i;

	if (iommu__check_layout(spans, nr, &d->resv,
				d->info.have_ranges ? &d->info.usable : NULL,
				&why)) {
		const struct iova_span *s = &spans[why.span];

		iova_conflict__format(&why, msg, sizeof(msg));
		pr_err("cannot map %s at 0x%" PRIx64 "-0x%" PRIx64
		       " for DMA: %s",
		       what, s->iova, s->iova + s->size - 1, msg);
		return -EINVAL;
	}
	for (i = 0; i < nr; i++) {
		uint64_t page = iommu_page(d);

		if (spans[i].iova % page || spans[i].size % page) {
			pr_err("cannot map %s at 0x%" PRIx64 "+0x%" PRIx64
			       " for DMA: not aligned to the IOMMU page size (0x%" PRIx64
			       ")",
			       what, spans[i].iova, spans[i].size, page);
			return -EINVAL;
		}
	}
	if (d->nr_maps + nr > IOMMU_DMA_MAX_MAPS ||
	    (d->info.have_dma_avail &&
	     (uint64_t)d->nr_maps + nr > d->info.dma_avail)) {
		pr_err("cannot map %s for DMA: the container takes no more mappings",
		       what);
		return -ENOSPC;
	}
	return 0;
}

static const char *map_hint(int err)
{
	switch (err) {
	case ENOMEM: /* type1 pins what it maps */
		return " (pinning it needs a locked-memory limit, ulimit -l, this large)";
	case EEXIST:
		return " (it overlaps a mapping already made)";
	case ENOSPC:
		return " (type1's dma_entry_limit is reached)";
	default:
		return "";
	}
}

static int map_one(struct iommu_dma *d, const struct iova_span *s, void *hva,
		   const char *what)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uint64_t)(uintptr_t)hva,
		.iova = s->iova,
		.size = s->size,
	};
	int err;

	if (ioctl(d->container_fd, VFIO_IOMMU_MAP_DMA, &m) == 0) {
		d->maps[d->nr_maps++] = *s;
		return 0;
	}
	err = errno;
	pr_err("VFIO_IOMMU_MAP_DMA of %s at 0x%" PRIx64 "+0x%" PRIx64 ": %s%s",
	       what, s->iova, s->size, strerror(err), map_hint(err));
	return -err;
}

int iommu_dma__map(struct iommu_dma *d, uint64_t iova, uint64_t size, void *hva)
{
	struct iova_span s = { iova, size };
	int ret;

	if ((uintptr_t)hva % iommu_page(d)) {
		pr_err("cannot map host memory at %p for DMA: not page aligned",
		       hva);
		return -EINVAL;
	}
	ret = check(d, &s, 1, "memory");
	return ret ? ret : map_one(d, &s, hva, "memory");
}

int iommu_dma__unmap(struct iommu_dma *d, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.iova = iova,
		.size = size,
	};
	int i, err;

	if (ioctl(d->container_fd, VFIO_IOMMU_UNMAP_DMA, &u) < 0) {
		err = errno;
		pr_err("VFIO_IOMMU_UNMAP_DMA at 0x%" PRIx64 "+0x%" PRIx64
		       ": %s",
		       iova, size, strerror(err));
		return -err;
	}
	for (i = 0; i < d->nr_maps; i++) {
		if (d->maps[i].iova == iova && d->maps[i].size == size) {
			d->maps[i] = d->maps[--d->nr_maps];
			break;
		}
	}
	return 0;
}

/* Undo the newest mappings until `keep` are left. */
static void unmap_down_to(struct iommu_dma *d, int keep)
{
	while (d->nr_maps > keep) {
		int before = d->nr_maps;

		iommu_dma__unmap(d, d->maps[before - 1].iova,
				 d->maps[before - 1].size);
		/* Closing the container unmaps whatever the kernel still has. */
		if (d->nr_maps == before)
			d->nr_maps--;
	}
}

int iommu_dma__map_guest_mem(struct iommu_dma *d, const struct guest_mem *mem)
{
	struct iova_span spans[GUEST_MEM_MAX_REGIONS];
	int i, ret, first = d->nr_maps;

	for (i = 0; i < mem->nr_regions; i++) {
		spans[i].iova = mem->regions[i].gpa;
		spans[i].size = mem->regions[i].size;
	}
	ret = check(d, spans, mem->nr_regions, "guest RAM");
	if (ret)
		return ret;
	for (i = 0; i < mem->nr_regions; i++) {
		ret = map_one(d, &spans[i], mem->regions[i].hva, "guest RAM");
		if (ret)
			break;
	}
	if (ret)
		unmap_down_to(d, first);
	return ret;
}

void iommu_dma__unmap_all(struct iommu_dma *d)
{
	unmap_down_to(d, 0);
}
