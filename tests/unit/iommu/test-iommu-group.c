// SPDX-License-Identifier: GPL-2.0
/*
 * IOMMU groups read from a sysfs tree the test builds, and VFIO's viability
 * rule: every device unbound, on vfio-pci (or a variant), pci-stub, or a
 * bridge.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "triovm/iommu.h"
#include "fake-sysfs.h"

#define NIC 0x020000
#define SATA 0x010601
#define SMBUS 0x0c0500
#define ISA_BRIDGE 0x060100
#define PCI_BRIDGE 0x060400

static int setup(void **state)
{
	*state = fake_sysfs__new();
	return 0;
}

static int teardown(void **state)
{
	fake_sysfs__remove(*state);
	return 0;
}

static struct pci_addr addr(const char *bdf)
{
	struct pci_addr a;

	assert_int_equal(pci_addr__parse(bdf, &a), 0);
	return a;
}

static void test_present(void **state)
{
	const char *root = *state;

	assert_false(iommu__present(root)); /* no kernel/iommu_groups */
	fake_sysfs__no_iommu(root);
	assert_false(iommu__present(root)); /* there but empty */
	fake_sysfs__group(root, 0, NULL);
	assert_true(iommu__present(root));
}

static void test_group_of(void **state)
{
	const char *root = *state;
	struct pci_addr a = addr("0000:00:03.0"), b = addr("0000:00:04.0"),
			none = addr("0000:00:1f.7");
	unsigned int id = 99;

	fake_sysfs__pci_dev(root, "0000:00:03.0", NIC, "e1000e", 3);
	fake_sysfs__pci_dev(root, "0000:00:04.0", NIC, "e1000e", -1);
	assert_int_equal(iommu__group_of(root, &a, &id), 0);
	assert_int_equal(id, 3);
	assert_int_equal(iommu__group_of(root, &b, &id), -ENOENT);
	assert_int_equal(iommu__group_of(root, &none, &id), -ENODEV);
}

/* The test host's group 6: the ICH9 LPC bridge, SATA and SMBus functions. */
static void ich9(const char *root, const char *sata, const char *smbus)
{
	fake_sysfs__pci_dev(root, "0000:00:1f.0", ISA_BRIDGE, "", 6);
	fake_sysfs__pci_dev(root, "0000:00:1f.2", SATA, sata, 6);
	fake_sysfs__pci_dev(root, "0000:00:1f.3", SMBUS, smbus, 6);
}

static void test_read_sorted(void **state)
{
	const char *root = *state;
	struct iommu_group g;

	ich9(root, "vfio-pci", "i801_smbus");
	assert_int_equal(iommu_group__read(root, 6, &g), 0);
	assert_int_equal(g.id, 6);
	assert_int_equal(g.nr_devices, 3);
	assert_string_equal(g.devices[0].name, "0000:00:1f.0");
	assert_string_equal(g.devices[1].name, "0000:00:1f.2");
	assert_string_equal(g.devices[2].name, "0000:00:1f.3");
	assert_true(g.devices[2].is_pci);
	assert_int_equal(g.devices[2].addr.slot, 0x1f);
	assert_int_equal(g.devices[2].addr.func, 3);
	assert_string_equal(g.devices[0].driver, "");
	assert_string_equal(g.devices[1].driver, "vfio-pci");
	assert_string_equal(g.devices[2].driver, "i801_smbus");
	/* An ISA bridge has a type 0 header: it is an endpoint to VFIO. */
	assert_false(g.devices[0].bridge);
	iommu_group__release(&g);
	assert_int_equal(iommu_group__read(root, 7, &g), -ENOENT);
}

static void test_not_viable_names_blocker(void **state)
{
	const char *root = *state;
	struct iommu_group g;
	char why[512];
	int n = 0;

	ich9(root, "vfio-pci", "i801_smbus");
	assert_int_equal(iommu_group__read(root, 6, &g), 0);
	assert_int_equal(iommu_group__viable(&g, &n), -EBUSY);
	assert_int_equal(n, 1);
	iommu_group__describe_blockers(&g, why, sizeof(why));
	assert_string_equal(
		why,
		"0000:00:1f.3 is bound to i801_smbus (free it with `triovm vfio bind 0000:00:1f.3`)");
	iommu_group__release(&g);
}

static void test_two_blockers(void **state)
{
	const char *root = *state;
	struct iommu_group g;
	char why[512];
	int n = 0;

	ich9(root, "ahci", "i801_smbus");
	assert_int_equal(iommu_group__read(root, 6, &g), 0);
	assert_int_equal(iommu_group__viable(&g, &n), -EBUSY);
	assert_int_equal(n, 2);
	iommu_group__describe_blockers(&g, why, sizeof(why));
	assert_non_null(strstr(why, "0000:00:1f.2 is bound to ahci"));
	assert_non_null(strstr(why, "; 0000:00:1f.3 is bound to i801_smbus"));
	/* A short buffer is cut, not overrun. */
	iommu_group__describe_blockers(&g, why, 20);
	assert_int_equal(strlen(why), 19);
	iommu_group__release(&g);
}

static void test_viable(void **state)
{
	const char *root = *state;
	struct iommu_group g;
	int n = -1;

	/* Unbound, vfio-pci, a vfio-pci variant, pci-stub. */
	ich9(root, "vfio-pci", "");
	fake_sysfs__pci_dev(root, "0000:00:1f.4", SMBUS, "pci-stub", 6);
	fake_sysfs__pci_dev(root, "0000:00:1f.5", NIC, "mlx5_vfio_pci", 6);
	assert_int_equal(iommu_group__read(root, 6, &g), 0);
	assert_int_equal(g.nr_devices, 5);
	assert_int_equal(iommu_group__viable(&g, &n), 0);
	assert_int_equal(n, 0);
	iommu_group__release(&g);
}

static void test_bridges_do_not_count(void **state)
{
	const char *root = *state;
	struct iommu_group g;

	/* A PCIe-to-PCI bridge and the conventional device behind it. */
	fake_sysfs__pci_dev(root, "0000:00:1e.0", PCI_BRIDGE, "pcieport", 9);
	fake_sysfs__pci_dev(root, "0000:01:00.0", NIC, "vfio-pci", 9);
	fake_sysfs__pci_dev(root, "0000:00:1c.0", PCI_BRIDGE, "shpchp", 9);
	assert_int_equal(iommu_group__read(root, 9, &g), 0);
	assert_true(g.devices[0].bridge);
	assert_true(g.devices[1].bridge);
	assert_false(g.devices[2].bridge);
	assert_int_equal(iommu_group__viable(&g, NULL), 0);
	iommu_group__release(&g);
}

static void test_bridge_by_class_without_config(void **state)
{
	const char *root = *state;
	char path[PATH_MAX];
	struct iommu_group g;

	fake_sysfs__pci_dev(root, "0000:00:1c.0", PCI_BRIDGE, "shpchp", 9);
	snprintf(path, sizeof(path),
		 "%s/devices/pci0000:00/0000:00:1c.0/config", root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(iommu_group__read(root, 9, &g), 0);
	assert_true(g.devices[0].bridge);
	iommu_group__release(&g);
}

static void test_non_pci_member(void **state)
{
	const char *root = *state;
	char path[PATH_MAX + 64], target[PATH_MAX], why[256];
	struct iommu_group g;

	fake_sysfs__pci_dev(root, "0000:00:03.0", NIC, "vfio-pci", 3);
	snprintf(path, sizeof(path), "%s/devices/platform", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(target, sizeof(target), "%s/devices/platform/dma0", root);
	assert_int_equal(mkdir(target, 0755), 0);
	fake_sysfs__driver(root, "dw_dmac");
	snprintf(path, sizeof(path), "%s/driver", target);
	snprintf(why, sizeof(why), "%s/bus/pci/drivers/dw_dmac", root);
	assert_int_equal(symlink(why, path), 0);
	snprintf(path, sizeof(path), "%s/kernel/iommu_groups/3/devices/dma0",
		 root);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(iommu_group__read(root, 3, &g), 0);
	assert_int_equal(g.nr_devices, 2);
	assert_false(g.devices[1].is_pci);
	assert_int_equal(iommu_group__viable(&g, NULL), -EBUSY);
	iommu_group__describe_blockers(&g, why, sizeof(why));
	assert_string_equal(
		why, "dma0 is bound to dw_dmac (unbind it from dw_dmac)");
	iommu_group__release(&g);
}

static void test_vfio_driver_names(void **state)
{
	assert_true(iommu_driver__vfio("vfio-pci"));
	assert_true(iommu_driver__vfio("mlx5_vfio_pci"));
	assert_true(iommu_driver__vfio("hisi_acc_vfio_pci"));
	assert_false(iommu_driver__vfio("vfio_pci"));
	assert_false(iommu_driver__vfio("e1000e"));
	assert_false(iommu_driver__vfio(""));
	assert_false(iommu_driver__vfio("vfio"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_present, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_of, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_sorted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_viable_names_blocker,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_blockers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_viable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridges_do_not_count,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_bridge_by_class_without_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_non_pci_member, setup,
						teardown),
		cmocka_unit_test(test_vfio_driver_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
