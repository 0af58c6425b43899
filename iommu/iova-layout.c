// SPDX-License-Identifier: GPL-2.0
/*
 * Whether a DMA layout fits the IOMMU: IOVA = guest physical address, so
 * guest RAM must stay clear of every reserved region and inside the ranges
 * the container can translate. Type1 would refuse such a map with a bare
 * EINVAL; checking first lets triovm say which range is at fault.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "triovm/iommu.h"
#include "triovm/util.h"

static void conflict(struct iova_conflict *why, int span, uint64_t start,
		     uint64_t last, const struct iommu_resv_region *resv)
{
	why->span = span;
	why->start = start;
	why->last = last;
	why->resv = resv;
}

static const struct iommu_resv_region *
hit_reserved(uint64_t start, uint64_t last,
	     const struct iommu_resv_regions *resv)
{
	const struct iommu_resv_region *first = NULL;
	int i;

	for (i = 0; resv && i < resv->nr; i++) {
		const struct iommu_resv_region *r = &resv->r[i];

		if (!iommu_resv__blocks_dma(r) || r->start > last ||
		    r->last < start)
			continue;
		if (!first || r->start < first->start)
			first = r;
	}
	return first;
}

/* The first byte of [start, last] outside `usable`, and how far that goes. */
static bool outside_usable(uint64_t start, uint64_t last,
			   const struct iova_ranges *usable, uint64_t *gap,
			   uint64_t *gap_last)
{
	uint64_t cur = start;
	int i;

	for (;;) {
		const struct iova_range *in = NULL;
		uint64_t next = last;

		for (i = 0; i < usable->nr; i++) {
			const struct iova_range *r = &usable->r[i];

			if (r->start <= cur && cur <= r->last)
				in = r;
			else if (r->start > cur && r->start - 1 < next)
				next = r->start - 1;
		}
		if (!in) {
			*gap = cur;
			*gap_last = next;
			return true;
		}
		if (in->last >= last)
			return false;
		cur = in->last + 1;
	}
}

int iommu__check_layout(const struct iova_span *spans, int nr,
			const struct iommu_resv_regions *resv,
			const struct iova_ranges *usable,
			struct iova_conflict *why)
{
	int i;

	for (i = 0; i < nr; i++) {
		const struct iommu_resv_region *r;
		uint64_t start = spans[i].iova, last, gap, gap_last;

		if (!spans[i].size)
			continue;
		if (spans[i].size - 1 > UINT64_MAX - start) {
			conflict(why, i, start, UINT64_MAX, NULL);
			return -EINVAL;
		}
		last = start + spans[i].size - 1;
		r = hit_reserved(start, last, resv);
		if (r) {
			conflict(why, i, max(start, r->start),
				 min(last, r->last), r);
			return -EINVAL;
		}
		if (usable &&
		    outside_usable(start, last, usable, &gap, &gap_last)) {
			conflict(why, i, gap, gap_last, NULL);
			return -EINVAL;
		}
	}
	return 0;
}

void iova_conflict__format(const struct iova_conflict *c, char *buf, size_t len)
{
	if (c->resv)
		snprintf(buf, len,
			 "IOVA 0x%" PRIx64 "-0x%" PRIx64
			 " falls in reserved region 0x%" PRIx64 "-0x%" PRIx64
			 " (%s) of IOMMU group %u",
			 c->start, c->last, c->resv->start, c->resv->last,
			 c->resv->type_name, c->resv->group);
	else
		snprintf(buf, len,
			 "IOVA 0x%" PRIx64 "-0x%" PRIx64
			 " is outside the IOMMU's usable IOVA ranges",
			 c->start, c->last);
}
