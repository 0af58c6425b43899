// SPDX-License-Identifier: GPL-2.0
/* SR-IOV capability decoding on captured config space, and VF addresses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/sriov.h"

static uint8_t cfg[4096];

static int load(void **state)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/nvme-sriov-pf-config.bin",
		 getenv("TRIOVM_TEST_DATA"));
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(cfg, 1, sizeof(cfg), f), sizeof(cfg));
	fclose(f);
	return 0;
}

static void test_qemu_nvme_pf(void **state)
{
	struct sriov_cap c;

	assert_int_equal(sriov_cap__parse(cfg, sizeof(cfg), &c), 0);
	assert_int_equal(c.offset, 0x120);
	assert_int_equal(c.initial_vfs, 2);
	assert_int_equal(c.total_vfs, 2);
	assert_int_equal(c.num_vfs, 0);
	assert_int_equal(c.vf_offset, 1);
	assert_int_equal(c.vf_stride, 1);
	assert_int_equal(c.vf_device, 0x0010);
}

static void test_no_or_bad_capability(void **state)
{
	uint8_t b[4096];
	struct sriov_cap c;

	/* A conventional function has no extended space at all. */
	assert_int_equal(sriov_cap__parse(cfg, 256, &c), -ENOENT);
	/* An extended list without SR-IOV. */
	memset(b, 0, sizeof(b));
	b[0x100] = 0x01; /* AER, next 0 */
	b[0x102] = 0x01;
	assert_int_equal(sriov_cap__parse(b, sizeof(b), &c), -ENOENT);
	/* A list pointing at itself must not loop. */
	b[0x103] = 0x10; /* next = 0x100 */
	assert_int_equal(sriov_cap__parse(b, sizeof(b), &c), -EINVAL);
	/* A next pointer into the standard space or misaligned. */
	b[0x103] = 0x04;
	b[0x102] = 0x01; /* next = 0x040 */
	assert_int_equal(sriov_cap__parse(b, sizeof(b), &c), -EINVAL);
	/* The capability cut off by the end of the buffer. */
	assert_int_equal(sriov_cap__parse(cfg, 0x130, &c), -EINVAL);
}

static void test_vf_addresses(void **state)
{
	struct sriov_cap c = { .total_vfs = 2, .vf_offset = 1, .vf_stride = 1 };
	struct pci_addr pf = { 0, 0, 3, 0 }, vf;
	char b[PCI_ADDR_STRLEN];

	assert_int_equal(sriov__vf_addr(&pf, &c, 0, &vf), 0);
	assert_string_equal(pci_addr__format(&vf, b), "0000:00:03.1");
	assert_int_equal(sriov__vf_addr(&pf, &c, 1, &vf), 0);
	assert_string_equal(pci_addr__format(&vf, b), "0000:00:03.2");
	assert_int_equal(sriov__vf_addr(&pf, &c, 2, &vf), -ERANGE);

	/* A NIC whose 64th VF crosses into the next bus. */
	c = (struct sriov_cap){ .total_vfs = 128,
				.vf_offset = 0x80,
				.vf_stride = 2 };
	pf = (struct pci_addr){ 0x0001, 0x3b, 0, 0 };
	assert_int_equal(sriov__vf_addr(&pf, &c, 63, &vf), 0);
	assert_string_equal(pci_addr__format(&vf, b), "0001:3b:1f.6");
	assert_int_equal(sriov__vf_addr(&pf, &c, 64, &vf), 0);
	assert_string_equal(pci_addr__format(&vf, b), "0001:3c:00.0");
	/* Past bus 255: 0xff00 + 0x80 + 127 * 2 > 0xffff. */
	pf.bus = 0xff;
	assert_int_equal(sriov__vf_addr(&pf, &c, 0, &vf), 0);
	assert_int_equal(sriov__vf_addr(&pf, &c, 127, &vf), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_nvme_pf),
		cmocka_unit_test(test_no_or_bad_capability),
		cmocka_unit_test(test_vf_addresses),
	};

	return cmocka_run_group_tests(tests, load, NULL);
}
