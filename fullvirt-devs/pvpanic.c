// SPDX-License-Identifier: GPL-2.0
/*
 * pvpanic, as QEMU's ISA device (docs/specs/pvpanic.rst): one I/O port at
 * 0x505 whose read returns the supported events and whose write reports one.
 * Linux's pvpanic-mmio driver binds to ACPI ID QEMU0001. A panic is what lets
 * triovm tell a crashed guest from a rebooting one.
 */
#include <errno.h>
#include <stdlib.h>

#include "triovm/acpi.h"
#include "triovm/aml.h"
#include "triovm/device.h"
#include "triovm/exit-status.h"
#include "triovm/log.h"
#include "triovm/vm.h"

#define PVPANIC_PORT 0x505
#define PVPANIC_PANICKED (1 << 0)
#define PVPANIC_CRASH_LOADED (1 << 1)

struct pvpanic {
	struct vm *vm;
	struct acpi_dsdt_node dsdt;
};

static void pvpanic_io(void *opaque, uint64_t addr, uint8_t *data, uint32_t len,
		       bool is_write)
{
	struct pvpanic *p = opaque;

	(void)addr;
	if (!is_write) {
		data[0] = PVPANIC_PANICKED | PVPANIC_CRASH_LOADED;
		for (uint32_t i = 1; i < len; i++)
			data[i] = 0;
		return;
	}
	if (data[0] & PVPANIC_PANICKED) {
		pr_err("the guest panicked (pvpanic)");
		vm__request_stop(p->vm, VM_STOP_PANIC, EXIT_GUEST_PANIC);
	} else if (data[0] & PVPANIC_CRASH_LOADED) {
		/* A crash kernel took over; the guest goes on. */
		pr_warn("the guest crashed and is running its kdump kernel");
	}
}

static void pvpanic_aml(struct aml *a, void *opaque)
{
	size_t dev = aml_device_begin(a, "PEVT");
	size_t crs;

	(void)opaque;
	aml_name(a, "_HID");
	aml_string(a, "QEMU0001");
	aml_name(a, "_CRS");
	crs = aml_restemplate_begin(a);
	aml_res_io(a, PVPANIC_PORT, 1);
	aml_restemplate_end(a, crs);
	aml_device_end(a, dev);
}

static int pvpanic__init(struct vm *vm, void **priv)
{
	struct pvpanic *p = calloc(1, sizeof(*p));
	int ret;

	if (!p)
		return -ENOMEM;
	p->vm = vm;
	ret = iobus__register(&vm->pio_bus, PVPANIC_PORT, 1, pvpanic_io, p,
			      "pvpanic");
	if (ret) {
		free(p);
		return ret;
	}
	p->dsdt.build = pvpanic_aml;
	p->dsdt.opaque = p;
	acpi__add_dsdt_node(vm, &p->dsdt);
	*priv = p;
	return 0;
}

static void pvpanic__exit(struct vm *vm, void *priv)
{
	(void)vm;
	free(priv);
}

const struct vm_device pvpanic_device = {
	.name = "pvpanic",
	.init = pvpanic__init,
	.exit = pvpanic__exit,
};
