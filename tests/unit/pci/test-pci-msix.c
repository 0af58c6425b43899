// SPDX-License-Identifier: GPL-2.0
/* MSI-X table, PBA and masking; MSI multi-message. Delivery is recorded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "triovm/pci-msi.h"
#include "triovm/pci.h"
#include "triovm/vm.h"

struct sent {
	uint64_t addr[16];
	uint32_t data[16];
	int n;
};

static int record(void *opaque, uint64_t addr, uint32_t data)
{
	struct sent *s = opaque;

	s->addr[s->n] = addr;
	s->data[s->n] = data;
	s->n++;
	return 0;
}

static struct vm vm;

static struct pci_device *setup(struct sent *s)
{
	static struct pci_device d;

	memset(&vm, 0, sizeof(vm));
	vm.vm_fd = vm.sys_fd = -1;
	INIT_LIST_HEAD(&vm.dsdt_nodes);
	iobus__init(&vm.pio_bus, "pio");
	iobus__init(&vm.mmio_bus, "mmio");
	assert_int_equal(pci__init_bus(&vm), 0);
	pci_device__init(&d, &vm, "t", 1, 2, 0, 0, false);
	assert_int_equal(
		pci_device__add_bar(&d, 1, PCI_BAR_MEM32, 0x1000, false), 0);
	assert_int_equal(pci_msix__init(&d, 4, 1, 0, 0x800), 0);
	d.msix->deliver = record;
	d.msix->deliver_opaque = s;
	memset(s, 0, sizeof(*s));
	assert_int_equal(pci__register(&vm, &d), 0);
	return &d;
}

static void teardown(struct pci_device *d)
{
	pci_msix__exit(d);
	pci__exit_bus(&vm);
	iobus__exit(&vm.pio_bus);
	iobus__exit(&vm.mmio_bus);
}

static uint32_t tread(struct pci_device *d, uint64_t off)
{
	uint32_t v;

	assert_true(iobus__access(&vm.mmio_bus, d->bars[1].addr + off,
				  (uint8_t *)&v, 4, false));
	return v;
}

static void twrite(struct pci_device *d, uint64_t off, uint32_t v)
{
	assert_true(iobus__access(&vm.mmio_bus, d->bars[1].addr + off,
				  (uint8_t *)&v, 4, true));
}

static void ctrl(struct pci_device *d, uint16_t v)
{
	pci__config_write(&vm, 0, 0, d->msix->cap + PCI_MSIX_FLAGS, v, 2);
}

static void program(struct pci_device *d, int vec, uint64_t addr, uint32_t data,
		    bool masked)
{
	twrite(d, vec * 16 + 0, (uint32_t)addr);
	twrite(d, vec * 16 + 4, addr >> 32);
	twrite(d, vec * 16 + 8, data);
	twrite(d, vec * 16 + 12, masked);
}

static void test_capability(void **state)
{
	struct sent s;
	struct pci_device *d = setup(&s);
	uint16_t cap = d->msix->cap;

	assert_int_equal(pci_config__find_cap(&d->cfg, PCI_CAP_ID_MSIX), cap);
	/* Table size is N-1 and read-only; BIR and offsets read back. */
	ctrl(d, 0x07ff);
	assert_int_equal(pci__config_read(&vm, 0, 0, cap + PCI_MSIX_FLAGS, 2),
			 3);
	assert_int_equal(pci__config_read(&vm, 0, 0, cap + PCI_MSIX_TABLE, 4),
			 1);
	assert_int_equal(pci__config_read(&vm, 0, 0, cap + PCI_MSIX_PBA, 4),
			 0x800 | 1);
	/* Vectors start masked. */
	assert_int_equal(tread(d, 12), 1);
	teardown(d);
}

static void test_delivery_and_masking(void **state)
{
	struct sent s;
	struct pci_device *d = setup(&s);

	program(d, 2, 0xfee01000, 0x4041, false);
	/* MSI-X disabled: nothing is sent, nothing is pending. */
	pci_msix__notify(d->msix, 2);
	assert_int_equal(s.n, 0);
	ctrl(d, PCI_MSIX_FLAGS_ENABLE);
	pci_msix__notify(d->msix, 2);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.addr[0], 0xfee01000);
	assert_int_equal(s.data[0], 0x4041);

	/* Masked vector: pending bit set, delivered on unmask. */
	twrite(d, 2 * 16 + 12, 1);
	pci_msix__notify(d->msix, 2);
	assert_int_equal(s.n, 1);
	assert_int_equal(tread(d, 0x800), 1 << 2);
	twrite(d, 2 * 16 + 12, 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(tread(d, 0x800), 0);

	/* Function mask holds every vector. */
	ctrl(d, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	pci_msix__notify(d->msix, 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(tread(d, 0x800), 1 << 2);
	ctrl(d, PCI_MSIX_FLAGS_ENABLE);
	assert_int_equal(s.n, 3);
	teardown(d);
}

static void test_table_rules(void **state)
{
	struct sent s;
	struct pci_device *d = setup(&s);
	uint8_t b = 0xaa;

	/* Address low bits and reserved control bits read as zero. */
	twrite(d, 0, 0xfee00003);
	assert_int_equal(tread(d, 0), 0xfee00000);
	twrite(d, 12, 0xfffffffe);
	assert_int_equal(tread(d, 12), 0);
	/* Byte writes are ignored; out-of-range vectors are ignored. */
	iobus__access(&vm.mmio_bus, d->bars[1].addr + 8, &b, 1, true);
	assert_int_equal(tread(d, 8), 0);
	pci_msix__notify(d->msix, 4);
	pci_msix__notify(d->msix, -1);
	assert_int_equal(s.n, 0);
	/* The PBA is read-only. */
	twrite(d, 0x800, 0xffffffff);
	assert_int_equal(tread(d, 0x800), 0);
	/* Past the table, inside the BAR: nobody answers. */
	{
		uint32_t v;

		assert_false(iobus__access(&vm.mmio_bus,
					   d->bars[1].addr + 4 * 16,
					   (uint8_t *)&v, 4, false));
	}
	teardown(d);
}

static void test_msi_multi_message(void **state)
{
	static struct pci_device d;
	struct sent s;
	uint16_t cap;

	memset(&s, 0, sizeof(s));
	memset(&vm, 0, sizeof(vm));
	vm.vm_fd = vm.sys_fd = -1;
	INIT_LIST_HEAD(&vm.dsdt_nodes);
	iobus__init(&vm.pio_bus, "pio");
	iobus__init(&vm.mmio_bus, "mmio");
	assert_int_equal(pci__init_bus(&vm), 0);
	pci_device__init(&d, &vm, "t", 1, 2, 0, 0, false);
	assert_int_equal(pci_msi__init(&d, 4, true, true), 0);
	d.msi->deliver = record;
	d.msi->deliver_opaque = &s;
	assert_int_equal(pci__register(&vm, &d), 0);
	cap = d.msi->cap;
	/* Multiple Message Capable = 4 vectors (log2 2). */
	assert_int_equal((pci__config_read(&vm, 0, 0, cap + PCI_MSI_FLAGS, 2) >>
			  1) & 7,
			 2);
	pci__config_write(&vm, 0, 0, cap + PCI_MSI_ADDRESS_LO, 0xfee00000, 4);
	pci__config_write(&vm, 0, 0, cap + PCI_MSI_ADDRESS_HI, 0, 4);
	pci__config_write(&vm, 0, 0, cap + PCI_MSI_DATA_64, 0x4060, 2);
	/* Enable with 2 vectors (MME = 1). */
	pci__config_write(&vm, 0, 0, cap + PCI_MSI_FLAGS,
			  PCI_MSI_FLAGS_ENABLE | (1 << 4), 2);
	pci_msi__notify(d.msi, 1);
	pci_msi__notify(d.msi, 3); /* not enabled: dropped */
	assert_int_equal(s.n, 1);
	assert_int_equal(s.data[0], 0x4061);
	/* Per-vector mask: pending bit, then delivery on unmask. */
	pci__config_write(&vm, 0, 0, cap + PCI_MSI_MASK_64, 1, 4);
	pci_msi__notify(d.msi, 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(
		pci__config_read(&vm, 0, 0, cap + PCI_MSI_PENDING_64, 4), 1);
	pci__config_write(&vm, 0, 0, cap + PCI_MSI_MASK_64, 0, 4);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.data[1], 0x4060);
	/* The guest cannot enable more than the device asked for. */
	pci__config_write(&vm, 0, 0, cap + PCI_MSI_FLAGS,
			  PCI_MSI_FLAGS_ENABLE | (5 << 4), 2);
	pci_msi__notify(d.msi, 3);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.data[2], 0x4063);
	pci_msi__exit(&d);
	pci__exit_bus(&vm);
	iobus__exit(&vm.pio_bus);
	iobus__exit(&vm.mmio_bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capability),
		cmocka_unit_test(test_delivery_and_masking),
		cmocka_unit_test(test_table_rules),
		cmocka_unit_test(test_msi_multi_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
