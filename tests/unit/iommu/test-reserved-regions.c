// SPDX-License-Identifier: GPL-2.0
/*
 * reserved_regions as the kernel prints them (iommu_group_show_resv_regions:
 * "0x%016llx 0x%016llx %s\n"), real files from the test host, and lines
 * that are not what the kernel prints.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/iommu.h"
#include "fake-sysfs.h"

static char *read_data(const char *name)
{
	const char *dir = getenv("TRIOVM_TEST_DATA");
	char path[PATH_MAX];
	static char buf[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/unit/data",
		 name);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void test_real_msi_window(void **state)
{
	struct iommu_resv_regions r = { .nr = 0 };

	assert_int_equal(
		iommu_resv__parse(
			read_data("iommu-reserved_regions-testhost-nic"), 3,
			&r),
		0);
	assert_int_equal(r.nr, 1);
	assert_int_equal(r.r[0].start, 0xfee00000ULL);
	assert_int_equal(r.r[0].last, 0xfeefffffULL);
	assert_int_equal(r.r[0].type, IOMMU_RESV_TYPE_MSI);
	assert_string_equal(r.r[0].type_name, "msi");
	assert_int_equal(r.r[0].group, 3);
	assert_true(iommu_resv__blocks_dma(&r.r[0]));
}

static void test_real_relaxable(void **state)
{
	struct iommu_resv_regions r = { .nr = 0 };

	assert_int_equal(
		iommu_resv__parse(
			read_data("iommu-reserved_regions-testhost-lpc"), 6,
			&r),
		0);
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.r[0].start, 0);
	assert_int_equal(r.r[0].last, 0xffffffULL);
	assert_int_equal(r.r[0].type, IOMMU_RESV_TYPE_DIRECT_RELAXABLE);
	/* VFIO's type1 lets users map over relaxable regions: so does triovm. */
	assert_false(iommu_resv__blocks_dma(&r.r[0]));
	assert_int_equal(r.r[1].type, IOMMU_RESV_TYPE_MSI);
}

static void test_every_kernel_type(void **state)
{
	/* AMD's HyperTransport hole, an RMRR, an ARM SW MSI window. */
	const char *text = "0x0000000000000000 0x0000000000000fff direct\n"
			   "0x00000000fee00000 0x00000000feefffff msi\n"
			   "0x000000fd00000000 0x000000ffffffffff reserved\n"
			   "0x0000000008000000 0x00000000080fffff msi\n";
	struct iommu_resv_regions r = { .nr = 0 };

	assert_int_equal(iommu_resv__parse(text, 1, &r), 0);
	assert_int_equal(r.nr, 4);
	assert_int_equal(r.r[0].type, IOMMU_RESV_TYPE_DIRECT);
	assert_int_equal(r.r[2].type, IOMMU_RESV_TYPE_RESERVED);
	assert_int_equal(r.r[2].start, 0xfd00000000ULL);
	assert_int_equal(r.r[2].last, 0xffffffffffULL);
	assert_true(iommu_resv__blocks_dma(&r.r[0]));
	assert_true(iommu_resv__blocks_dma(&r.r[2]));
}

static void test_appends_across_groups(void **state)
{
	struct iommu_resv_regions r = { .nr = 0 };

	assert_int_equal(iommu_resv__parse("0x1000 0x1fff msi\n", 1, &r), 0);
	assert_int_equal(iommu_resv__parse("0x3000 0x3fff reserved", 2, &r), 0);
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.r[0].group, 1);
	assert_int_equal(r.r[1].group, 2);
	assert_int_equal(r.r[1].last, 0x3fff);
}

static void test_empty_and_max(void **state)
{
	struct iommu_resv_regions r = { .nr = 0 };

	assert_int_equal(iommu_resv__parse("", 0, &r), 0);
	assert_int_equal(iommu_resv__parse("\n", 0, &r), 0);
	assert_int_equal(r.nr, 0);
	assert_int_equal(
		iommu_resv__parse("0xffffffffffffffff 0xffffffffffffffff msi",
				  0, &r),
		0);
	assert_int_equal(r.r[0].last, UINT64_MAX);
}

static void test_unknown_type_blocks(void **state)
{
	struct iommu_resv_regions r = { .nr = 0 };

	assert_int_equal(iommu_resv__parse("0x1000 0x1fff msi-sw-v2\n", 0, &r),
			 0);
	assert_int_equal(r.r[0].type, IOMMU_RESV_TYPE_OTHER);
	assert_string_equal(r.r[0].type_name, "msi-sw-v2");
	assert_true(iommu_resv__blocks_dma(&r.r[0]));
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"0x00000000fee00000 0x00000000feefffff",
		"0x00000000fee00000 0x00000000feefffff ",
		"0x00000000fee00000\n",
		"0x00000000feefffff 0x00000000fee00000 msi", /* end < start */
		"-1 0x10 msi",
		"0x1 -0x10 msi",
		"0xzz 0x10 msi",
		"0x 0x10 msi",
		"0x10 0x20 msi extra",
		"0x10 0x20 MSI",
		"0x10  0x20 msi",
		" 0x10 0x20 msi",
		"0x10\t0x20 msi",
		"0x1ffffffffffffffff 0x2ffffffffffffffff msi", /* overflow */
		"0x10 0x20 a-type-name-far-too-long-to-be-real",
		"0x0000000000000000 0x0000000000000fff direct\ngarbage\n",
	};
	char err[1024];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct iommu_resv_regions r = { .nr = 0 };

		stderr_capture__begin();
		assert_int_equal(iommu_resv__parse(bad[i], 9, &r), -EINVAL);
		stderr_capture__end(err, sizeof(err));
		assert_int_equal(count_lines(err), 1);
		assert_non_null(strstr(err, "IOMMU group 9"));
	}
}

static void test_too_many(void **state)
{
	struct iommu_resv_regions r = { .nr = 0 };
	char *text = malloc(64 * (IOMMU_MAX_RANGES + 1) + 1), *p = text;
	int i;

	for (i = 0; i <= IOMMU_MAX_RANGES; i++)
		p += sprintf(p, "0x%016x 0x%016x msi\n", i * 0x1000,
			     i * 0x1000 + 0xfff);
	assert_int_equal(iommu_resv__parse(text, 0, &r), -E2BIG);
	free(text);
}

static void test_read_from_sysfs(void **state)
{
	struct iommu_resv_regions r = { .nr = 0 };
	char *root = fake_sysfs__new();

	fake_sysfs__group(root, 6,
			  read_data("iommu-reserved_regions-testhost-lpc"));
	assert_int_equal(iommu_resv__read(root, 6, &r), 0);
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.r[1].start, 0xfee00000ULL);
	assert_int_equal(r.r[1].group, 6);
	assert_int_equal(iommu_resv__read(root, 7, &r), -ENOENT);
	fake_sysfs__remove(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_msi_window),
		cmocka_unit_test(test_real_relaxable),
		cmocka_unit_test(test_every_kernel_type),
		cmocka_unit_test(test_appends_across_groups),
		cmocka_unit_test(test_empty_and_max),
		cmocka_unit_test(test_unknown_type_blocks),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_read_from_sysfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
