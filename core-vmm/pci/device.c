// SPDX-License-Identifier: GPL-2.0
/*
 * A PCI function as the guest sees it: a type-0 header, BARs that decode
 * where the guest puts them, INTx, and MSI/MSI-X capabilities.
 */
#include <errno.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/pci-msi.h"
#include "triovm/pci.h"
#include "triovm/vm.h"
#include "bus.h"

void pci_device__init(struct pci_device *d, struct vm *vm, const char *name,
		      uint16_t vendor, uint16_t device, uint32_t class_code,
		      uint8_t revision, bool express)
{
	struct pci_config *c = &d->cfg;

	memset(d, 0, sizeof(*d));
	d->vm = vm;
	d->name = name;
	INIT_LIST_HEAD(&d->list);
	pthread_mutex_init(&d->lock, NULL);
	pci_config__init(c, express);
	pci_config__set16(c, PCI_VENDOR_ID, vendor);
	pci_config__set16(c, PCI_DEVICE_ID, device);
	pci_config__set8(c, PCI_REVISION_ID, revision);
	pci_config__set8(c, PCI_CLASS_PROG, class_code & 0xff);
	pci_config__set16(c, PCI_CLASS_DEVICE, class_code >> 8);
	pci_config__set8(c, PCI_HEADER_TYPE, PCI_HEADER_TYPE_NORMAL);
	pci_config__set_wmask(c, PCI_COMMAND,
			      PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
				      PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
				      PCI_COMMAND_SERR |
				      PCI_COMMAND_INTX_DISABLE,
			      2);
	/* Error bits in STATUS are write-1-to-clear. */
	pci_config__set_w1cmask(c, PCI_STATUS,
				PCI_STATUS_PARITY |
					PCI_STATUS_SIG_TARGET_ABORT |
					PCI_STATUS_REC_TARGET_ABORT |
					PCI_STATUS_REC_MASTER_ABORT |
					PCI_STATUS_SIG_SYSTEM_ERROR |
					PCI_STATUS_DETECTED_PARITY,
				2);
	pci_config__set_wmask(c, PCI_CACHE_LINE_SIZE, 0xff, 1);
	pci_config__set_wmask(c, PCI_LATENCY_TIMER, 0xff, 1);
	pci_config__set_wmask(c, PCI_INTERRUPT_LINE, 0xff, 1);
}

void pci_device__set_subsystem(struct pci_device *d, uint16_t vendor,
			       uint16_t id)
{
	pci_config__set16(&d->cfg, PCI_SUBSYSTEM_VENDOR_ID, vendor);
	pci_config__set16(&d->cfg, PCI_SUBSYSTEM_ID, id);
}

void pci_device__set_intx_pin(struct pci_device *d, uint8_t pin)
{
	d->intx_pin = pin;
	pci_config__set8(&d->cfg, PCI_INTERRUPT_PIN, pin);
}

static uint32_t bar_reg(int bar)
{
	return PCI_BASE_ADDRESS_0 + 4 * bar;
}

int pci_device__add_bar(struct pci_device *d, int bar, enum pci_bar_type type,
			uint64_t size, bool prefetchable)
{
	struct pci_config *c = &d->cfg;
	struct pci_bar *b;
	uint32_t low;

	if (bar < 0 || bar >= PCI_NUM_BARS || !is_power_of_2(size) ||
	    (type == PCI_BAR_MEM64 && bar == PCI_NUM_BARS - 1) ||
	    (type == PCI_BAR_IO && (size < 4 || size > 256)) ||
	    (type != PCI_BAR_IO && size < 16) ||
	    (type == PCI_BAR_MEM32 && size > SZ_1G) || type == PCI_BAR_NONE)
		return -EINVAL;
	b = &d->bars[bar];
	if (b->type != PCI_BAR_NONE)
		return -EEXIST;
	b->type = type;
	b->size = size;
	b->prefetchable = prefetchable;

	/* The type bits are read-only; address bits below the size too. */
	if (type == PCI_BAR_IO) {
		low = PCI_BASE_ADDRESS_SPACE_IO;
		pci_config__set32(c, bar_reg(bar), low);
		pci_config__set_wmask(c, bar_reg(bar), ~(uint32_t)(size - 1),
				      4);
		return 0;
	}
	low = type == PCI_BAR_MEM64 ? PCI_BASE_ADDRESS_MEM_TYPE_64 : 0;
	if (prefetchable)
		low |= PCI_BASE_ADDRESS_MEM_PREFETCH;
	pci_config__set32(c, bar_reg(bar), low);
	pci_config__set_wmask(c, bar_reg(bar), ~(uint32_t)(size - 1) & ~0xfU,
			      4);
	if (type == PCI_BAR_MEM64) {
		d->bars[bar + 1].type = PCI_BAR_NONE;
		pci_config__set_wmask(c, bar_reg(bar + 1),
				      ~(uint32_t)((size - 1) >> 32), 4);
	}
	return 0;
}

int pci_device__add_bar_region(struct pci_device *d, int bar, uint64_t offset,
			       uint64_t size, iobus_fn fn, void *opaque,
			       const char *name)
{
	struct pci_bar *b;
	int i;

	if (bar < 0 || bar >= PCI_NUM_BARS)
		return -EINVAL;
	b = &d->bars[bar];
	if (b->type == PCI_BAR_NONE || !size ||
	    !range_within(offset, size, 0, b->size) ||
	    b->nr_regions == PCI_BAR_MAX_REGIONS)
		return -EINVAL;
	for (i = 0; i < b->nr_regions; i++)
		if (ranges_overlap(offset, size, b->regions[i].offset,
				   b->regions[i].size))
			return -EEXIST;
	b->regions[b->nr_regions++] = (struct pci_bar_region){
		.offset = offset,
		.size = size,
		.fn = fn,
		.opaque = opaque,
		.name = name,
	};
	return 0;
}

/* The address the BAR decodes at, or 0 when it does not decode. */
static uint64_t bar_decode_addr(struct pci_device *d, int bar)
{
	struct pci_bar *b = &d->bars[bar];
	uint16_t cmd = pci_config__get16(&d->cfg, PCI_COMMAND);
	uint64_t addr, limit;

	switch (b->type) {
	case PCI_BAR_IO:
		if (!(cmd & PCI_COMMAND_IO))
			return 0;
		addr = pci_config__get32(&d->cfg, bar_reg(bar)) &
		       PCI_BASE_ADDRESS_IO_MASK;
		limit = 0x10000;
		break;
	case PCI_BAR_MEM32:
		if (!(cmd & PCI_COMMAND_MEMORY))
			return 0;
		addr = pci_config__get32(&d->cfg, bar_reg(bar)) &
		       PCI_BASE_ADDRESS_MEM_MASK;
		limit = SZ_4G;
		break;
	case PCI_BAR_MEM64:
		if (!(cmd & PCI_COMMAND_MEMORY))
			return 0;
		addr = (pci_config__get32(&d->cfg, bar_reg(bar)) &
			PCI_BASE_ADDRESS_MEM_MASK) |
		       (uint64_t)pci_config__get32(&d->cfg, bar_reg(bar + 1))
			       << 32;
		/* Beyond 48 bits no guest-physical address exists. */
		limit = 1ULL << 48;
		break;
	default:
		return 0;
	}
	/*
	 * Zero means unassigned. A BAR reaching the top of its address space
	 * is the sizing pattern (all ones) or garbage: neither decodes (QEMU's
	 * pci_bar_address() draws the same line).
	 */
	if (!addr || addr + b->size >= limit || addr + b->size < addr)
		return 0;
	return addr;
}

static void bar_unmap(struct pci_device *d, int bar)
{
	struct pci_bar *b = &d->bars[bar];
	struct iobus *bus = b->type == PCI_BAR_IO ? &d->vm->pio_bus :
						    &d->vm->mmio_bus;
	int i;

	if (!b->mapped)
		return;
	for (i = 0; i < b->nr_regions; i++)
		iobus__unregister(bus, b->addr + b->regions[i].offset,
				  b->regions[i].opaque);
	b->mapped = false;
	if (d->ops && d->ops->bar_update)
		d->ops->bar_update(d, bar, false, b->addr);
}

static void bar_map(struct pci_device *d, int bar, uint64_t addr)
{
	struct pci_bar *b = &d->bars[bar];
	struct iobus *bus = b->type == PCI_BAR_IO ? &d->vm->pio_bus :
						    &d->vm->mmio_bus;
	int i, ret = 0;

	for (i = 0; i < b->nr_regions; i++) {
		ret = iobus__register(bus, addr + b->regions[i].offset,
				      b->regions[i].size, b->regions[i].fn,
				      b->regions[i].opaque, b->regions[i].name);
		if (ret)
			break;
	}
	if (ret) {
		/* Over another device: this BAR stays off until moved. */
		while (i-- > 0)
			iobus__unregister(bus, addr + b->regions[i].offset,
					  b->regions[i].opaque);
		pr_warn_ratelimited(
			"%s: BAR%d at 0x%llx overlaps another device; not decoding it",
			d->name, bar, (unsigned long long)addr);
		return;
	}
	b->addr = addr;
	b->mapped = true;
	if (d->ops && d->ops->bar_update)
		d->ops->bar_update(d, bar, true, addr);
}

/* Bring each BAR's decoding in line with COMMAND and the BAR registers. */
void pci_device__update_bars(struct pci_device *d)
{
	int bar;

	for (bar = 0; bar < PCI_NUM_BARS; bar++) {
		struct pci_bar *b = &d->bars[bar];
		uint64_t addr;

		if (b->type == PCI_BAR_NONE)
			continue;
		addr = bar_decode_addr(d, bar);
		if (b->mapped && addr == b->addr)
			continue;
		bar_unmap(d, bar);
		if (addr)
			bar_map(d, bar, addr);
	}
}

void pci_device__set_intx(struct pci_device *d, bool level)
{
	uint16_t cmd, status;
	bool line;

	if (!d->intx_pin)
		return;
	pthread_mutex_lock(&d->lock);
	cmd = pci_config__get16(&d->cfg, PCI_COMMAND);
	status = pci_config__get16(&d->cfg, PCI_STATUS);
	/* STATUS shows the device's request even when it is disabled. */
	if (level)
		status |= PCI_STATUS_INTERRUPT;
	else
		status &= ~PCI_STATUS_INTERRUPT;
	pci_config__set16(&d->cfg, PCI_STATUS, status);
	d->intx_level = level;
	line = level && !(cmd & PCI_COMMAND_INTX_DISABLE);
	pci_bus__set_intx(d, line);
	pthread_mutex_unlock(&d->lock);
}

static bool touches(uint32_t off, int len, uint32_t start, uint32_t size)
{
	return ranges_overlap(off, len, start, size);
}

uint32_t pci_device__config_read(struct pci_device *d, uint32_t off, int len)
{
	uint32_t v;

	pthread_mutex_lock(&d->lock);
	v = pci_config__read(&d->cfg, off, len);
	if (d->ops && d->ops->config_read)
		v = d->ops->config_read(d, off, len, v);
	pthread_mutex_unlock(&d->lock);
	return v;
}

void pci_device__config_write(struct pci_device *d, uint32_t off, uint32_t val,
			      int len)
{
	uint16_t old_cmd, cmd;

	pthread_mutex_lock(&d->lock);
	old_cmd = pci_config__get16(&d->cfg, PCI_COMMAND);
	if (!pci_config__write(&d->cfg, off, val, len)) {
		pthread_mutex_unlock(&d->lock);
		return;
	}
	cmd = pci_config__get16(&d->cfg, PCI_COMMAND);
	if (touches(off, len, PCI_COMMAND, 2) ||
	    touches(off, len, PCI_BASE_ADDRESS_0, 4 * PCI_NUM_BARS))
		pci_device__update_bars(d);
	if ((old_cmd ^ cmd) & PCI_COMMAND_INTX_DISABLE)
		pci_bus__set_intx(d, d->intx_level &&
					     !(cmd & PCI_COMMAND_INTX_DISABLE));
	if (d->msi && touches(off, len, d->msi->cap, 24))
		pci_msi__config_changed(d->msi);
	if (d->msix && touches(off, len, d->msix->cap, PCI_CAP_MSIX_SIZEOF))
		pci_msix__config_changed(d->msix);
	if (d->ops && d->ops->command_update && old_cmd != cmd)
		d->ops->command_update(d, old_cmd, cmd);
	if (d->ops && d->ops->config_write)
		d->ops->config_write(d, off, val, len);
	pthread_mutex_unlock(&d->lock);
}
