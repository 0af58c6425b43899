// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM (IOVA = GPA) against reserved regions and usable IOVA ranges:
 * triovm's own layout must fit the test host's IOMMU, and anything over a
 * reserved region or outside the usable ranges is refused, naming the range.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "triovm/iommu.h"
#include "triovm/layout.h"
#include "triovm/memory.h"
#include "triovm/util.h"

/* What VFIO_IOMMU_GET_INFO and reserved_regions said in the test host. */
static const struct iova_ranges testhost_usable = {
	.r = { { 0, 0xfedfffffULL }, { 0xfef00000ULL, 0x7fffffffffULL } },
	.nr = 2,
};

static void resv_add(struct iommu_resv_regions *r, uint64_t start,
		     uint64_t last, enum iommu_resv_type type, const char *name,
		     unsigned int group)
{
	struct iommu_resv_region *x = &r->r[r->nr++];

	x->start = start;
	x->last = last;
	x->type = type;
	strcpy(x->type_name, name);
	x->group = group;
}

static void msi_window(struct iommu_resv_regions *r, unsigned int group)
{
	resv_add(r, MSI_WINDOW_START, MSI_WINDOW_START + MSI_WINDOW_SIZE - 1,
		 IOMMU_RESV_TYPE_MSI, "msi", group);
}

static int mem_spans(uint64_t ram, struct iova_span *spans)
{
	struct guest_mem mem;
	int i, n;

	/* triovm's real split around the PCI hole (memfd, never touched). */
	assert_int_equal(guest_mem__init(&mem, ram, false), 0);
	n = mem.nr_regions;
	for (i = 0; i < n; i++) {
		spans[i].iova = mem.regions[i].gpa;
		spans[i].size = mem.regions[i].size;
	}
	guest_mem__exit(&mem);
	return n;
}

static void test_triovm_layout_fits(void **state)
{
	static const uint64_t sizes[] = { 256 * SZ_1M, 3 * SZ_1G, 6 * SZ_1G,
					  64 * SZ_1G };
	struct iommu_resv_regions resv = { .nr = 0 };
	struct iova_span spans[GUEST_MEM_MAX_REGIONS];
	struct iova_conflict why;
	size_t i;
	int n;

	msi_window(&resv, 3);
	/* The ISA bridge's relaxable identity map, as in the test host. */
	resv_add(&resv, 0, 0xffffff, IOMMU_RESV_TYPE_DIRECT_RELAXABLE,
		 "direct-relaxable", 6);
	msi_window(&resv, 6);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		n = mem_spans(sizes[i], spans);
		assert_int_equal(iommu__check_layout(spans, n, &resv,
						     &testhost_usable, &why),
				 0);
		assert_int_equal(
			iommu__check_layout(spans, n, &resv, NULL, &why), 0);
	}
	/* Both sides of the hole really are there at 6 GiB. */
	n = mem_spans(6 * SZ_1G, spans);
	assert_int_equal(n, 2);
	assert_int_equal(spans[0].iova + spans[0].size, MEM_32BIT_GAP_START);
	assert_int_equal(spans[1].iova, MEM_HIGH_START);
}

static void test_overlap_msi_refused(void **state)
{
	/* RAM that runs on into the MSI window, as a 4 GiB low region would. */
	struct iova_span spans[] = { { 0, MEM_32BIT_GAP_START },
				     { 0xfe000000ULL, 0x2000000ULL } };
	struct iommu_resv_regions resv = { .nr = 0 };
	struct iova_conflict why;
	char msg[256];

	msi_window(&resv, 3);
	assert_int_equal(iommu__check_layout(spans, 2, &resv, &testhost_usable,
					     &why),
			 -EINVAL);
	assert_int_equal(why.span, 1);
	assert_int_equal(why.start, 0xfee00000ULL);
	assert_int_equal(why.last, 0xfeefffffULL);
	assert_ptr_equal(why.resv, &resv.r[0]);
	iova_conflict__format(&why, msg, sizeof(msg));
	assert_string_equal(
		msg,
		"IOVA 0xfee00000-0xfeefffff falls in reserved region 0xfee00000-0xfeefffff (msi) of IOMMU group 3");
	/* The same without the kernel's usable ranges. */
	assert_int_equal(iommu__check_layout(spans, 2, &resv, NULL, &why),
			 -EINVAL);
	assert_ptr_equal(why.resv, &resv.r[0]);
}

static void test_partial_overlap_names_the_overlap(void **state)
{
	struct iova_span span = { 0xfef00000ULL - SZ_4K, SZ_1M };
	struct iommu_resv_regions resv = { .nr = 0 };
	struct iova_conflict why;

	msi_window(&resv, 1);
	assert_int_equal(iommu__check_layout(&span, 1, &resv, NULL, &why),
			 -EINVAL);
	assert_int_equal(why.start, 0xfef00000ULL - SZ_4K);
	assert_int_equal(why.last, 0xfeefffffULL);
}

static void test_lowest_reserved_first(void **state)
{
	struct iova_span span = { 0, SZ_4G };
	struct iommu_resv_regions resv = { .nr = 0 };
	struct iova_conflict why;

	msi_window(&resv, 1);
	resv_add(&resv, 0x7f000000ULL, 0x7f0fffffULL, IOMMU_RESV_TYPE_DIRECT,
		 "direct", 2);
	assert_int_equal(iommu__check_layout(&span, 1, &resv, NULL, &why),
			 -EINVAL);
	assert_ptr_equal(why.resv, &resv.r[1]);
}

static void test_direct_blocks_relaxable_does_not(void **state)
{
	struct iova_span spans[GUEST_MEM_MAX_REGIONS];
	struct iommu_resv_regions resv = { .nr = 0 };
	struct iova_conflict why;
	char msg[256];
	int n = mem_spans(SZ_1G, spans);

	resv_add(&resv, 0xe8000, 0xe8fff, IOMMU_RESV_TYPE_DIRECT_RELAXABLE,
		 "direct-relaxable", 4);
	assert_int_equal(iommu__check_layout(spans, n, &resv, NULL, &why), 0);
	/* An RMRR that must stay identity-mapped cannot be guest RAM. */
	resv_add(&resv, 0x3e000000ULL, 0x3e7fffffULL, IOMMU_RESV_TYPE_DIRECT,
		 "direct", 4);
	assert_int_equal(iommu__check_layout(spans, n, &resv, NULL, &why),
			 -EINVAL);
	assert_int_equal(why.span, 0);
	iova_conflict__format(&why, msg, sizeof(msg));
	assert_non_null(strstr(msg, "(direct) of IOMMU group 4"));
}

static void test_outside_usable(void **state)
{
	/* 512 GiB and up: beyond the test host's 39-bit address width. */
	struct iova_span spans[] = { { 0, SZ_1G },
				     { 0x7fc0000000ULL, 2 * SZ_1G } };
	struct iova_conflict why;
	char msg[256];

	assert_int_equal(iommu__check_layout(spans, 2, NULL, &testhost_usable,
					     &why),
			 -EINVAL);
	assert_int_equal(why.span, 1);
	assert_null(why.resv);
	assert_int_equal(why.start, 0x8000000000ULL);
	assert_int_equal(why.last, 0x803fffffffULL);
	iova_conflict__format(&why, msg, sizeof(msg));
	assert_string_equal(
		msg,
		"IOVA 0x8000000000-0x803fffffff is outside the IOMMU's usable IOVA ranges");
}

static void test_gap_in_usable_without_reserved(void **state)
{
	struct iova_span span = { 0xf0000000ULL, 0x10000000ULL };
	struct iova_conflict why;

	assert_int_equal(iommu__check_layout(&span, 1, NULL, &testhost_usable,
					     &why),
			 -EINVAL);
	assert_int_equal(why.start, 0xfee00000ULL);
	assert_int_equal(why.last, 0xfeefffffULL);
}

static void test_adjacent_usable_ranges(void **state)
{
	static const struct iova_ranges split = {
		.r = { { 0, 0xfff },
		       { 0x1000, 0x1fff },
		       { 0x3000, UINT64_MAX } },
		.nr = 3,
	};
	struct iova_span ok = { 0, 0x2000 },
			 top = { UINT64_MAX - 0xfff, 0x1000 },
			 bad = { 0x1000, 0x3000 };
	struct iova_conflict why;

	assert_int_equal(iommu__check_layout(&ok, 1, NULL, &split, &why), 0);
	assert_int_equal(iommu__check_layout(&top, 1, NULL, &split, &why), 0);
	assert_int_equal(iommu__check_layout(&bad, 1, NULL, &split, &why),
			 -EINVAL);
	assert_int_equal(why.start, 0x2000);
	assert_int_equal(why.last, 0x2fff);
}

static void test_empty_and_wrapping_spans(void **state)
{
	struct iova_span empty = { MSI_WINDOW_START, 0 },
			 wrap = { UINT64_MAX - 0xfff, 0x2000 };
	struct iommu_resv_regions resv = { .nr = 0 };
	struct iova_conflict why;
	static const struct iova_ranges none = { .nr = 0 };

	msi_window(&resv, 1);
	assert_int_equal(iommu__check_layout(&empty, 1, &resv, &none, &why), 0);
	assert_int_equal(iommu__check_layout(&wrap, 1, NULL, NULL, &why),
			 -EINVAL);
	assert_int_equal(why.last, UINT64_MAX);
	/* The kernel said "nothing is usable": everything is refused. */
	empty.size = SZ_4K;
	assert_int_equal(iommu__check_layout(&empty, 1, NULL, &none, &why),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_triovm_layout_fits),
		cmocka_unit_test(test_overlap_msi_refused),
		cmocka_unit_test(test_partial_overlap_names_the_overlap),
		cmocka_unit_test(test_lowest_reserved_first),
		cmocka_unit_test(test_direct_blocks_relaxable_does_not),
		cmocka_unit_test(test_outside_usable),
		cmocka_unit_test(test_gap_in_usable_without_reserved),
		cmocka_unit_test(test_adjacent_usable_ranges),
		cmocka_unit_test(test_empty_and_wrapping_spans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
