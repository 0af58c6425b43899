// SPDX-License-Identifier: GPL-2.0
/* AML encoding, checked against byte sequences from the ACPI specification. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "triovm/acpi.h"
#include "triovm/aml.h"

#define assert_aml(a, ...)                                         \
	do {                                                       \
		const uint8_t want[] = { __VA_ARGS__ };            \
		assert_false((a)->failed);                         \
		assert_int_equal((a)->len, sizeof(want));          \
		assert_memory_equal((a)->buf, want, sizeof(want)); \
	} while (0)

static void test_eisaid(void **state)
{
	/* Values as iasl compiles them. */
	assert_int_equal(aml_eisaid("PNP0501"), 0x0105d041);
	assert_int_equal(aml_eisaid("PNP0A08"), 0x080ad041);
	assert_int_equal(aml_eisaid("PNP0A03"), 0x030ad041);
}

static void test_integers(void **state)
{
	struct aml a;

	aml_init(&a);
	aml_integer(&a, 0);
	aml_integer(&a, 1);
	aml_integer(&a, 0x12);
	aml_integer(&a, 0x1234);
	aml_integer(&a, 0x12345678);
	aml_integer(&a, 0x123456789aULL);
	assert_aml(&a, 0x00, 0x01, 0x0a, 0x12, 0x0b, 0x34, 0x12, 0x0c, 0x78,
		   0x56, 0x34, 0x12, 0x0e, 0x9a, 0x78, 0x56, 0x34, 0x12, 0x00,
		   0x00, 0x00);
	aml_free(&a);
}

static void test_name_string(void **state)
{
	struct aml a;

	aml_init(&a);
	aml_name(&a, "_UID");
	aml_integer(&a, 1);
	assert_aml(&a, 0x08, '_', 'U', 'I', 'D', 0x01);
	aml_free(&a);

	aml_init(&a);
	aml_name(&a, "\\_SB.PCI0");
	aml_string(&a, "Q");
	/* Short segments pad with '_'; two segments use DualNamePrefix. */
	assert_aml(&a, 0x08, '\\', 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0',
		   0x0d, 'Q', 0x00);
	aml_free(&a);

	aml_init(&a);
	aml_name(&a, "bad!");
	assert_true(a.failed);
	aml_free(&a);

	aml_init(&a);
	aml_name(&a, "TOOLONG");
	assert_true(a.failed);
	aml_free(&a);
}

static void test_pkglength(void **state)
{
	assert_int_equal(aml_pkglength_size(0), 1);
	assert_int_equal(aml_pkglength_size(62), 1);
	assert_int_equal(aml_pkglength_size(63), 2);
	assert_int_equal(aml_pkglength_size(4093), 2);
	assert_int_equal(aml_pkglength_size(4094), 3);
	assert_int_equal(aml_pkglength_size(1048572), 3);
	assert_int_equal(aml_pkglength_size(1048573), 4);
	assert_int_equal(aml_pkglength_size(1048574), 4);
}

static void test_device_small(void **state)
{
	struct aml a;
	size_t m;

	aml_init(&a);
	m = aml_device_begin(&a, "COM1");
	aml_name(&a, "_UID");
	aml_integer(&a, 1);
	aml_device_end(&a, m);
	/* Device (COM1) { Name (_UID, One) }: length counts itself. */
	assert_aml(&a, 0x5b, 0x82, 0x0b, 'C', 'O', 'M', '1', 0x08, '_', 'U',
		   'I', 'D', 0x01);
	aml_free(&a);
}

static void test_device_large(void **state)
{
	uint8_t blob[100];
	struct aml a;
	size_t m;

	memset(blob, 0xab, sizeof(blob));
	aml_init(&a);
	m = aml_scope_begin(&a, "_SB_");
	aml_bytes(&a, blob, sizeof(blob));
	aml_scope_end(&a, m);
	/* 4 name + 100 body + 2 length bytes = 106 = 0x6a: 0x4a, 0x06. */
	assert_false(a.failed);
	assert_int_equal(a.len, 1 + 2 + 4 + 100);
	assert_int_equal(a.buf[0], 0x10);
	assert_int_equal(a.buf[1], 0x40 | (106 & 0xf));
	assert_int_equal(a.buf[2], 106 >> 4);
	assert_memory_equal(a.buf + 3, "_SB_", 4);
	aml_free(&a);
}

static void test_package(void **state)
{
	struct aml a;
	size_t m;

	aml_init(&a);
	m = aml_package_begin(&a);
	aml_integer(&a, 5);
	aml_integer(&a, 0);
	aml_package_end(&a, m, 2);
	assert_aml(&a, 0x12, 0x05, 0x02, 0x0a, 0x05, 0x00);
	aml_free(&a);
}

static void test_resource_template(void **state)
{
	struct aml a;
	size_t m;

	aml_init(&a);
	m = aml_restemplate_begin(&a);
	aml_res_io(&a, 0x3f8, 8);
	aml_res_interrupt(&a, 4, false, false);
	aml_restemplate_end(&a, m);
	/*
	 * ResourceTemplate () { IO (Decode16, 0x3F8, 0x3F8, 1, 8)
	 * Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 4 } }
	 */
	assert_aml(&a, 0x11, 0x16, 0x0a, 0x13, /* Buffer, size 19 */
		   0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08, /* IO */
		   0x89, 0x06, 0x00, 0x03, 0x01, 0x04, 0x00, 0x00, 0x00, 0x79,
		   0x00);
	aml_free(&a);
}

static void test_checksum(void **state)
{
	uint8_t t[16] = { 1, 2, 3, 4, 5 };

	t[15] = acpi_checksum(t, sizeof(t));
	assert_int_equal(acpi_checksum(t, sizeof(t)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eisaid),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_name_string),
		cmocka_unit_test(test_pkglength),
		cmocka_unit_test(test_device_small),
		cmocka_unit_test(test_device_large),
		cmocka_unit_test(test_package),
		cmocka_unit_test(test_resource_template),
		cmocka_unit_test(test_checksum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
