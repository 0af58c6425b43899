// SPDX-License-Identifier: GPL-2.0
/*
 * The extended capability chain a passed-through device shows its guest:
 * SR-IOV, ARI and Resizable BAR unlinked (they describe the host's use of
 * the device), one at 0x100 turned into a null capability whose body reads
 * as zeros, everything else linked as before; a looping or wild chain from
 * the device ends instead of reaching the guest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/vfio-pci.h"

static struct vfio_pci vp;
static uint8_t phys[PCI_CFG_SPACE_EXP_SIZE];

static int clear(void **state)
{
	memset(&vp, 0, sizeof(vp));
	memset(phys, 0, sizeof(phys));
	vp.cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	return 0;
}

static void put_cap(uint32_t off, uint16_t id, uint32_t next)
{
	uint32_t hdr = id | 1 << 16 | next << 20;

	memcpy(phys + off, &hdr, 4);
}

/* What config_init does before the chain: the device's bytes as defaults. */
static void init(void)
{
	memcpy(vp.pci.cfg.data, phys, sizeof(phys));
	vfio_pci__ext_caps_init(&vp, phys);
}

static uint32_t hdr_at(uint32_t off)
{
	return pci_config__get32(&vp.pci.cfg, off);
}

/* QEMU's NVMe PF in the test host: ARI at 0x100, SR-IOV at 0x120. */
static void nvme_pf_shows_no_sriov(void **state)
{
	char path[512];
	uint32_t off;
	FILE *f;

	snprintf(path, sizeof(path), "%s/nvme-sriov-pf-config.bin",
		 getenv("TRIOVM_TEST_DATA"));
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(phys, 1, sizeof(phys), f), sizeof(phys));
	fclose(f);
	/* The capture does have both, in that order. */
	assert_int_equal(phys[0x100], PCI_EXT_CAP_ID_ARI);
	assert_int_equal(phys[0x120], PCI_EXT_CAP_ID_SRIOV);
	init();
	/* A null capability with nothing after it. */
	assert_int_equal(hdr_at(0x100), 0);
	assert_true(vfio_pci__byte_emulated(&vp, 0x100));
	/* ARI's body is emulated and zero up to the next capability. */
	for (off = 0x104; off < 0x120; off++) {
		assert_true(vfio_pci__byte_emulated(&vp, off));
		assert_int_equal(vp.pci.cfg.data[off], 0);
	}
	/* Nothing points at SR-IOV any more; its bytes are not rewritten. */
	assert_false(vfio_pci__byte_emulated(&vp, 0x120));
}

static void hidden_cap_in_the_middle_unlinked(void **state)
{
	put_cap(0x100, PCI_EXT_CAP_ID_ERR, 0x140);
	put_cap(0x140, PCI_EXT_CAP_ID_SRIOV, 0x180);
	put_cap(0x180, PCI_EXT_CAP_ID_REBAR, 0x1c0);
	put_cap(0x1c0, PCI_EXT_CAP_ID_DSN, 0);
	init();
	assert_int_equal(PCI_EXT_CAP_ID(hdr_at(0x100)), PCI_EXT_CAP_ID_ERR);
	assert_int_equal(PCI_EXT_CAP_VER(hdr_at(0x100)), 1);
	assert_int_equal(PCI_EXT_CAP_NEXT(hdr_at(0x100)), 0x1c0);
	assert_int_equal(PCI_EXT_CAP_ID(hdr_at(0x1c0)), PCI_EXT_CAP_ID_DSN);
	assert_int_equal(PCI_EXT_CAP_NEXT(hdr_at(0x1c0)), 0);
	/* The visible capabilities' bodies still come from the device. */
	assert_false(vfio_pci__byte_emulated(&vp, 0x104));
	assert_false(vfio_pci__byte_emulated(&vp, 0x1c4));
}

/* A hidden 0x100 zeroes its body only up to the next capability by address. */
static void null_cap_body_stops_at_next_cap(void **state)
{
	uint32_t off;

	memset(phys + 0x100, 0xab, 0x300);
	put_cap(0x100, PCI_EXT_CAP_ID_SRIOV, 0x300);
	put_cap(0x300, PCI_EXT_CAP_ID_ERR, 0x200);
	put_cap(0x200, PCI_EXT_CAP_ID_DSN, 0);
	init();
	assert_int_equal(PCI_EXT_CAP_ID(hdr_at(0x100)), 0);
	assert_int_equal(PCI_EXT_CAP_NEXT(hdr_at(0x100)), 0x300);
	for (off = 0x104; off < 0x200; off++)
		assert_int_equal(vp.pci.cfg.data[off], 0);
	assert_int_equal(PCI_EXT_CAP_ID(hdr_at(0x200)), PCI_EXT_CAP_ID_DSN);
	assert_false(vfio_pci__byte_emulated(&vp, 0x204));
	assert_int_equal(PCI_EXT_CAP_NEXT(hdr_at(0x300)), 0x200);
}

static void looping_chain_ends(void **state)
{
	put_cap(0x100, PCI_EXT_CAP_ID_ERR, 0x140);
	put_cap(0x140, PCI_EXT_CAP_ID_DSN, 0x100);
	init();
	assert_int_equal(PCI_EXT_CAP_NEXT(hdr_at(0x100)), 0x140);
	assert_int_equal(PCI_EXT_CAP_NEXT(hdr_at(0x140)), 0);
}

static void self_loop_and_wild_pointers_end(void **state)
{
	put_cap(0x100, PCI_EXT_CAP_ID_ERR, 0x100);
	init();
	assert_int_equal(PCI_EXT_CAP_NEXT(hdr_at(0x100)), 0);

	clear(NULL);
	/* A pointer into the conventional space ends the chain. */
	put_cap(0x100, PCI_EXT_CAP_ID_ERR, 0x80);
	put_cap(0x140, PCI_EXT_CAP_ID_DSN, 0);
	init();
	assert_int_equal(PCI_EXT_CAP_NEXT(hdr_at(0x100)), 0);
	assert_false(vfio_pci__byte_emulated(&vp, 0x140));
}

/* Conventional PCI has no extended space: nothing is touched. */
static void conventional_device_untouched(void **state)
{
	vp.cfg_size = PCI_CFG_SPACE_SIZE;
	put_cap(0x100, PCI_EXT_CAP_ID_SRIOV, 0);
	init();
	assert_false(vfio_pci__byte_emulated(&vp, 0x80));
	/* Beyond the device's space triovm answers (as absent). */
	assert_true(vfio_pci__byte_emulated(&vp, 0x100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(nvme_pf_shows_no_sriov, clear),
		cmocka_unit_test_setup(hidden_cap_in_the_middle_unlinked,
				       clear),
		cmocka_unit_test_setup(null_cap_body_stops_at_next_cap, clear),
		cmocka_unit_test_setup(looping_chain_ends, clear),
		cmocka_unit_test_setup(self_loop_and_wild_pointers_end, clear),
		cmocka_unit_test_setup(conventional_device_untouched, clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
