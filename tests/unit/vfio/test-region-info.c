// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO_DEVICE_GET_REGION_INFO with its capability chain: sparse mmap areas
 * (what may be mapped into the guest) and MSIX_MAPPABLE, laid out as
 * vfio-pci does; areas outside their region and broken chains are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/vfio.h>

#include "triovm/vfio.h"

#define INFO_SIZE sizeof(struct vfio_region_info)

static uint8_t buf[1024];

static int clear(void **state)
{
	memset(buf, 0, sizeof(buf));
	return 0;
}

static void put_info(uint32_t argsz, uint32_t flags, uint32_t index,
		     uint32_t cap_offset, uint64_t size, uint64_t offset)
{
	struct vfio_region_info info = {
		.argsz = argsz,
		.flags = flags,
		.index = index,
		.cap_offset = cap_offset,
		.size = size,
		.offset = offset,
	};

	memcpy(buf, &info, sizeof(info));
}

static size_t put_sparse(size_t off, uint32_t next,
			 const struct vfio_region_sparse_mmap_area *a,
			 uint32_t n, uint32_t claimed)
{
	struct vfio_region_info_cap_sparse_mmap c = {
		.header = { .id = VFIO_REGION_INFO_CAP_SPARSE_MMAP,
			    .version = 1,
			    .next = next },
		.nr_areas = claimed,
	};

	memcpy(buf + off, &c, sizeof(c));
	memcpy(buf + off + sizeof(c), a, n * sizeof(*a));
	return off + sizeof(c) + n * sizeof(*a);
}

static size_t put_header(size_t off, uint16_t id, uint32_t next)
{
	struct vfio_info_cap_header h = { .id = id,
					  .version = 1,
					  .next = next };

	memcpy(buf + off, &h, sizeof(h));
	return off + sizeof(h);
}

static int parse(size_t len, struct vfio_region *r)
{
	void *copy = malloc(len);
	int ret;

	memcpy(copy, buf, len);
	ret = vfio_region__parse_info(copy, len, r);
	free(copy);
	return ret;
}

#define RW_MMAP                                                     \
	(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE | \
	 VFIO_REGION_INFO_FLAG_MMAP)

/* e1000e's BAR0 in the test host: no capabilities, mmap the whole of it. */
static void test_plain_bar(void **state)
{
	struct vfio_region r;

	put_info(INFO_SIZE, RW_MMAP, VFIO_PCI_BAR0_REGION_INDEX, 0, 0x20000, 0);
	assert_int_equal(parse(INFO_SIZE, &r), 0);
	assert_int_equal(r.index, 0);
	assert_int_equal(r.size, 0x20000);
	assert_int_equal(r.flags, RW_MMAP);
	assert_false(r.sparse);
	assert_false(r.msix_mappable);
	assert_null(r.areas);
	vfio_region__release(&r);
}

/* e1000e's BAR3 (the MSI-X table) behind interrupt remapping. */
static void test_msix_mappable(void **state)
{
	struct vfio_region r;
	size_t end =
		put_header(INFO_SIZE, VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, 0);

	put_info(end, RW_MMAP | VFIO_REGION_INFO_FLAG_CAPS,
		 VFIO_PCI_BAR3_REGION_INDEX, INFO_SIZE, 0x4000,
		 0x30000000000ULL);
	assert_int_equal(parse(end, &r), 0);
	assert_true(r.msix_mappable);
	assert_false(r.sparse);
	assert_int_equal(r.offset, 0x30000000000ULL);
}

/* A BAR whose MSI-X table page must be trapped: two areas around it. */
static void test_sparse_areas(void **state)
{
	static const struct vfio_region_sparse_mmap_area areas[] = {
		{ 0, 0x3000 }, { 0x4000, 0xc000 }
	};
	struct vfio_region r;
	size_t end, second;

	second = INFO_SIZE + sizeof(struct vfio_region_info_cap_sparse_mmap) +
		 sizeof(areas);
	put_sparse(INFO_SIZE, second, areas, 2, 2);
	end = put_header(second, 2 /* region type */, 0) + 8;
	put_info(end, RW_MMAP | VFIO_REGION_INFO_FLAG_CAPS, 4, INFO_SIZE,
		 0x10000, 0x40000000000ULL);
	assert_int_equal(parse(end, &r), 0);
	assert_true(r.sparse);
	assert_int_equal(r.nr_areas, 2);
	assert_int_equal(r.areas[0].offset, 0);
	assert_int_equal(r.areas[0].size, 0x3000);
	assert_int_equal(r.areas[1].offset, 0x4000);
	assert_int_equal(r.areas[1].size, 0xc000);
	vfio_region__release(&r);
	assert_null(r.areas);
}

static void test_sparse_nothing_mappable(void **state)
{
	static const struct vfio_region_sparse_mmap_area none[1];
	struct vfio_region r;
	size_t end = put_sparse(INFO_SIZE, 0, none, 0, 0);

	put_info(end, RW_MMAP | VFIO_REGION_INFO_FLAG_CAPS, 0, INFO_SIZE,
		 0x1000, 0);
	assert_int_equal(parse(end, &r), 0);
	assert_true(r.sparse);
	assert_int_equal(r.nr_areas, 0);
}

static void test_area_outside_region(void **state)
{
	static const struct vfio_region_sparse_mmap_area past[] = {
		{ 0x1000, 0x10000 }
	};
	static const struct vfio_region_sparse_mmap_area wraps[] = {
		{ 0x1000, UINT64_MAX }
	};
	struct vfio_region r;
	size_t end;

	end = put_sparse(INFO_SIZE, 0, past, 1, 1);
	put_info(end, VFIO_REGION_INFO_FLAG_CAPS, 0, INFO_SIZE, 0x10000, 0);
	assert_int_equal(parse(end, &r), -EINVAL);
	assert_null(r.areas);
	end = put_sparse(INFO_SIZE, 0, wraps, 1, 1);
	put_info(end, VFIO_REGION_INFO_FLAG_CAPS, 0, INFO_SIZE, 0x10000, 0);
	assert_int_equal(parse(end, &r), -EINVAL);
}

static void test_hostile_chains(void **state)
{
	static const struct vfio_region_sparse_mmap_area one[] = { { 0,
								     0x1000 } };
	struct vfio_region r;
	size_t end;

	/* More areas claimed than the buffer holds. */
	end = put_sparse(INFO_SIZE, 0, one, 1, 1000);
	put_info(end, VFIO_REGION_INFO_FLAG_CAPS, 0, INFO_SIZE, 0x10000, 0);
	assert_int_equal(parse(end, &r), -EINVAL);
	/* A capability pointing back at itself, then at the fixed part. */
	clear(state);
	end = put_header(INFO_SIZE, VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
			 INFO_SIZE);
	put_info(end, VFIO_REGION_INFO_FLAG_CAPS, 0, INFO_SIZE, 0x10000, 0);
	assert_int_equal(parse(end, &r), -EINVAL);
	put_header(INFO_SIZE, VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, 4);
	assert_int_equal(parse(end, &r), -EINVAL);
	put_info(end, VFIO_REGION_INFO_FLAG_CAPS, 0, 4, 0x10000, 0);
	assert_int_equal(parse(end, &r), -EINVAL);
	/* Two sparse capabilities: which one would be right? */
	clear(state);
	put_sparse(INFO_SIZE, INFO_SIZE + 32, one, 1, 1);
	end = put_sparse(INFO_SIZE + 32, 0, one, 1, 1);
	put_info(end, VFIO_REGION_INFO_FLAG_CAPS, 0, INFO_SIZE, 0x10000, 0);
	assert_int_equal(parse(end, &r), -EINVAL);
	assert_null(r.areas);
	/* Shorter than the fixed part. */
	assert_int_equal(parse(INFO_SIZE - 1, &r), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plain_bar, clear),
		cmocka_unit_test_setup(test_msix_mappable, clear),
		cmocka_unit_test_setup(test_sparse_areas, clear),
		cmocka_unit_test_setup(test_sparse_nothing_mappable, clear),
		cmocka_unit_test_setup(test_area_outside_region, clear),
		cmocka_unit_test_setup(test_hostile_chains, clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
