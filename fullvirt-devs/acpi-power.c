// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware-reduced ACPI sleep and reset registers named in the FADT
 * (ACPI 6.4, sections 4.8.3.7 and 4.8.3.6). Linux's poweroff writes
 * SLP_TYP(\_S5) | SLP_EN to the sleep control register; its default reboot
 * writes the reset value to the reset register.
 */
#include <errno.h>
#include <stdlib.h>

#include "triovm/acpi.h"
#include "triovm/device.h"
#include "triovm/exit-status.h"
#include "triovm/log.h"
#include "triovm/vm.h"

#define SLP_TYP_SHIFT 2
#define SLP_TYP_MASK (7 << SLP_TYP_SHIFT)

struct acpi_power {
	struct vm *vm;
};

static void acpi_power_io(void *opaque, uint64_t addr, uint8_t *data,
			  uint32_t len, bool is_write)
{
	struct acpi_power *p = opaque;
	uint16_t port = ACPI_SLEEP_CONTROL_PORT + addr;
	uint8_t v = data[0];

	if (!is_write) {
		/* Sleep status: WAK_STS never set, we do not sleep and wake. */
		for (uint32_t i = 0; i < len; i++)
			data[i] = 0;
		return;
	}
	if (port == ACPI_SLEEP_CONTROL_PORT && (v & ACPI_SLP_EN)) {
		if (((v & SLP_TYP_MASK) >> SLP_TYP_SHIFT) == ACPI_S5_SLP_TYP) {
			pr_info("the guest powered off");
			vm__request_stop(p->vm, VM_STOP_POWEROFF,
					 EXIT_GUEST_OFF);
		} else {
			pr_warn_ratelimited(
				"the guest asked for sleep state %u, which triovm does not offer",
				(v & SLP_TYP_MASK) >> SLP_TYP_SHIFT);
		}
	} else if (port == ACPI_RESET_PORT && v == ACPI_RESET_VALUE) {
		pr_info("the guest rebooted");
		vm__request_stop(p->vm, VM_STOP_REBOOT, EXIT_GUEST_OFF);
	}
}

static int acpi_power__init(struct vm *vm, void **priv)
{
	struct acpi_power *p = calloc(1, sizeof(*p));
	int ret;

	if (!p)
		return -ENOMEM;
	p->vm = vm;
	ret = iobus__register(&vm->pio_bus, ACPI_SLEEP_CONTROL_PORT,
			      ACPI_RESET_PORT - ACPI_SLEEP_CONTROL_PORT + 1,
			      acpi_power_io, p, "acpi-power");
	if (ret) {
		free(p);
		return ret;
	}
	*priv = p;
	return 0;
}

static void acpi_power__exit(struct vm *vm, void *priv)
{
	(void)vm;
	free(priv);
}

const struct vm_device acpi_power_device = {
	.name = "acpi-power",
	.init = acpi_power__init,
	.exit = acpi_power__exit,
};
