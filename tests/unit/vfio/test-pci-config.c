// SPDX-License-Identifier: GPL-2.0
/*
 * The config space a guest sees of a passed-through device, over the
 * config space of QEMU's SR-IOV NVMe PF as the test host's vfio-pci showed
 * it (tests/unit/data), held in a memfd at the config region's offset as
 * VFIO's device fd holds it: the header is triovm's (BAR writes never reach
 * the device), the command register is mirrored to the device, capabilities
 * triovm does not emulate are read live from the device and written to it,
 * and the SR-IOV/ARI chain is hidden.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "triovm/vfio-pci.h"

#define CFG_OFFSET 0x70000000000ULL /* vfio-pci: index 7 << 40 */

struct fixture {
	struct vfio_region regions[VFIO_PCI_NUM_REGIONS];
	struct vfio_device dev;
	struct vfio_pci vp;
	int fd;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	char path[512];
	FILE *in;

	snprintf(path, sizeof(path), "%s/nvme-sriov-pf-config.bin",
		 getenv("TRIOVM_TEST_DATA"));
	in = fopen(path, "rb");
	assert_non_null(in);
	assert_int_equal(fread(cfg, 1, sizeof(cfg), in), sizeof(cfg));
	fclose(in);
	f->fd = memfd_create("config", 0);
	assert_true(f->fd >= 0);
	assert_int_equal(pwrite(f->fd, cfg, sizeof(cfg), CFG_OFFSET),
			 sizeof(cfg));

	f->regions[VFIO_PCI_CONFIG_REGION_INDEX] = (struct vfio_region){
		.index = VFIO_PCI_CONFIG_REGION_INDEX,
		.flags = VFIO_REGION_INFO_FLAG_READ |
			 VFIO_REGION_INFO_FLAG_WRITE,
		.size = sizeof(cfg),
		.offset = CFG_OFFSET,
	};
	f->dev.fd = f->fd;
	f->dev.nr_regions = VFIO_PCI_NUM_REGIONS;
	f->dev.regions = f->regions;
	f->vp.dev = &f->dev;
	snprintf(f->vp.name, sizeof(f->vp.name), "0000:00:03.0");
	assert_int_equal(vfio_pci__config_init(&f->vp), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	close(f->fd);
	free(f);
	return 0;
}

/* As the PCI bus does: triovm's config space, then the device's hook. */
static uint32_t guest_read(struct fixture *f, uint32_t off, int len)
{
	uint32_t v = pci_config__read(&f->vp.pci.cfg, off, len);

	return vfio_pci__config_read(&f->vp.pci, off, len, v);
}

static void guest_write(struct fixture *f, uint32_t off, uint32_t val, int len)
{
	pci_config__write(&f->vp.pci.cfg, off, val, len);
	vfio_pci__config_write(&f->vp.pci, off, val, len);
}

static uint32_t device_read(struct fixture *f, uint32_t off, int len)
{
	uint32_t v = 0;

	assert_int_equal(pread(f->fd, &v, len, CFG_OFFSET + off), len);
	return v;
}

static void device_write(struct fixture *f, uint32_t off, uint32_t v, int len)
{
	assert_int_equal(pwrite(f->fd, &v, len, CFG_OFFSET + off), len);
}

static void identity_from_the_device(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(guest_read(f, PCI_VENDOR_ID, 2), 0x1b36);
	assert_int_equal(guest_read(f, PCI_DEVICE_ID, 2), 0x0010);
	assert_int_equal(guest_read(f, PCI_CLASS_DEVICE, 2), 0x0108); /* NVMe */
	assert_int_equal(guest_read(f, PCI_CAPABILITY_LIST, 1), 0x40);
	assert_true(guest_read(f, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
}

/* The guest's BAR addresses are triovm's business, never the device's. */
static void bar_writes_stay_in_triovm(void **state)
{
	struct fixture *f = *state;
	uint32_t before = device_read(f, PCI_BASE_ADDRESS_0, 4);

	guest_write(f, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
	guest_write(f, PCI_BASE_ADDRESS_0, 0xc0000000, 4);
	assert_int_equal(device_read(f, PCI_BASE_ADDRESS_0, 4), before);
	guest_write(f, PCI_ROM_ADDRESS, 0xffffffff, 4);
	assert_int_equal(device_read(f, PCI_ROM_ADDRESS, 4), 0);
	assert_true(vfio_pci__byte_emulated(&f->vp, PCI_INTERRUPT_LINE));
}

/* Memory decoding and bus mastering must reach the real function. */
static void command_reaches_the_device(void **state)
{
	struct fixture *f = *state;

	device_write(f, PCI_COMMAND, 0, 2);
	guest_write(f, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	assert_int_equal(device_read(f, PCI_COMMAND, 2),
			 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	assert_int_equal(guest_read(f, PCI_COMMAND, 2),
			 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	guest_write(f, PCI_COMMAND, 0, 2);
	assert_int_equal(device_read(f, PCI_COMMAND, 2), 0);
}

/* The PCI Express capability (0x80) is the device's: live, both ways. */
static void other_capabilities_pass_through(void **state)
{
	struct fixture *f = *state;
	uint32_t devctl = 0x80 + PCI_EXP_DEVCTL;

	assert_int_equal(guest_read(f, 0x80, 1), PCI_CAP_ID_EXP);
	assert_false(vfio_pci__byte_emulated(&f->vp, devctl));
	device_write(f, devctl, 0x2810, 2);
	assert_int_equal(guest_read(f, devctl, 2), 0x2810);
	guest_write(f, devctl, 0x2830, 2);
	assert_int_equal(device_read(f, devctl, 2), 0x2830);
	/* The header is not: the device's interrupt line never shows. */
	device_write(f, PCI_INTERRUPT_LINE, 0x5a, 1);
	assert_int_not_equal(guest_read(f, PCI_INTERRUPT_LINE, 1), 0x5a);
}

static void sriov_hidden(void **state)
{
	struct fixture *f = *state;

	/* ARI at 0x100 became a null capability ending the chain. */
	assert_int_equal(guest_read(f, 0x100, 4), 0);
	/* Even if the device's own header changes underneath. */
	device_write(f, 0x100, 0x1201000e, 4);
	assert_int_equal(guest_read(f, 0x100, 4), 0);
	assert_int_equal(guest_read(f, 0x104, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(identity_from_the_device, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bar_writes_stay_in_triovm,
						setup, teardown),
		cmocka_unit_test_setup_teardown(command_reaches_the_device,
						setup, teardown),
		cmocka_unit_test_setup_teardown(other_capabilities_pass_through,
						setup, teardown),
		cmocka_unit_test_setup_teardown(sriov_hidden, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
