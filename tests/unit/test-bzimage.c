// SPDX-License-Identifier: GPL-2.0
/* bzImage recognition on the real header bytes of Debian's 6.1 kernel. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/boot.h"

#define HEAD_LEN 1024

struct image {
	uint8_t *buf;
	size_t len;
};

/* The real first KiB, followed by a kernel body as long as syssize says. */
static struct image load_image(void)
{
	char path[4096];
	struct image img;
	struct setup_header hdr;
	size_t setup_len, body;
	FILE *f;

	snprintf(path, sizeof(path), "%s/bzimage-6.1.0-56-head.bin",
		 getenv("TRIOVM_TEST_DATA"));
	f = fopen(path, "rb");
	assert_non_null(f);
	img.buf = calloc(1, 64 << 20);
	assert_non_null(img.buf);
	assert_int_equal(fread(img.buf, 1, HEAD_LEN, f), HEAD_LEN);
	fclose(f);
	memcpy(&hdr, img.buf + 0x1f1, sizeof(hdr));
	setup_len = (hdr.setup_sects + 1) * 512;
	body = (size_t)hdr.syssize * 16;
	img.len = setup_len + body;
	return img;
}

static void test_debian_kernel(void **state)
{
	struct image img = load_image();
	struct bzimage bz;

	assert_int_equal(bzimage__parse(&bz, img.buf, img.len, "vmlinuz"), 0);
	assert_int_equal(bz.hdr.version, 0x020f);
	assert_int_equal(bz.setup_len, 40 * 512);
	assert_ptr_equal(bz.kernel, img.buf + 40 * 512);
	assert_int_equal(bz.kernel_len, img.len - 40 * 512);
	assert_int_equal(bz.hdr.pref_address, 0x1000000);
	assert_int_equal(bz.hdr.init_size, 0x3f98000);
	assert_int_equal(bz.hdr.kernel_alignment, 0x200000);
	assert_true(bz.hdr.relocatable_kernel);
	assert_int_equal(bz.hdr.cmdline_size, 2047);
	assert_int_equal(bz.hdr.initrd_addr_max, 0x7fffffff);
	free(img.buf);
}

static void test_bad_magic(void **state)
{
	struct image img = load_image();
	struct bzimage bz;

	img.buf[0x202] = 'X'; /* "HdrS" -> "XdrS" */
	assert_int_equal(bzimage__parse(&bz, img.buf, img.len, "k"), -EINVAL);
	free(img.buf);
}

static void test_bad_boot_flag(void **state)
{
	struct image img = load_image();
	struct bzimage bz;

	img.buf[0x1fe] = 0;
	assert_int_equal(bzimage__parse(&bz, img.buf, img.len, "k"), -EINVAL);
	free(img.buf);
}

static void test_old_protocol(void **state)
{
	struct image img = load_image();
	struct bzimage bz;

	img.buf[0x206] = 0x0b; /* 2.11: no 64-bit entry yet */
	assert_int_equal(bzimage__parse(&bz, img.buf, img.len, "k"), -EINVAL);
	free(img.buf);
}

static void test_not_64bit(void **state)
{
	struct image img = load_image();
	struct bzimage bz;

	img.buf[0x236] &= ~XLF_KERNEL_64;
	assert_int_equal(bzimage__parse(&bz, img.buf, img.len, "k"), -EINVAL);
	free(img.buf);
}

static void test_zimage(void **state)
{
	struct image img = load_image();
	struct bzimage bz;

	img.buf[0x211] &= ~LOADED_HIGH;
	assert_int_equal(bzimage__parse(&bz, img.buf, img.len, "k"), -EINVAL);
	free(img.buf);
}

static void test_truncated(void **state)
{
	struct image img = load_image();
	struct bzimage bz;

	/* Cut the kernel body short of syssize. */
	assert_int_equal(bzimage__parse(&bz, img.buf, img.len - 4096, "k"),
			 -EINVAL);
	/* Shorter than the setup code itself. */
	assert_int_equal(bzimage__parse(&bz, img.buf, 40 * 512, "k"), -EINVAL);
	/* Shorter than the setup header. */
	assert_int_equal(bzimage__parse(&bz, img.buf, 0x200, "k"), -EINVAL);
	free(img.buf);
}

static void test_elf_is_rejected(void **state)
{
	uint8_t elf[4096] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	struct bzimage bz;

	assert_int_equal(bzimage__parse(&bz, elf, sizeof(elf), "vmlinux"),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian_kernel),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_boot_flag),
		cmocka_unit_test(test_old_protocol),
		cmocka_unit_test(test_not_64bit),
		cmocka_unit_test(test_zimage),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_elf_is_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
