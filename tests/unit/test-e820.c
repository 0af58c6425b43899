// SPDX-License-Identifier: GPL-2.0
/* The e820 map, and the RAM layout around the PCI hole it describes. */
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

#define E820_RAM 1
#define E820_RESERVED 2

static void check_entry(const struct boot_e820_entry *e, uint64_t addr,
			uint64_t size, uint32_t type)
{
	assert_int_equal(e->addr, addr);
	assert_int_equal(e->size, size);
	assert_int_equal(e->type, type);
}

static void test_small_guest(void **state)
{
	struct boot_e820_entry t[16];
	struct guest_mem mem;

	assert_int_equal(guest_mem__init(&mem, 256 * SZ_1M, false), 0);
	assert_int_equal(mem.nr_regions, 1);
	assert_int_equal(e820__build(&mem, t, 16), 4);
	check_entry(&t[0], 0, EBDA_START, E820_RAM);
	check_entry(&t[1], EBDA_START, BIOS_AREA_END - EBDA_START,
		    E820_RESERVED);
	check_entry(&t[2], SZ_1M, 255 * SZ_1M, E820_RAM);
	check_entry(&t[3], PCI_ECAM_START, PCI_ECAM_SIZE, E820_RESERVED);
	guest_mem__exit(&mem);
}

static void test_guest_above_4g(void **state)
{
	struct boot_e820_entry t[16];
	struct guest_mem mem;
	uint64_t ram = 4 * SZ_1G;

	assert_int_equal(guest_mem__init(&mem, ram, false), 0);
	assert_int_equal(mem.nr_regions, 2);
	/* Nothing of RAM in the hole: PCI, ECAM, IOAPIC, MSI stay clear. */
	assert_int_equal(mem.regions[0].size, MEM_32BIT_GAP_START);
	assert_int_equal(mem.regions[1].gpa, MEM_HIGH_START);
	assert_int_equal(mem.regions[1].size, ram - MEM_32BIT_GAP_START);
	assert_int_equal(mem.regions[1].fd_offset, MEM_32BIT_GAP_START);
	assert_int_equal(e820__build(&mem, t, 16), 5);
	check_entry(&t[2], SZ_1M, MEM_32BIT_GAP_START - SZ_1M, E820_RAM);
	check_entry(&t[3], MEM_HIGH_START, SZ_1G, E820_RAM);
	assert_int_equal(guest_mem__end(&mem), MEM_HIGH_START + SZ_1G);
	assert_int_equal(guest_mem__low_end(&mem), MEM_32BIT_GAP_START);
	guest_mem__exit(&mem);
}

static void test_ptr_bounds(void **state)
{
	struct guest_mem mem;
	uint8_t *p;

	assert_int_equal(guest_mem__init(&mem, 64 * SZ_1M, false), 0);
	p = guest_mem__ptr(&mem, 0, 64 * SZ_1M);
	assert_non_null(p);
	assert_ptr_equal(guest_mem__ptr(&mem, 4096, 1), p + 4096);
	assert_null(guest_mem__ptr(&mem, 64 * SZ_1M - 1, 2));
	assert_null(guest_mem__ptr(&mem, 64 * SZ_1M, 1));
	/* An address + length that wraps must not pass. */
	assert_null(guest_mem__ptr(&mem, ~0ULL - 1, 4));
	assert_null(guest_mem__ptr(&mem, 16, ~0ULL));
	assert_int_equal(guest_mem__write(&mem, MSI_WINDOW_START, "x", 1),
			 -EFAULT);
	guest_mem__exit(&mem);
}

static void test_ram_is_shared_fd(void **state)
{
	struct guest_mem mem;

	assert_int_equal(guest_mem__init(&mem, 64 * SZ_1M, false), 0);
	assert_true(mem.fd >= 0);
	assert_int_equal(mem.regions[0].fd, mem.fd);
	assert_int_equal(mem.regions[0].fd_offset, 0);
	guest_mem__exit(&mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_guest),
		cmocka_unit_test(test_guest_above_4g),
		cmocka_unit_test(test_ptr_bounds),
		cmocka_unit_test(test_ram_is_shared_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
