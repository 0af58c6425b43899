/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platform devices every VM has. Each device file defines one
 * `struct vm_device` and core-vmm/devices.c lists them: adding a device is one
 * new file and one line there. A device's init registers it on the bus it
 * sits on (port I/O, MMIO, PCI) and, if the guest must discover it through
 * ACPI, in the DSDT.
 */
#ifndef TRIOVM_DEVICE_H
#define TRIOVM_DEVICE_H

struct vm;

struct vm_device {
	const char *name;
	/* Returns 0 or a negative errno after printing why; sets *priv. */
	int (*init)(struct vm *vm, void **priv);
	void (*exit)(struct vm *vm, void *priv);
};

int vm_devices__init(struct vm *vm);
void vm_devices__exit(struct vm *vm);

#endif
