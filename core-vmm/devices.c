// SPDX-License-Identifier: GPL-2.0
/*
 * The platform devices of every VM, in creation order. Adding a device is one
 * file defining a `struct vm_device` and one line here.
 */
#include "triovm/device.h"
#include "triovm/log.h"
#include "triovm/vm.h"

extern const struct vm_device serial_console_device;
extern const struct vm_device pvpanic_device;
extern const struct vm_device acpi_power_device;
extern const struct vm_device pci_hostbridge_device;

static const struct vm_device *const platform_devices[] = {
	&serial_console_device,
	&pvpanic_device,
	&acpi_power_device,
	&pci_hostbridge_device,
};

_Static_assert(ARRAY_SIZE(platform_devices) <= VM_MAX_DEVICES,
	       "raise VM_MAX_DEVICES");

int vm_devices__init(struct vm *vm)
{
	int i, ret;

	for (i = 0; i < (int)ARRAY_SIZE(platform_devices); i++) {
		ret = platform_devices[i]->init(vm, &vm->dev_priv[i]);
		if (ret) {
			pr_err("cannot create device %s",
			       platform_devices[i]->name);
			return ret;
		}
		vm->nr_devices = i + 1;
	}
	return 0;
}

void vm_devices__exit(struct vm *vm)
{
	int i;

	for (i = vm->nr_devices - 1; i >= 0; i--)
		platform_devices[i]->exit(vm, vm->dev_priv[i]);
	vm->nr_devices = 0;
}
