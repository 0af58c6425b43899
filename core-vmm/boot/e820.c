// SPDX-License-Identifier: GPL-2.0
/* The BIOS memory map the kernel reads from boot_params. */
#include <asm/e820.h>

#include "triovm/boot.h"
#include "triovm/layout.h"
#include "triovm/memory.h"

#ifndef E820_RAM
#define E820_RAM 1
#define E820_RESERVED 2
#endif

static int add(struct boot_e820_entry *t, int n, int max, uint64_t addr,
	       uint64_t size, uint32_t type)
{
	if (n < max && size) {
		t[n].addr = addr;
		t[n].size = size;
		t[n].type = type;
		n++;
	}
	return n;
}

int e820__build(const struct guest_mem *mem, struct boot_e820_entry *table,
		int max)
{
	uint64_t low_end = guest_mem__low_end(mem);
	int n = 0, i;

	/*
	 * Conventional memory stops at the EBDA; the legacy video/ROM hole up
	 * to 1 MiB is reserved (the ACPI tables live there).
	 */
	n = add(table, n, max, 0, EBDA_START, E820_RAM);
	n = add(table, n, max, EBDA_START, BIOS_AREA_END - EBDA_START,
		E820_RESERVED);
	n = add(table, n, max, BIOS_AREA_END, low_end - BIOS_AREA_END,
		E820_RAM);
	for (i = 1; i < mem->nr_regions; i++)
		n = add(table, n, max, mem->regions[i].gpa,
			mem->regions[i].size, E820_RAM);
	/*
	 * ECAM must be reserved in the map or Linux will not use MMCONFIG
	 * (arch/x86/pci/mmconfig-shared.c, is_mmconf_reserved()).
	 */
	n = add(table, n, max, PCI_ECAM_START, PCI_ECAM_SIZE, E820_RESERVED);
	return n;
}
