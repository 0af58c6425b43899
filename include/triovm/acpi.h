/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI tables for the guest: RSDP, XSDT, FADT (hardware-reduced: no PM timer,
 * no SCI, no legacy PIC), DSDT, MADT and, with PCI, MCFG. Linux finds the RSDP
 * through boot_params and in the BIOS area.
 */
#ifndef TRIOVM_ACPI_H
#define TRIOVM_ACPI_H

#include <stdint.h>
#include "list.h"

struct vm;
struct aml;

/* The hardware-reduced sleep and reset registers (fullvirt-devs/acpi-power.c). */
#define ACPI_SLEEP_CONTROL_PORT 0x600
#define ACPI_SLEEP_STATUS_PORT 0x601
#define ACPI_RESET_PORT 0x602
#define ACPI_RESET_VALUE 0x1
#define ACPI_S5_SLP_TYP 5
#define ACPI_SLP_EN (1 << 5)

/* Something the guest discovers through the DSDT. */
struct acpi_dsdt_node {
	struct list_head list;
	/* Emit this object's AML, inside Scope(\_SB). */
	void (*build)(struct aml *a, void *opaque);
	void *opaque;
};

void acpi__add_dsdt_node(struct vm *vm, struct acpi_dsdt_node *node);

/*
 * Write every table into guest RAM at BIOS_ROM_START; sets vm->rsdp_addr.
 * Call after all devices are created.
 */
int acpi__build_tables(struct vm *vm);

/* The standard table checksum: bytes sum to zero. */
uint8_t acpi_checksum(const void *p, size_t len);

#endif
