/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest physical address map. RAM fills the bottom of the 4 GiB space up
 * to the PCI hole, then continues above 4 GiB; the hole keeps the 32-bit PCI
 * window, ECAM, the IOAPIC and the 0xfee00000 MSI/LAPIC window clear of RAM so
 * that MSI writes from passed-through devices are never mistaken for DMA.
 */
#ifndef TRIOVM_LAYOUT_H
#define TRIOVM_LAYOUT_H

#include "util.h"

/* Low memory used while booting (all inside the first 1 MiB). */
#define BOOT_GDT_ADDR 0x500ULL
#define BOOT_IDT_ADDR 0x520ULL
#define BOOT_ZEROPAGE_ADDR 0x7000ULL
#define BOOT_PML4_ADDR 0x9000ULL
#define BOOT_PDPT_ADDR 0xa000ULL
#define BOOT_PD_ADDR 0xb000ULL /* four pages: 4 GiB of 2 MiB mappings */
#define BOOT_CMDLINE_ADDR 0x20000ULL
#define BOOT_CMDLINE_MAX 0x10000ULL
#define EBDA_START 0x9fc00ULL
#define BIOS_AREA_START 0xe0000ULL /* ACPI tables live here: Linux scans it */
#define BIOS_AREA_END 0x100000ULL
#define KERNEL_LOAD_ADDR 0x100000ULL

/* The hole below 4 GiB. */
#define MEM_32BIT_GAP_START 0xc0000000ULL
#define PCI_MMIO32_START 0xc0000000ULL
#define PCI_MMIO32_SIZE 0x20000000ULL /* 512 MiB */
#define PCI_ECAM_START 0xe0000000ULL
#define PCI_ECAM_SIZE 0x10000000ULL /* room for 256 buses */
/*
 * Only bus 0 exists. Announcing just it (MCFG, _CRS) also spares the guest
 * from probing 255 empty buses through exits (x86's pcibios_last_bus).
 */
#define PCI_LAST_BUS 0
#define IOAPIC_ADDR 0xfec00000ULL
#define IOAPIC_SIZE 0x1000ULL
#define PLATFORM_MMIO_START 0xfed00000ULL /* small platform devices */
#define PLATFORM_MMIO_SIZE 0x100000ULL
#define MSI_WINDOW_START 0xfee00000ULL
#define MSI_WINDOW_SIZE 0x100000ULL
#define LAPIC_ADDR 0xfee00000ULL
/* KVM on Intel needs three pages for the real-mode TSS and one for the
 * identity map, outside RAM and outside every device. */
#define KVM_TSS_ADDR 0xfffbd000ULL
#define KVM_IDENTITY_MAP_ADDR 0xfffbc000ULL

#define MEM_HIGH_START SZ_4G

/* 64-bit PCI window: far above any RAM size triovm accepts, below 40 bits. */
#define PCI_MMIO64_START 0x8000000000ULL
#define PCI_MMIO64_SIZE 0x1000000000ULL /* 64 GiB */
#define MEM_MAX_SIZE (PCI_MMIO64_START - MEM_HIGH_START - SZ_4G)

/* Port I/O. */
#define PCI_IO_START 0xc000ULL
#define PCI_IO_SIZE 0x4000ULL

#endif
