// SPDX-License-Identifier: GPL-2.0
/*
 * SR-IOV discovery on a sysfs tree made by the test: libpci scans it (its
 * sysfs.path points here) and reads the captured config space; triovm reads
 * the kernel's attributes and links.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov-internal.h"
#include "triovm/sriov.h"

static char root[256];

static void put(const char *rel, const void *data, size_t len)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = path + strlen(root) + 1; (slash = strchr(slash, '/'));
	     slash++) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void puts_(const char *rel, const char *s)
{
	put(rel, s, strlen(s));
}

static void ln(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

#define DEV "bus/pci/devices/"

static int build_tree(void **state)
{
	char data[4096], path[4096];
	FILE *f;

	snprintf(root, sizeof(root), "/tmp/triovm-sriov-test.XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/nvme-sriov-pf-config.bin",
		 getenv("TRIOVM_TEST_DATA"));
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(data, 1, sizeof(data), f), sizeof(data));
	fclose(f);
	/* The PF, 2 VFs enabled, the first bound to vfio-pci. */
	put(DEV "0000:00:03.0/config", data, sizeof(data));
	puts_(DEV "0000:00:03.0/vendor", "0x1b36\n");
	puts_(DEV "0000:00:03.0/device", "0x0010\n");
	puts_(DEV "0000:00:03.0/class", "0x010802\n");
	puts_(DEV "0000:00:03.0/sriov_totalvfs", "2\n");
	puts_(DEV "0000:00:03.0/sriov_numvfs", "2\n");
	puts_(DEV "0000:00:03.0/sriov_drivers_autoprobe", "0\n");
	puts_(DEV "0000:00:03.0/net/eth7/ifindex", "9\n");
	puts_("bus/pci/drivers/nvme/new_id", "");
	puts_("bus/pci/drivers/vfio-pci/new_id", "");
	puts_("kernel/iommu_groups/5/type", "DMA\n");
	ln("../../../bus/pci/drivers/nvme", DEV "0000:00:03.0/driver");
	/* What libpci's sysfs access reads of every device it scans. */
	memset(data + 4096 - 256, 0, 256);
	for (int fn = 1; fn <= 2; fn++) {
		char rel[64];

		snprintf(rel, sizeof(rel), DEV "0000:00:03.%d/config", fn);
		put(rel, data + 4096 - 256, 256);
		snprintf(rel, sizeof(rel), DEV "0000:00:03.%d/vendor", fn);
		puts_(rel, "0x1b36\n");
		snprintf(rel, sizeof(rel), DEV "0000:00:03.%d/device", fn);
		puts_(rel, "0x0010\n");
	}
	ln("../0000:00:03.1", DEV "0000:00:03.0/virtfn0");
	ln("../0000:00:03.2", DEV "0000:00:03.0/virtfn1");
	ln("../0000:00:03.0", DEV "0000:00:03.1/physfn");
	ln("../0000:00:03.0", DEV "0000:00:03.2/physfn");
	ln("../../../bus/pci/drivers/vfio-pci", DEV "0000:00:03.1/driver");
	ln("../../../kernel/iommu_groups/5", DEV "0000:00:03.1/iommu_group");
	/* A device that is not SR-IOV capable: its config has no extended list. */
	memset(data, 0, 256);
	data[0] = 0x86;
	data[1] = 0x80;
	put(DEV "0000:00:1f.0/config", data, 256);
	puts_(DEV "0000:00:1f.0/vendor", "0x8086\n");
	puts_(DEV "0000:00:1f.0/device", "0x2918\n");
	return 0;
}

static int remove_tree(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd);
}

static void test_fill(void **state)
{
	struct sriov_pf pf;

	memset(&pf, 0, sizeof(pf));
	pci_addr__parse("0000:00:03.0", &pf.addr);
	assert_int_equal(sriov_sysfs__fill(root, &pf), 0);
	assert_int_equal(pf.sysfs_total, 2);
	assert_int_equal(pf.sysfs_num, 2);
	assert_false(pf.autoprobe);
	assert_string_equal(pf.driver, "nvme");
	assert_int_equal(pf.nr_netdevs, 1);
	assert_string_equal(pf.netdevs[0], "eth7");
	assert_int_equal(pf.nr_vfs, 2);
	assert_int_equal(pf.vfs[0].index, 0);
	assert_int_equal(pf.vfs[0].addr.func, 1);
	assert_string_equal(pf.vfs[0].driver, "vfio-pci");
	assert_int_equal(pf.vfs[0].iommu_group, 5);
	assert_string_equal(pf.vfs[1].driver, "");
	assert_int_equal(pf.vfs[1].iommu_group, -1);
	free(pf.vfs);
}

static void test_discover_with_libpci(void **state)
{
	struct sriov_pf *pfs;
	int nr;

	assert_int_equal(sriov__discover(root, &pfs, &nr), 0);
	assert_int_equal(nr, 1);
	assert_int_equal(pfs[0].addr.slot, 3);
	assert_int_equal(pfs[0].vendor, 0x1b36);
	assert_int_equal(pfs[0].cap.total_vfs, 2);
	assert_int_equal(pfs[0].cap.vf_device, 0x10);
	assert_int_equal(pfs[0].nr_vfs, 2);
	sriov__free_pfs(pfs, nr);
}

static void test_vf_pf_and_in_use(void **state)
{
	struct pci_addr vf, pf, other;
	struct sriov_pf p;
	unsigned int idx;
	char why[128];

	pci_addr__parse("0000:00:03.2", &vf);
	assert_int_equal(sriov__vf_pf(root, &vf, &pf, &idx), 0);
	assert_int_equal(idx, 1);
	assert_int_equal(pf.func, 0);
	/* The PF itself and a plain device are not VFs; a missing one is absent. */
	assert_int_equal(sriov__vf_pf(root, &pf, &other, &idx), -ENODEV);
	pci_addr__parse("0000:00:1f.0", &other);
	assert_int_equal(sriov__vf_pf(root, &other, &pf, &idx), -ENODEV);
	pci_addr__parse("0000:05:00.0", &other);
	assert_int_equal(sriov__vf_pf(root, &other, &pf, &idx), -ENOENT);

	memset(&p, 0, sizeof(p));
	pci_addr__parse("0000:00:03.0", &p.addr);
	assert_int_equal(sriov_sysfs__fill(root, &p), 0);
	assert_true(sriov__vf_in_use(root, &p.vfs[0], why, sizeof(why)));
	assert_non_null(strstr(why, "vfio-pci"));
	assert_false(sriov__vf_in_use(root, &p.vfs[1], why, sizeof(why)));
	free(p.vfs);
}

static void test_get_pf_errors(void **state)
{
	struct sriov_pf p;
	struct pci_addr a;

	memset(&p, 0, sizeof(p));
	pci_addr__parse("0000:00:1f.0", &a);
	assert_int_equal(sriov__get_pf(root, &a, &p), -EOPNOTSUPP);
	pci_addr__parse("0000:09:00.0", &a);
	assert_int_equal(sriov__get_pf(root, &a, &p), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_discover_with_libpci),
		cmocka_unit_test(test_vf_pf_and_in_use),
		cmocka_unit_test(test_get_pf_errors),
	};

	return cmocka_run_group_tests(tests, build_tree, remove_tree);
}
