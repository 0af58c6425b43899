// SPDX-License-Identifier: GPL-2.0
/* struct boot_params, the "zero page" handed to the kernel in RSI. */
#include <string.h>

#include "triovm/boot.h"
#include "triovm/layout.h"

/* Boot loader type 0xff: "undefined", as the protocol asks of unlisted ones. */
#define LOADER_TYPE_UNDEFINED 0xff

void zeropage__build(struct boot_params *bp, const struct bzimage *bz,
		     const struct boot_plan *plan, const struct guest_mem *mem,
		     uint64_t rsdp_addr)
{
	struct setup_header *hdr = &bp->hdr;

	memset(bp, 0, sizeof(*bp));
	/* The setup header is copied from the image, then the loader's fields
	 * are filled in (boot protocol, "Details of header fields"). */
	*hdr = bz->hdr;
	hdr->type_of_loader = LOADER_TYPE_UNDEFINED;
	hdr->loadflags |= CAN_USE_HEAP | LOADED_HIGH | KEEP_SEGMENTS;
	hdr->heap_end_ptr = 0xfe00;
	hdr->code32_start = plan->kernel_addr;
	hdr->cmd_line_ptr = plan->cmdline_addr;
	bp->ext_cmd_line_ptr = plan->cmdline_addr >> 32;
	hdr->ramdisk_image = (uint32_t)plan->initrd_addr;
	hdr->ramdisk_size = (uint32_t)plan->initrd_size;
	bp->ext_ramdisk_image = plan->initrd_addr >> 32;
	bp->ext_ramdisk_size = plan->initrd_size >> 32;
	bp->acpi_rsdp_addr = rsdp_addr;
	bp->e820_entries =
		e820__build(mem, bp->e820_table, E820_MAX_ENTRIES_ZEROPAGE);
}
