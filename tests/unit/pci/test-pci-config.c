// SPDX-License-Identifier: GPL-2.0
/*
 * Config-space semantics: read-only IDs, RW1C status, BAR sizing and
 * relocation, the capability chain, and the host bridge's view of a device.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "triovm/layout.h"
#include "triovm/pci.h"
#include "triovm/vm.h"

static struct vm *new_vm(void)
{
	static struct vm vm;

	memset(&vm, 0, sizeof(vm));
	vm.vm_fd = vm.sys_fd = -1;
	INIT_LIST_HEAD(&vm.dsdt_nodes);
	iobus__init(&vm.pio_bus, "pio");
	iobus__init(&vm.mmio_bus, "mmio");
	assert_int_equal(pci__init_bus(&vm), 0);
	return &vm;
}

static void free_vm(struct vm *vm)
{
	pci__exit_bus(vm);
	iobus__exit(&vm->pio_bus);
	iobus__exit(&vm->mmio_bus);
}

static int hits;

static void bar_fn(void *opaque, uint64_t addr, uint8_t *data, uint32_t len,
		   bool is_write)
{
	hits++;
	if (!is_write)
		memset(data, 0x42, len);
}

static uint32_t rd(struct vm *vm, int slot, uint32_t off, int len)
{
	return pci__config_read(vm, 0, slot << 3, off, len);
}

static void wr(struct vm *vm, int slot, uint32_t off, uint32_t v, int len)
{
	pci__config_write(vm, 0, slot << 3, off, v, len);
}

static void test_read_only_header(void **state)
{
	struct vm *vm = new_vm();
	struct pci_device d;

	pci_device__init(&d, vm, "t", 0x8086, 0x100e, 0x020000, 3, false);
	assert_int_equal(pci__register(vm, &d), 0);
	assert_int_equal(rd(vm, 0, PCI_VENDOR_ID, 4), 0x100e8086);
	wr(vm, 0, PCI_VENDOR_ID, 0xffffffff, 4);
	assert_int_equal(rd(vm, 0, PCI_VENDOR_ID, 4), 0x100e8086);
	assert_int_equal(rd(vm, 0, PCI_CLASS_REVISION, 4), 0x02000003);
	wr(vm, 0, PCI_CLASS_REVISION, 0, 4);
	assert_int_equal(rd(vm, 0, PCI_CLASS_REVISION, 4), 0x02000003);
	/* Interrupt line is writable scratch; the pin is not. */
	pci_device__set_intx_pin(&d, 1);
	wr(vm, 0, PCI_INTERRUPT_LINE, 0x0b, 1);
	wr(vm, 0, PCI_INTERRUPT_PIN, 0x04, 1);
	assert_int_equal(rd(vm, 0, PCI_INTERRUPT_LINE, 1), 0x0b);
	assert_int_equal(rd(vm, 0, PCI_INTERRUPT_PIN, 1), 1);
	/* Empty slots and other functions float. */
	assert_int_equal(rd(vm, 5, PCI_VENDOR_ID, 4), 0xffffffff);
	assert_int_equal(pci__config_read(vm, 0, 1, PCI_VENDOR_ID, 2), 0xffff);
	assert_int_equal(pci__config_read(vm, 1, 0, PCI_VENDOR_ID, 4),
			 0xffffffff);
	/* Beyond 256 bytes of a conventional device, and misaligned. */
	assert_int_equal(rd(vm, 0, 0x100, 4), 0xffffffff);
	assert_int_equal(rd(vm, 0, 0xfe, 4), 0xffffffff);
	free_vm(vm);
}

static void test_status_rw1c(void **state)
{
	struct pci_config c;

	pci_config__init(&c, false);
	pci_config__set16(&c, PCI_STATUS,
			  PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_CAP_LIST);
	pci_config__set_w1cmask(&c, PCI_STATUS, PCI_STATUS_REC_MASTER_ABORT, 2);
	/* Writing 0 keeps it, writing 1 clears it, CAP_LIST is read-only. */
	pci_config__write(&c, PCI_STATUS, 0, 2);
	assert_int_equal(pci_config__read(&c, PCI_STATUS, 2),
			 PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_CAP_LIST);
	pci_config__write(&c, PCI_STATUS, 0xffff, 2);
	assert_int_equal(pci_config__read(&c, PCI_STATUS, 2),
			 PCI_STATUS_CAP_LIST);
}

static void test_bar_sizing(void **state)
{
	struct vm *vm = new_vm();
	struct pci_device d;

	pci_device__init(&d, vm, "t", 1, 2, 0, 0, false);
	assert_int_equal(
		pci_device__add_bar(&d, 0, PCI_BAR_MEM32, 0x20000, false), 0);
	assert_int_equal(pci_device__add_bar(&d, 1, PCI_BAR_IO, 0x40, false),
			 0);
	assert_int_equal(
		pci_device__add_bar(&d, 2, PCI_BAR_MEM64, SZ_4G * 2, true), 0);
	assert_int_equal(pci__register(vm, &d), 0);

	/* The sizing handshake: all ones in, size mask and type bits out. */
	wr(vm, 0, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
	assert_int_equal(rd(vm, 0, PCI_BASE_ADDRESS_0, 4), 0xfffe0000);
	wr(vm, 0, PCI_BASE_ADDRESS_1, 0xffffffff, 4);
	assert_int_equal(rd(vm, 0, PCI_BASE_ADDRESS_1, 4), 0xffffffc1);
	wr(vm, 0, PCI_BASE_ADDRESS_2, 0xffffffff, 4);
	wr(vm, 0, PCI_BASE_ADDRESS_3, 0xffffffff, 4);
	assert_int_equal(rd(vm, 0, PCI_BASE_ADDRESS_2, 4),
			 0x00000000 | PCI_BASE_ADDRESS_MEM_TYPE_64 |
				 PCI_BASE_ADDRESS_MEM_PREFETCH);
	assert_int_equal(rd(vm, 0, PCI_BASE_ADDRESS_3, 4), 0xfffffffe);
	/* Unused BARs read zero whatever is written. */
	wr(vm, 0, PCI_BASE_ADDRESS_4, 0xffffffff, 4);
	assert_int_equal(rd(vm, 0, PCI_BASE_ADDRESS_4, 4), 0);
	/* While sized (all ones), nothing decodes. */
	assert_false(d.bars[0].mapped);
	assert_false(d.bars[1].mapped);
	assert_false(d.bars[2].mapped);
	free_vm(vm);
}

static void test_bar_placement_and_move(void **state)
{
	struct vm *vm = new_vm();
	struct pci_device hb, d;
	uint8_t data[4];
	uint32_t bar0;

	pci_device__init(&hb, vm, "hb", 1, 1, 0x060000, 0, false);
	assert_int_equal(pci__register(vm, &hb), 0);
	pci_device__init(&d, vm, "t", 1, 2, 0, 0, false);
	assert_int_equal(
		pci_device__add_bar(&d, 0, PCI_BAR_MEM32, 0x1000, false), 0);
	assert_int_equal(pci_device__add_bar_region(&d, 0, 0, 0x1000, bar_fn,
						    &d, "regs"),
			 0);
	assert_int_equal(pci__register(vm, &d), 0);
	assert_int_equal(d.slot, 1);

	/* Placed in the 32-bit window and decoding, as firmware leaves it. */
	bar0 = rd(vm, 1, PCI_BASE_ADDRESS_0, 4);
	assert_int_equal(bar0, PCI_MMIO32_START);
	assert_true(rd(vm, 1, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY);
	hits = 0;
	assert_true(iobus__access(&vm->mmio_bus, bar0 + 8, data, 4, false));
	assert_int_equal(hits, 1);

	/* Memory decoding off: the range goes away. */
	wr(vm, 1, PCI_COMMAND, 0, 2);
	assert_false(iobus__access(&vm->mmio_bus, bar0 + 8, data, 4, false));
	/* Moved while off, then on: decodes at the new place only. */
	wr(vm, 1, PCI_BASE_ADDRESS_0, 0xd0000000, 4);
	wr(vm, 1, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_true(iobus__access(&vm->mmio_bus, 0xd0000000, data, 4, false));
	assert_false(iobus__access(&vm->mmio_bus, bar0, data, 4, false));
	/* A move over another range (ECAM-like, registered here) is refused
	 * without crashing, and the BAR stops decoding. */
	assert_int_equal(iobus__register(&vm->mmio_bus, 0xd0100000, 0x1000,
					 bar_fn, NULL, "other"),
			 0);
	wr(vm, 1, PCI_BASE_ADDRESS_0, 0xd0100000, 4);
	assert_false(d.bars[0].mapped);
	/* Zero means unassigned. */
	wr(vm, 1, PCI_BASE_ADDRESS_0, 0, 4);
	assert_false(d.bars[0].mapped);
	wr(vm, 1, PCI_BASE_ADDRESS_0, 0xd0200000, 4);
	assert_true(d.bars[0].mapped);
	assert_int_equal(d.bars[0].addr, 0xd0200000);
	free_vm(vm);
}

static void test_64bit_bar(void **state)
{
	struct vm *vm = new_vm();
	struct pci_device d;
	uint8_t data[8];

	pci_device__init(&d, vm, "t", 1, 2, 0, 0, false);
	assert_int_equal(
		pci_device__add_bar(&d, 0, PCI_BAR_MEM64, 0x4000, false), 0);
	assert_int_equal(pci_device__add_bar_region(&d, 0, 0, 0x4000, bar_fn,
						    &d, "regs"),
			 0);
	/* BAR5 cannot start a 64-bit pair; sizes must be powers of two. */
	assert_int_equal(pci_device__add_bar(&d, 5, PCI_BAR_MEM64, 0x4000,
					     false),
			 -EINVAL);
	assert_int_equal(pci_device__add_bar(&d, 3, PCI_BAR_MEM32, 0x3000,
					     false),
			 -EINVAL);
	assert_int_equal(pci__register(vm, &d), 0);
	assert_int_equal(d.bars[0].addr, PCI_MMIO64_START);
	assert_int_equal(rd(vm, 0, PCI_BASE_ADDRESS_1, 4),
			 PCI_MMIO64_START >> 32);
	/* The guest moves it below 4 GiB, then into the 64-bit window. */
	wr(vm, 0, PCI_BASE_ADDRESS_1, 0, 4);
	wr(vm, 0, PCI_BASE_ADDRESS_0, 0xc8000000, 4);
	assert_true(iobus__access(&vm->mmio_bus, 0xc8000000, data, 8, false));
	wr(vm, 0, PCI_BASE_ADDRESS_1, 0x90, 4);
	assert_true(
		iobus__access(&vm->mmio_bus, 0x90c8000000ULL, data, 8, false));
	assert_false(iobus__access(&vm->mmio_bus, 0xc8000000, data, 8, false));
	/* An address past 48 bits does not decode. */
	wr(vm, 0, PCI_BASE_ADDRESS_1, 0xffff0000, 4);
	assert_false(d.bars[0].mapped);
	free_vm(vm);
}

static void test_capability_chain(void **state)
{
	struct pci_config c;
	uint16_t a, b, e1, e2;

	pci_config__init(&c, true);
	a = pci_config__add_cap(&c, PCI_CAP_ID_PM, 8);
	b = pci_config__add_cap(&c, PCI_CAP_ID_MSIX, 12);
	assert_int_equal(a, 0x40);
	assert_int_equal(b, 0x48);
	assert_true(pci_config__read(&c, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	assert_int_equal(pci_config__read(&c, PCI_CAPABILITY_LIST, 1), a);
	assert_int_equal(pci_config__read(&c, a + PCI_CAP_LIST_NEXT, 1), b);
	assert_int_equal(pci_config__read(&c, b + PCI_CAP_LIST_NEXT, 1), 0);
	assert_int_equal(pci_config__find_cap(&c, PCI_CAP_ID_MSIX), b);
	assert_int_equal(pci_config__find_cap(&c, PCI_CAP_ID_MSI), 0);
	/* The chain is read-only. */
	pci_config__write(&c, a + PCI_CAP_LIST_NEXT, 0, 1);
	pci_config__write(&c, PCI_CAPABILITY_LIST, 0x80, 1);
	assert_int_equal(pci_config__find_cap(&c, PCI_CAP_ID_MSIX), b);
	/* No room left past 0xff. */
	assert_int_equal(pci_config__add_cap(&c, PCI_CAP_ID_VNDR, 0xc0), 0);

	e1 = pci_config__add_ext_cap(&c, PCI_EXT_CAP_ID_ERR, 1, 0x48);
	e2 = pci_config__add_ext_cap(&c, PCI_EXT_CAP_ID_DSN, 1, 12);
	assert_int_equal(e1, 0x100);
	assert_int_equal(pci_config__read(&c, e1, 4) >> 20, e2);
	assert_int_equal(pci_config__read(&c, e2, 4) & 0xffff,
			 PCI_EXT_CAP_ID_DSN);
	assert_int_equal(pci_config__read(&c, 0x1000 - 4, 4), 0);
}

static void test_looping_chain_terminates(void **state)
{
	struct pci_config c;

	pci_config__init(&c, false);
	/* A chain pointing at itself (as a hostile device might show). */
	pci_config__set16(&c, PCI_STATUS, PCI_STATUS_CAP_LIST);
	pci_config__set8(&c, PCI_CAPABILITY_LIST, 0x40);
	pci_config__set8(&c, 0x40, PCI_CAP_ID_PM);
	pci_config__set8(&c, 0x41, 0x40);
	assert_int_equal(pci_config__find_cap(&c, PCI_CAP_ID_MSI), 0);
}

static void test_slots_run_out(void **state)
{
	struct vm *vm = new_vm();
	static struct pci_device devs[PCI_MAX_SLOTS + 1];
	int i;

	for (i = 0; i < PCI_MAX_SLOTS; i++) {
		pci_device__init(&devs[i], vm, "t", 1, i, 0, 0, false);
		assert_int_equal(pci__register(vm, &devs[i]), 0);
	}
	pci_device__init(&devs[i], vm, "t", 1, i, 0, 0, false);
	assert_int_equal(pci__register(vm, &devs[i]), -ENOSPC);
	free_vm(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_only_header),
		cmocka_unit_test(test_status_rw1c),
		cmocka_unit_test(test_bar_sizing),
		cmocka_unit_test(test_bar_placement_and_move),
		cmocka_unit_test(test_64bit_bar),
		cmocka_unit_test(test_capability_chain),
		cmocka_unit_test(test_looping_chain_terminates),
		cmocka_unit_test(test_slots_run_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
