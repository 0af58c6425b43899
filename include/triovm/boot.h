/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Linux x86 boot protocol (Documentation/arch/x86/boot.rst): parse a
 * bzImage, place kernel, initrd and command line in guest RAM, describe RAM in
 * boot_params' e820 map, and enter the kernel's 64-bit entry point.
 */
#ifndef TRIOVM_BOOT_H
#define TRIOVM_BOOT_H

#include <stddef.h>
#include <stdint.h>
#include <asm/bootparam.h>

struct guest_mem;
struct vm;
struct vcpu;

/* 64-bit entry needs XLF_KERNEL_64, which appeared with protocol 2.12. */
#define BOOT_PROTOCOL_MIN 0x020c
#define BZIMAGE_MAGIC 0x53726448 /* "HdrS" */

struct bzimage {
	struct setup_header hdr;
	size_t setup_len; /* boot sector and real-mode setup code */
	const uint8_t *kernel; /* protected-mode code, loaded whole */
	size_t kernel_len;
};

/* Check and decode a bzImage in memory; -EINVAL (printed) if it is not one. */
int bzimage__parse(struct bzimage *bz, const uint8_t *buf, size_t len,
		   const char *name);

/* Where each piece goes in guest physical memory. */
struct boot_plan {
	uint64_t kernel_addr;
	uint64_t kernel_end; /* kernel_addr + init_size: the kernel's runtime span */
	uint64_t initrd_addr;
	uint64_t initrd_size;
	uint64_t cmdline_addr;
	size_t cmdline_len; /* without the NUL */
};

/*
 * Decide the placement for a kernel, an initrd of `initrd_size` bytes (0 for
 * none) and a command line, within RAM ending at `low_end` below 4 GiB.
 * -ENOMEM (printed) when they do not fit; -EINVAL when the command line is
 * longer than the kernel accepts.
 */
int boot__plan(struct boot_plan *plan, const struct bzimage *bz,
	       uint64_t low_end, uint64_t initrd_size, const char *cmdline);

/* Fill an e820 table for `mem`; returns the number of entries. */
int e820__build(const struct guest_mem *mem, struct boot_e820_entry *table,
		int max);

/* Build the zero page (struct boot_params) for the plan. */
void zeropage__build(struct boot_params *bp, const struct bzimage *bz,
		     const struct boot_plan *plan, const struct guest_mem *mem,
		     uint64_t rsdp_addr);

/* Identity page tables for the first 4 GiB, and a flat GDT. */
int entry64__setup_tables(struct guest_mem *mem);
/* Registers of the boot CPU at the 64-bit entry point. */
int entry64__setup_vcpu(struct vcpu *bsp, uint64_t entry, uint64_t zeropage);

/*
 * A kernel and initrd read and checked against the guest's RAM size, before
 * anything is asked of KVM: bad input is reported without /dev/kvm.
 */
struct boot_files {
	void *kernel_data;
	size_t kernel_size;
	void *initrd_data;
	size_t initrd_size;
	struct bzimage bz;
	struct boot_plan plan;
	const char *cmdline;
};

int boot__prepare(struct boot_files *bf, const char *kernel, const char *initrd,
		  const char *cmdline, uint64_t ram_size);
void boot__release(struct boot_files *bf);

/* Copy everything into guest RAM, build boot_params, set up the BSP. */
int boot__load_linux(struct vm *vm, const struct boot_files *bf);

#endif
