// SPDX-License-Identifier: GPL-2.0
/* Placement of kernel, initrd and command line, and the zero page built from it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "triovm/boot.h"
#include "triovm/layout.h"
#include "triovm/memory.h"
#include "triovm/util.h"

/* The header fields that matter, as Debian's 6.1 kernel has them. */
static struct bzimage debian_like(void)
{
	struct bzimage bz;

	memset(&bz, 0, sizeof(bz));
	bz.hdr.version = 0x020f;
	bz.hdr.relocatable_kernel = 1;
	bz.hdr.kernel_alignment = 0x200000;
	bz.hdr.pref_address = 0x1000000;
	bz.hdr.init_size = 0x3f98000;
	bz.hdr.initrd_addr_max = 0x7fffffff;
	bz.hdr.cmdline_size = 2047;
	bz.kernel_len = 8 << 20;
	return bz;
}

static void test_kernel_at_pref_address(void **state)
{
	struct bzimage bz = debian_like();
	struct boot_plan p;

	assert_int_equal(boot__plan(&p, &bz, 256 * SZ_1M, 0, "console=ttyS0"),
			 0);
	assert_int_equal(p.kernel_addr, 0x1000000);
	assert_int_equal(p.kernel_end, 0x1000000 + 0x3f98000);
	assert_int_equal(p.initrd_size, 0);
	assert_int_equal(p.cmdline_addr, BOOT_CMDLINE_ADDR);
	assert_int_equal(p.cmdline_len, strlen("console=ttyS0"));
}

static void test_initrd_at_top_of_low_ram(void **state)
{
	struct bzimage bz = debian_like();
	struct boot_plan p;
	uint64_t size = 3 * SZ_1M + 123;

	assert_int_equal(boot__plan(&p, &bz, 256 * SZ_1M, size, ""), 0);
	assert_int_equal(p.initrd_size, size);
	assert_true(IS_ALIGNED(p.initrd_addr, SZ_4K));
	assert_true(p.initrd_addr + size <= 256 * SZ_1M);
	assert_true(p.initrd_addr + size > 256 * SZ_1M - SZ_4K);
	assert_true(p.initrd_addr >= p.kernel_end);
}

static void test_initrd_below_initrd_addr_max(void **state)
{
	struct bzimage bz = debian_like();
	struct boot_plan p;

	/* 3 GiB of low RAM, but this kernel takes initrds below 2 GiB only. */
	assert_int_equal(boot__plan(&p, &bz, 3 * SZ_1G, SZ_1M, ""), 0);
	assert_true(p.initrd_addr + SZ_1M <= 0x80000000ULL);
}

static void test_kernel_falls_back_to_1mib(void **state)
{
	struct bzimage bz = debian_like();
	struct boot_plan p;

	/* 16 MiB + 64 MiB does not fit in 72 MiB; 1 MiB + 64 MiB does. */
	assert_int_equal(boot__plan(&p, &bz, 72 * SZ_1M, 0, ""), 0);
	assert_int_equal(p.kernel_addr, KERNEL_LOAD_ADDR);
}

static void test_kernel_does_not_fit(void **state)
{
	struct bzimage bz = debian_like();
	struct boot_plan p;

	assert_int_equal(boot__plan(&p, &bz, 64 * SZ_1M, 0, ""), -ENOMEM);
}

static void test_initrd_does_not_fit(void **state)
{
	struct bzimage bz = debian_like();
	struct boot_plan p;

	assert_int_equal(boot__plan(&p, &bz, 128 * SZ_1M, 100 * SZ_1M, ""),
			 -ENOMEM);
	/* Larger than all of RAM: no wrap-around. */
	assert_int_equal(boot__plan(&p, &bz, 128 * SZ_1M, ~0ULL - 5, ""),
			 -ENOMEM);
}

static void test_cmdline_too_long(void **state)
{
	struct bzimage bz = debian_like();
	struct boot_plan p;
	char cmd[2049];

	memset(cmd, 'a', sizeof(cmd) - 1);
	cmd[2047] = '\0';
	assert_int_equal(boot__plan(&p, &bz, 256 * SZ_1M, 0, cmd), 0);
	cmd[2047] = 'a';
	cmd[2048] = '\0';
	assert_int_equal(boot__plan(&p, &bz, 256 * SZ_1M, 0, cmd), -EINVAL);
}

static void test_zeropage(void **state)
{
	static struct boot_params bp;
	struct bzimage bz = debian_like();
	struct guest_mem mem;
	struct boot_plan p;

	memset(&mem, 0, sizeof(mem));
	mem.nr_regions = 1;
	mem.regions[0].size = 256 * SZ_1M;
	assert_int_equal(boot__plan(&p, &bz, 256 * SZ_1M, 5000, "quiet"), 0);
	zeropage__build(&bp, &bz, &p, &mem, 0xe0000);
	assert_int_equal(bp.hdr.code32_start, 0x1000000);
	assert_int_equal(bp.hdr.cmd_line_ptr, BOOT_CMDLINE_ADDR);
	assert_int_equal(bp.hdr.ramdisk_image, p.initrd_addr);
	assert_int_equal(bp.hdr.ramdisk_size, 5000);
	assert_int_equal(bp.ext_ramdisk_image, 0);
	assert_int_equal(bp.hdr.type_of_loader, 0xff);
	assert_true(bp.hdr.loadflags & CAN_USE_HEAP);
	assert_int_equal(bp.acpi_rsdp_addr, 0xe0000);
	assert_int_equal(bp.hdr.version, 0x020f);
	assert_true(bp.e820_entries >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_at_pref_address),
		cmocka_unit_test(test_initrd_at_top_of_low_ram),
		cmocka_unit_test(test_initrd_below_initrd_addr_max),
		cmocka_unit_test(test_kernel_falls_back_to_1mib),
		cmocka_unit_test(test_kernel_does_not_fit),
		cmocka_unit_test(test_initrd_does_not_fit),
		cmocka_unit_test(test_cmdline_too_long),
		cmocka_unit_test(test_zeropage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
