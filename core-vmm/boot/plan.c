// SPDX-License-Identifier: GPL-2.0
/* Where kernel, initrd and command line go in guest RAM. */
#include <errno.h>
#include <string.h>

#include "triovm/boot.h"
#include "triovm/layout.h"
#include "triovm/log.h"

static unsigned long long mib_up(uint64_t v)
{
	return (v + SZ_1M - 1) >> 20;
}

int boot__plan(struct boot_plan *plan, const struct bzimage *bz,
	       uint64_t low_end, uint64_t initrd_size, const char *cmdline)
{
	const struct setup_header *hdr = &bz->hdr;
	uint64_t span = hdr->init_size ? hdr->init_size : bz->kernel_len;
	uint64_t addr = KERNEL_LOAD_ADDR, top, align;
	size_t cmdline_max = hdr->cmdline_size ? hdr->cmdline_size : 255;

	memset(plan, 0, sizeof(*plan));
	plan->cmdline_len = strlen(cmdline);
	if (plan->cmdline_len > cmdline_max) {
		pr_err("the kernel command line is %zu bytes; this kernel accepts at most %zu",
		       plan->cmdline_len, cmdline_max);
		return -EINVAL;
	}
	plan->cmdline_addr = BOOT_CMDLINE_ADDR;

	/*
	 * A relocatable kernel runs where it is put; load it at its preferred
	 * address so that the decompressor need not move itself.
	 */
	align = hdr->kernel_alignment ? hdr->kernel_alignment : SZ_2M;
	if (hdr->relocatable_kernel && hdr->pref_address &&
	    hdr->pref_address >= KERNEL_LOAD_ADDR &&
	    IS_ALIGNED(hdr->pref_address, align) &&
	    hdr->pref_address + span <= low_end)
		addr = hdr->pref_address;
	plan->kernel_addr = addr;
	plan->kernel_end = addr + span;
	if (plan->kernel_end > low_end) {
		pr_err("the kernel needs %llu MiB of RAM from %llu MiB up; the guest has %llu MiB: use a larger --memory",
		       mib_up(span), (unsigned long long)(addr >> 20),
		       (unsigned long long)(low_end >> 20));
		return -ENOMEM;
	}

	if (!initrd_size)
		return 0;
	/* Highest page-aligned spot below both RAM's end and initrd_addr_max. */
	top = low_end;
	if (hdr->initrd_addr_max && (uint64_t)hdr->initrd_addr_max + 1 < top)
		top = (uint64_t)hdr->initrd_addr_max + 1;
	if (initrd_size > top || ALIGN_DOWN(top - initrd_size, SZ_4K) <
					 ALIGN_UP(plan->kernel_end, SZ_4K)) {
		pr_err("kernel and initrd need %llu MiB (kernel %llu MiB from %llu MiB up, initrd %llu MiB); the guest has %llu MiB: use a larger --memory",
		       mib_up(plan->kernel_end + initrd_size), mib_up(span),
		       (unsigned long long)(addr >> 20), mib_up(initrd_size),
		       (unsigned long long)(low_end >> 20));
		return -ENOMEM;
	}
	plan->initrd_addr = ALIGN_DOWN(top - initrd_size, SZ_4K);
	plan->initrd_size = initrd_size;
	return 0;
}
