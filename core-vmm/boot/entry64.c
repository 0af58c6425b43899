// SPDX-License-Identifier: GPL-2.0
/*
 * The machine state the 64-bit boot protocol asks for: long mode with an
 * identity mapping, a flat GDT holding __BOOT_CS (0x10) and __BOOT_DS (0x18),
 * interrupts off, RSI pointing at boot_params.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include "triovm/boot.h"
#include "triovm/kvm-cpu.h"
#include "triovm/layout.h"
#include "triovm/log.h"
#include "triovm/memory.h"

#define X86_CR0_PE (1ULL << 0)
#define X86_CR0_ET (1ULL << 4)
#define X86_CR0_PG (1ULL << 31)
#define X86_CR4_PAE (1ULL << 5)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)

#define PTE_PRESENT (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7)

#define BOOT_CS 0x10
#define BOOT_DS 0x18
#define BOOT_TSS 0x20
#define BOOT_STACK 0x8ff0ULL

/* Descriptors as the kernel's GDT_ENTRY(flags, base, limit) builds them. */
#define GDT_ENTRY(flags, base, limit)             \
	((((base)&0xff000000ULL) << (56 - 24)) |  \
	 (((flags)&0x0000f0ffULL) << 40) |        \
	 (((limit)&0x000f0000ULL) << (48 - 16)) | \
	 (((base)&0x00ffffffULL) << 16) | (((limit)&0x0000ffffULL)))

static const uint64_t boot_gdt[] = {
	[0] = 0,
	[1] = 0,
	[BOOT_CS / 8] = GDT_ENTRY(0xa09b, 0, 0xfffff), /* 64-bit code */
	[BOOT_DS / 8] = GDT_ENTRY(0xc093, 0, 0xfffff), /* data */
	[BOOT_TSS / 8] = GDT_ENTRY(0x808b, 0, 0xfffff), /* busy TSS */
};

int entry64__setup_tables(struct guest_mem *mem)
{
	uint64_t *pml4, *pdpt, *pd, zero_idt = 0;
	int i;

	pml4 = guest_mem__ptr(mem, BOOT_PML4_ADDR, SZ_4K);
	pdpt = guest_mem__ptr(mem, BOOT_PDPT_ADDR, SZ_4K);
	pd = guest_mem__ptr(mem, BOOT_PD_ADDR, 4 * SZ_4K);
	if (!pml4 || !pdpt || !pd)
		return -EFAULT;
	memset(pml4, 0, SZ_4K);
	memset(pdpt, 0, SZ_4K);
	pml4[0] = BOOT_PDPT_ADDR | PTE_PRESENT | PTE_RW;
	for (i = 0; i < 4; i++)
		pdpt[i] = (BOOT_PD_ADDR + i * SZ_4K) | PTE_PRESENT | PTE_RW;
	/* 2048 x 2 MiB: the first 4 GiB, enough for kernel, initrd, tables. */
	for (i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_PRESENT | PTE_RW | PTE_PS;

	if (guest_mem__write(mem, BOOT_GDT_ADDR, boot_gdt, sizeof(boot_gdt)) ||
	    guest_mem__write(mem, BOOT_IDT_ADDR, &zero_idt, sizeof(zero_idt)))
		return -EFAULT;
	return 0;
}

static void segment(struct kvm_segment *s, uint16_t sel, uint8_t type,
		    bool code64)
{
	memset(s, 0, sizeof(*s));
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->s = sel != BOOT_TSS;
	s->l = code64;
	s->db = !code64 && sel != BOOT_TSS;
	s->g = 1;
}

int entry64__setup_vcpu(struct vcpu *bsp, uint64_t entry, uint64_t zeropage)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_fpu fpu;

	if (ioctl(bsp->fd, KVM_GET_SREGS, &sregs) < 0)
		return -errno;
	segment(&sregs.cs, BOOT_CS, 0xb, true);
	segment(&sregs.ds, BOOT_DS, 0x3, false);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	segment(&sregs.tr, BOOT_TSS, 0xb, false);
	sregs.gdt.base = BOOT_GDT_ADDR;
	sregs.gdt.limit = sizeof(boot_gdt) - 1;
	sregs.idt.base = BOOT_IDT_ADDR;
	sregs.idt.limit = 7;
	sregs.cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_PG;
	sregs.cr3 = BOOT_PML4_ADDR;
	sregs.cr4 = X86_CR4_PAE;
	sregs.efer = EFER_LME | EFER_LMA;
	if (ioctl(bsp->fd, KVM_SET_SREGS, &sregs) < 0) {
		int err = errno;

		pr_err("KVM_SET_SREGS: %s", strerror(err));
		return -err;
	}

	memset(&regs, 0, sizeof(regs));
	regs.rflags = 0x2; /* reserved bit 1; IF clear */
	regs.rip = entry;
	regs.rsi = zeropage;
	regs.rsp = regs.rbp = BOOT_STACK;
	if (ioctl(bsp->fd, KVM_SET_REGS, &regs) < 0) {
		int err = errno;

		pr_err("KVM_SET_REGS: %s", strerror(err));
		return -err;
	}

	memset(&fpu, 0, sizeof(fpu));
	fpu.fcw = 0x37f; /* the FNINIT state */
	fpu.mxcsr = 0x1f80;
	if (ioctl(bsp->fd, KVM_SET_FPU, &fpu) < 0)
		return -errno;
	return 0;
}
