// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO_IOMMU_GET_INFO's capability chain, on buffers laid out as the kernel
 * lays them out (vfio_iommu_type1_get_info) and on hostile ones: offsets
 * pointing backwards, at themselves, into the fixed part or past the end,
 * counts larger than the buffer. Each parse gets a heap copy of exactly the
 * buffer's length, so that a sanitizer build catches any read beyond it.
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

#include "triovm/iommu.h"
#include "triovm/vfio-caps.h"

#define INFO_SIZE sizeof(struct vfio_iommu_type1_info)

static uint8_t buf[2048];

static void put_info(uint32_t argsz, uint32_t flags, uint64_t pgsizes,
		     uint32_t cap_offset)
{
	struct vfio_iommu_type1_info info = {
		.argsz = argsz,
		.flags = flags,
		.iova_pgsizes = pgsizes,
		.cap_offset = cap_offset,
	};

	memcpy(buf, &info, sizeof(info));
}

static int clear(void **state)
{
	memset(buf, 0, sizeof(buf));
	return 0;
}

static size_t put_ranges(size_t off, uint32_t next,
			 const struct vfio_iova_range *r, uint32_t n,
			 uint32_t claimed)
{
	struct vfio_iommu_type1_info_cap_iova_range c = {
		.header = { .id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE,
			    .version = 1,
			    .next = next },
		.nr_iovas = claimed,
	};

	memcpy(buf + off, &c, sizeof(c));
	memcpy(buf + off + sizeof(c), r, n * sizeof(*r));
	return off + sizeof(c) + n * sizeof(*r);
}

static size_t put_avail(size_t off, uint32_t next, uint32_t avail)
{
	struct vfio_iommu_type1_info_dma_avail c = {
		.header = { .id = VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL,
			    .version = 1,
			    .next = next },
		.avail = avail,
	};

	memcpy(buf + off, &c, sizeof(c));
	return off + sizeof(c);
}

static size_t put_header(size_t off, uint16_t id, uint32_t next)
{
	struct vfio_info_cap_header h = { .id = id,
					  .version = 1,
					  .next = next };

	memcpy(buf + off, &h, sizeof(h));
	return off + sizeof(h);
}

static int parse(size_t len, struct iommu_info *out)
{
	void *copy = malloc(len);
	int ret;

	memcpy(copy, buf, len);
	ret = iommu_info__parse(copy, len, out);
	free(copy);
	return ret;
}

static const struct vfio_iova_range testhost[] = {
	{ 0, 0xfedfffffULL },
	{ 0xfef00000ULL, 0x7fffffffffULL },
};

static void test_no_caps(void **state)
{
	struct iommu_info info;

	put_info(INFO_SIZE, VFIO_IOMMU_INFO_PGSIZES, 0x40201000ULL, 0);
	assert_int_equal(parse(INFO_SIZE, &info), 0);
	assert_int_equal(info.pgsizes, 0x40201000ULL);
	assert_false(info.have_ranges);
	assert_false(info.have_dma_avail);
	/* Shorter than the fixed part: refused. */
	assert_int_equal(parse(INFO_SIZE - 1, &info), -EINVAL);
}

/* As type1 builds it: IOVA ranges first, then DMA_AVAIL (test host values). */
static void test_kernel_layout(void **state)
{
	struct iommu_info info;
	size_t end, second;

	second = INFO_SIZE +
		 sizeof(struct vfio_iommu_type1_info_cap_iova_range) +
		 sizeof(testhost);
	end = put_ranges(INFO_SIZE, second, testhost, 2, 2);
	assert_int_equal(end, second);
	end = put_avail(second, 0, 65535);
	put_info(end, VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS,
		 0x40201000ULL, INFO_SIZE);
	assert_int_equal(parse(end, &info), 0);
	assert_true(info.have_ranges);
	assert_int_equal(info.usable.nr, 2);
	assert_int_equal(info.usable.r[0].start, 0);
	assert_int_equal(info.usable.r[0].last, 0xfedfffffULL);
	assert_int_equal(info.usable.r[1].start, 0xfef00000ULL);
	assert_int_equal(info.usable.r[1].last, 0x7fffffffffULL);
	assert_true(info.have_dma_avail);
	assert_int_equal(info.dma_avail, 65535);
}

static void test_other_order_and_unknown_caps(void **state)
{
	struct iommu_info info;
	size_t a = INFO_SIZE, b, c, end;

	b = a + sizeof(struct vfio_iommu_type1_info_dma_avail);
	c = b + sizeof(struct vfio_info_cap_header) +
	    16; /* unknown, 16 bytes */
	put_avail(a, b, 7);
	put_header(b, 2 /* migration */, c);
	end = put_ranges(c, 0, testhost, 1, 1);
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, a);
	assert_int_equal(parse(end, &info), 0);
	assert_int_equal(info.dma_avail, 7);
	assert_int_equal(info.usable.nr, 1);
}

static void test_caps_flag_off_ignores_chain(void **state)
{
	struct iommu_info info;

	put_info(INFO_SIZE + 8, 0, 0, 4); /* a bad offset, but no CAPS flag */
	assert_int_equal(parse(INFO_SIZE + 8, &info), 0);
	assert_false(info.have_ranges);
}

static void test_offset_into_fixed_part(void **state)
{
	struct iommu_info info;
	size_t end = put_avail(INFO_SIZE, 0, 1);

	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, 8);
	assert_int_equal(parse(end, &info), -EINVAL);
}

static void test_offset_past_end(void **state)
{
	struct iommu_info info;

	put_info(INFO_SIZE, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(INFO_SIZE, &info), -EINVAL);
	put_info(INFO_SIZE + 4, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(INFO_SIZE + 4, &info),
			 -EINVAL); /* half a header */
	put_info(INFO_SIZE, VFIO_IOMMU_INFO_CAPS, 0, 0xffffffffu);
	assert_int_equal(parse(INFO_SIZE, &info), -EINVAL);
}

static void test_self_loop(void **state)
{
	struct iommu_info info;
	size_t end;

	end = put_header(INFO_SIZE, 99, INFO_SIZE);
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
}

static void test_backwards_cycle(void **state)
{
	struct iommu_info info;
	size_t a = INFO_SIZE, b = INFO_SIZE + 16, end;

	put_header(a, 99, b);
	end = put_header(b, 98, a); /* b -> a -> b -> ... */
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, a);
	assert_int_equal(parse(end, &info), -EINVAL);
}

static void test_next_inside_current_header(void **state)
{
	struct iommu_info info;
	size_t end;

	put_header(INFO_SIZE, 99, INFO_SIZE + 4);
	end = INFO_SIZE + 32;
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
}

static void test_next_beyond_argsz(void **state)
{
	struct iommu_info info;
	size_t end;

	put_avail(INFO_SIZE, INFO_SIZE + 16, 5);
	end = put_avail(INFO_SIZE + 16, 0, 6);
	/* The kernel said argsz stops before the second capability. */
	put_info(INFO_SIZE + 16, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
}

static void test_count_beyond_buffer(void **state)
{
	struct iommu_info info;
	size_t end;

	end = put_ranges(INFO_SIZE, 0, testhost, 2, 3);
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
	end = put_ranges(INFO_SIZE, 0, testhost, 2, 0xffffffffu);
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
}

static void test_truncated_caps(void **state)
{
	struct iommu_info info;
	size_t end;

	/* DMA_AVAIL cut after its header. */
	end = put_avail(INFO_SIZE, 0, 1) - 4;
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
	/* The range capability cut inside its own fixed part. */
	end = put_ranges(INFO_SIZE, 0, testhost, 0, 0) - 4;
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
}

static void test_bad_ranges(void **state)
{
	static const struct vfio_iova_range unsorted[] = {
		{ 0x100000, 0x1fffff }, { 0, 0xfffff }
	};
	static const struct vfio_iova_range overlapping[] = {
		{ 0, 0x1fffff }, { 0x100000, 0x2fffff }
	};
	static const struct vfio_iova_range inverted[] = { { 0x2000, 0x1000 } };
	struct iommu_info info;
	size_t end;

	end = put_ranges(INFO_SIZE, 0, unsorted, 2, 2);
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
	end = put_ranges(INFO_SIZE, 0, overlapping, 2, 2);
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
	end = put_ranges(INFO_SIZE, 0, inverted, 1, 1);
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
}

static void test_duplicate_cap(void **state)
{
	struct iommu_info info;
	size_t end;

	put_avail(INFO_SIZE, INFO_SIZE + 16, 1);
	end = put_avail(INFO_SIZE + 16, 0, 2);
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -EINVAL);
}

static void test_too_many_ranges(void **state)
{
	static struct vfio_iova_range many[IOMMU_MAX_RANGES + 1];
	struct iommu_info info;
	size_t end;
	int i;

	assert_true(sizeof(buf) >= INFO_SIZE + 16 + sizeof(many));
	for (i = 0; i <= IOMMU_MAX_RANGES; i++) {
		many[i].start = i * 0x2000ULL;
		many[i].end = i * 0x2000ULL + 0xfff;
	}
	end = put_ranges(INFO_SIZE, 0, many, IOMMU_MAX_RANGES + 1,
			 IOMMU_MAX_RANGES + 1);
	put_info(end, VFIO_IOMMU_INFO_CAPS, 0, INFO_SIZE);
	assert_int_equal(parse(end, &info), -E2BIG);
}

static int count_caps(const struct vfio_info_cap_header *hdr, const void *cap,
		      size_t len, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/* The walker itself: each capability visited once, a cycle cut short. */
static void test_walker_visits_each_once(void **state)
{
	int n = 0;
	size_t end;

	put_header(32, 1, 48);
	put_header(48, 2, 64);
	end = put_header(64, 3, 0);
	assert_int_equal(vfio_caps__walk(buf, end, 32, 32, count_caps, &n), 0);
	assert_int_equal(n, 3);
	n = 0;
	put_header(64, 3, 48); /* 48 -> 64 -> 48 */
	assert_int_equal(vfio_caps__walk(buf, end, 32, 32, count_caps, &n),
			 -EINVAL);
	assert_true(n <= 3);
	assert_int_equal(vfio_caps__walk(buf, end, 0, 32, count_caps, &n), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_caps, clear),
		cmocka_unit_test_setup(test_kernel_layout, clear),
		cmocka_unit_test_setup(test_other_order_and_unknown_caps,
				       clear),
		cmocka_unit_test_setup(test_caps_flag_off_ignores_chain, clear),
		cmocka_unit_test_setup(test_offset_into_fixed_part, clear),
		cmocka_unit_test_setup(test_offset_past_end, clear),
		cmocka_unit_test_setup(test_self_loop, clear),
		cmocka_unit_test_setup(test_backwards_cycle, clear),
		cmocka_unit_test_setup(test_next_inside_current_header, clear),
		cmocka_unit_test_setup(test_next_beyond_argsz, clear),
		cmocka_unit_test_setup(test_count_beyond_buffer, clear),
		cmocka_unit_test_setup(test_truncated_caps, clear),
		cmocka_unit_test_setup(test_bad_ranges, clear),
		cmocka_unit_test_setup(test_duplicate_cap, clear),
		cmocka_unit_test_setup(test_too_many_ranges, clear),
		cmocka_unit_test_setup(test_walker_visits_each_once, clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
