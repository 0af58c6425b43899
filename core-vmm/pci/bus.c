// SPDX-License-Identifier: GPL-2.0
/*
 * The root bus: slots, firmware-style BAR placement, INTx wiring (with the
 * DSDT's _PRT describing it), and the PCI0 host bridge object in the DSDT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/acpi.h"
#include "triovm/aml.h"
#include "triovm/layout.h"
#include "triovm/log.h"
#include "triovm/pci.h"
#include "triovm/vm.h"
#include "bus.h"

struct pci_bus {
	struct vm *vm;
	pthread_mutex_t lock;
	struct pci_device *slots[PCI_MAX_SLOTS];
	uint64_t io_next, mmio32_next, mmio64_next;
	/* Devices asserting each INTx GSI: the line is their OR. */
	int intx_asserted[PCI_INTX_GSI_COUNT];
	struct acpi_dsdt_node dsdt;
};

uint32_t pci__intx_gsi(uint8_t slot, uint8_t pin)
{
	return PCI_INTX_GSI_BASE + ((slot + pin - 1) % PCI_INTX_GSI_COUNT);
}

void pci_bus__set_intx(struct pci_device *d, bool level)
{
	struct pci_bus *bus = d->vm->pci;
	int idx = d->intx_gsi - PCI_INTX_GSI_BASE, n;

	if (!bus || idx < 0 || idx >= PCI_INTX_GSI_COUNT)
		return;
	pthread_mutex_lock(&bus->lock);
	/* Each device counts once: intx_line remembers what it drove. */
	if (level == (bool)d->intx_line) {
		pthread_mutex_unlock(&bus->lock);
		return;
	}
	d->intx_line = level;
	bus->intx_asserted[idx] += level ? 1 : -1;
	n = bus->intx_asserted[idx];
	pthread_mutex_unlock(&bus->lock);
	/* Level-triggered and shared: high while anyone asserts it. */
	if ((level && n == 1) || (!level && n == 0))
		vm__irq_line(d->vm, d->intx_gsi, level);
}

static void pci_bus_aml(struct aml *a, void *opaque)
{
	size_t dev, crs, prt, entry;
	int slot, pin, n = 0;

	(void)opaque;
	dev = aml_device_begin(a, "PCI0");
	aml_name(a, "_HID");
	aml_integer(a, aml_eisaid("PNP0A08"));
	aml_name(a, "_CID");
	aml_integer(a, aml_eisaid("PNP0A03"));
	aml_name(a, "_SEG");
	aml_integer(a, 0);
	aml_name(a, "_BBN");
	aml_integer(a, 0);
	aml_name(a, "_UID");
	aml_integer(a, 0);

	aml_name(a, "_CRS");
	crs = aml_restemplate_begin(a);
	aml_res_bus_range(a, 0, PCI_LAST_BUS);
	aml_res_io(a, 0xcf8, 8); /* configuration mechanism #1 */
	aml_res_io_range(a, PCI_IO_START, PCI_IO_START + PCI_IO_SIZE - 1);
	aml_res_mem32_range(a, PCI_MMIO32_START,
			    PCI_MMIO32_START + PCI_MMIO32_SIZE - 1);
	aml_res_mem64_range(a, PCI_MMIO64_START,
			    PCI_MMIO64_START + PCI_MMIO64_SIZE - 1);
	aml_restemplate_end(a, crs);

	/* _PRT: every slot's INTA..INTD straight to a GSI, no link devices. */
	aml_name(a, "_PRT");
	prt = aml_package_begin(a);
	for (slot = 1; slot < PCI_MAX_SLOTS; slot++) {
		for (pin = 1; pin <= 4; pin++, n++) {
			entry = aml_package_begin(a);
			aml_integer(a, (uint64_t)slot << 16 | 0xffff);
			aml_integer(a, pin - 1);
			aml_integer(a, 0);
			aml_integer(a, pci__intx_gsi(slot, pin));
			aml_package_end(a, entry, 4);
		}
	}
	aml_package_end(a, prt, n);
	aml_device_end(a, dev);
}

int pci__init_bus(struct vm *vm)
{
	struct pci_bus *bus = calloc(1, sizeof(*bus));

	if (!bus)
		return -ENOMEM;
	bus->vm = vm;
	pthread_mutex_init(&bus->lock, NULL);
	bus->io_next = PCI_IO_START;
	bus->mmio32_next = PCI_MMIO32_START;
	bus->mmio64_next = PCI_MMIO64_START;
	bus->dsdt.build = pci_bus_aml;
	bus->dsdt.opaque = bus;
	acpi__add_dsdt_node(vm, &bus->dsdt);
	vm->pci = bus;
	return 0;
}

void pci__exit_bus(struct vm *vm)
{
	struct pci_bus *bus = vm->pci;

	if (!bus)
		return;
	pthread_mutex_destroy(&bus->lock);
	free(bus);
	vm->pci = NULL;
}

static int alloc(uint64_t *next, uint64_t end, uint64_t size, uint64_t *addr)
{
	uint64_t a = ALIGN_UP(*next, size);

	if (a + size > end || a + size < a)
		return -ENOSPC;
	*addr = a;
	*next = a + size;
	return 0;
}

/* Place each BAR as firmware would, and turn decoding on. */
static int place_bars(struct pci_bus *bus, struct pci_device *d)
{
	int bar, ret = 0;

	for (bar = 0; bar < PCI_NUM_BARS && !ret; bar++) {
		struct pci_bar *b = &d->bars[bar];
		uint64_t addr = 0;
		uint32_t reg = PCI_BASE_ADDRESS_0 + 4 * bar;

		switch (b->type) {
		case PCI_BAR_IO:
			ret = alloc(&bus->io_next, PCI_IO_START + PCI_IO_SIZE,
				    b->size, &addr);
			break;
		case PCI_BAR_MEM32:
			ret = alloc(&bus->mmio32_next,
				    PCI_MMIO32_START + PCI_MMIO32_SIZE, b->size,
				    &addr);
			break;
		case PCI_BAR_MEM64:
			ret = alloc(&bus->mmio64_next,
				    PCI_MMIO64_START + PCI_MMIO64_SIZE, b->size,
				    &addr);
			break;
		default:
			continue;
		}
		if (ret) {
			pr_err("%s: no room for BAR%d (%llu bytes) in the PCI windows",
			       d->name, bar, (unsigned long long)b->size);
			break;
		}
		pci_config__set32(&d->cfg, reg,
				  (pci_config__get32(&d->cfg, reg) &
				   (b->type == PCI_BAR_IO ? 0x3 : 0xf)) |
					  (uint32_t)addr);
		if (b->type == PCI_BAR_MEM64)
			pci_config__set32(&d->cfg, reg + 4, addr >> 32);
	}
	return ret;
}

int pci__register(struct vm *vm, struct pci_device *d)
{
	struct pci_bus *bus = vm->pci;
	uint16_t cmd;
	int slot, ret;

	if (!bus)
		return -ENODEV;
	pthread_mutex_lock(&bus->lock);
	/* The host bridge takes slot 0 by registering first. */
	for (slot = 0; slot < PCI_MAX_SLOTS && bus->slots[slot]; slot++)
		;
	if (slot == PCI_MAX_SLOTS) {
		pthread_mutex_unlock(&bus->lock);
		pr_err("%s: no free PCI slot (at most %d devices)", d->name,
		       PCI_MAX_SLOTS);
		return -ENOSPC;
	}
	ret = place_bars(bus, d);
	if (ret) {
		pthread_mutex_unlock(&bus->lock);
		return ret;
	}
	d->slot = slot;
	if (d->intx_pin) {
		d->intx_gsi = pci__intx_gsi(slot, d->intx_pin);
		pci_config__set8(&d->cfg, PCI_INTERRUPT_LINE, d->intx_gsi);
	}
	bus->slots[slot] = d;
	pthread_mutex_unlock(&bus->lock);

	pthread_mutex_lock(&d->lock);
	cmd = pci_config__get16(&d->cfg, PCI_COMMAND);
	cmd |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
	pci_config__set16(&d->cfg, PCI_COMMAND, cmd);
	pci_device__update_bars(d);
	pthread_mutex_unlock(&d->lock);
	pr_debug("PCI 00:%02x.0: %s", slot, d->name);
	return 0;
}

static struct pci_device *lookup(struct vm *vm, uint8_t bus_nr, uint8_t devfn)
{
	struct pci_bus *bus = vm->pci;

	/* One bus, single-function devices. */
	if (!bus || bus_nr != 0 || PCI_FUNC(devfn) != 0)
		return NULL;
	return bus->slots[PCI_SLOT(devfn)];
}

uint32_t pci__config_read(struct vm *vm, uint8_t bus, uint8_t devfn,
			  uint32_t off, int len)
{
	struct pci_device *d = lookup(vm, bus, devfn);

	if (!d)
		return len == 4 ? 0xffffffffU : (1U << (8 * len)) - 1;
	__atomic_fetch_add(&d->config_exits, 1, __ATOMIC_RELAXED);
	return pci_device__config_read(d, off, len);
}

void pci__config_write(struct vm *vm, uint8_t bus, uint8_t devfn, uint32_t off,
		       uint32_t val, int len)
{
	struct pci_device *d = lookup(vm, bus, devfn);

	if (!d)
		return;
	__atomic_fetch_add(&d->config_exits, 1, __ATOMIC_RELAXED);
	pci_device__config_write(d, off, val, len);
}
