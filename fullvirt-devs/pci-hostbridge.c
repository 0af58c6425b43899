// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI host bridge: device 00:00.0, and the two ways to reach config
 * space. Configuration mechanism #1 (ports 0xcf8/0xcfc) is what Linux uses
 * for the first 256 bytes; ECAM (announced in the MCFG table) gives the 4 KiB
 * extended space that PCI Express devices, passed-through ones included, need.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/device.h"
#include "triovm/layout.h"
#include "triovm/log.h"
#include "triovm/pci.h"
#include "triovm/vm.h"

#define CONF1_ADDR_PORT 0xcf8
#define CONF1_DATA_PORT 0xcfc
#define CONF1_ENABLE 0x80000000U

/* QEMU's vendor ID and its "PCIe host bridge" device ID (docs/specs/pci-ids). */
#define PCI_VENDOR_REDHAT 0x1b36
#define PCI_DEVICE_REDHAT_HOST 0x0008

struct pci_hostbridge {
	struct vm *vm;
	pthread_mutex_t lock;
	uint32_t conf1_addr;
	struct pci_device dev;
};

static void conf1_addr_io(void *opaque, uint64_t addr, uint8_t *data,
			  uint32_t len, bool is_write)
{
	struct pci_hostbridge *hb = opaque;
	uint32_t i;

	pthread_mutex_lock(&hb->lock);
	for (i = 0; i < len && addr + i < 4; i++) {
		int shift = 8 * (addr + i);

		if (is_write)
			hb->conf1_addr = (hb->conf1_addr & ~(0xffU << shift)) |
					 (uint32_t)data[i] << shift;
		else
			data[i] = hb->conf1_addr >> shift;
	}
	pthread_mutex_unlock(&hb->lock);
}

static void conf1_data_io(void *opaque, uint64_t addr, uint8_t *data,
			  uint32_t len, bool is_write)
{
	struct pci_hostbridge *hb = opaque;
	uint32_t a, off, val = 0;
	uint8_t bus, devfn;

	pthread_mutex_lock(&hb->lock);
	a = hb->conf1_addr;
	pthread_mutex_unlock(&hb->lock);

	/* Disabled, or an access crossing the data window: floats. */
	if (!(a & CONF1_ENABLE) || addr + len > 4) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	bus = a >> 16;
	devfn = a >> 8;
	off = (a & 0xfc) + addr;
	if (is_write) {
		memcpy(&val, data, len);
		pci__config_write(hb->vm, bus, devfn, off, val, len);
	} else {
		val = pci__config_read(hb->vm, bus, devfn, off, len);
		memcpy(data, &val, len);
	}
}

static void ecam_io(void *opaque, uint64_t addr, uint8_t *data, uint32_t len,
		    bool is_write)
{
	struct pci_hostbridge *hb = opaque;
	uint8_t bus = addr >> 20, devfn = addr >> 12;
	uint32_t off = addr & 0xfff, val = 0;

	if ((len != 1 && len != 2 && len != 4) || (off & (len - 1))) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (is_write) {
		memcpy(&val, data, len);
		pci__config_write(hb->vm, bus, devfn, off, val, len);
	} else {
		val = pci__config_read(hb->vm, bus, devfn, off, len);
		memcpy(data, &val, len);
	}
}

static int pci_hostbridge__init(struct vm *vm, void **priv)
{
	struct pci_hostbridge *hb = calloc(1, sizeof(*hb));
	int ret;

	if (!hb)
		return -ENOMEM;
	hb->vm = vm;
	pthread_mutex_init(&hb->lock, NULL);
	ret = pci__init_bus(vm);
	if (ret)
		goto err;
	pci_device__init(&hb->dev, vm, "host bridge", PCI_VENDOR_REDHAT,
			 PCI_DEVICE_REDHAT_HOST, PCI_CLASS_CODE_HOST_BRIDGE, 0,
			 false);
	ret = pci__register(vm, &hb->dev);
	if (!ret)
		ret = iobus__register(&vm->pio_bus, CONF1_ADDR_PORT, 4,
				      conf1_addr_io, hb, "PCI conf1 address");
	if (!ret)
		ret = iobus__register(&vm->pio_bus, CONF1_DATA_PORT, 4,
				      conf1_data_io, hb, "PCI conf1 data");
	if (!ret)
		ret = iobus__register(&vm->mmio_bus, PCI_ECAM_START,
				      PCI_ECAM_SIZE, ecam_io, hb, "PCI ECAM");
	if (ret)
		goto err;
	*priv = hb;
	return 0;
err:
	pci__exit_bus(vm);
	free(hb);
	return ret;
}

static void pci_hostbridge__exit(struct vm *vm, void *priv)
{
	struct pci_hostbridge *hb = priv;

	pci__exit_bus(vm);
	pthread_mutex_destroy(&hb->lock);
	free(hb);
}

const struct vm_device pci_hostbridge_device = {
	.name = "pci-hostbridge",
	.init = pci_hostbridge__init,
	.exit = pci_hostbridge__exit,
};
