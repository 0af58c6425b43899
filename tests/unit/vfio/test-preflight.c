// SPDX-License-Identifier: GPL-2.0
/*
 * The checks before a VM takes host devices, on a sysfs tree and a
 * /dev/vfio made by the test: one line each, naming what to do, and no file
 * descriptor left open whatever the outcome. (A group busy in another
 * process needs the real kernel: tests/e2e/vfio/setup.sh.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "triovm/vfio.h"
#include "../iommu/fake-sysfs.h"

struct env {
	char *sysfs;
	char dev[PATH_MAX];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	e->sysfs = fake_sysfs__new();
	snprintf(e->dev, sizeof(e->dev), "%s/dev-vfio", e->sysfs);
	assert_int_equal(mkdir(e->dev, 0755), 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	fake_sysfs__remove(e->sysfs);
	free(e);
	return 0;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void touch(const char *dir, const char *name)
{
	char path[PATH_MAX + 64];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
}

/* Check `bdfs`: expect `ret` and exactly one line holding `want`. */
static void expect(struct env *e, int ret, const char *want, int n, ...)
{
	struct pci_addr addrs[4];
	char err[1024];
	va_list ap;
	int i, fds = open_fds();

	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_int_equal(pci_addr__parse(va_arg(ap, const char *),
						 &addrs[i]),
				 0);
	va_end(ap);
	stderr_capture__begin();
	assert_int_equal(vfio__preflight(e->sysfs, e->dev, addrs, n), ret);
	stderr_capture__end(err, sizeof(err));
	if (want) {
		assert_int_equal(count_lines(err), 1);
		if (!strstr(err, want))
			fail_msg("message '%s' lacks '%s'", err, want);
	} else {
		assert_string_equal(err, "");
	}
	assert_int_equal(open_fds(), fds);
}

static void test_no_such_device(void **state)
{
	struct env *e = *state;

	fake_sysfs__pci_dev(e->sysfs, "0000:00:03.0", 0x020000, "vfio-pci", 3);
	expect(e, -ENODEV,
	       "error: 0000:00:1f.7: no such PCI device (lspci -D lists the host's)",
	       1, "0000:00:1f.7");
	/* The first bad one of several is named. */
	expect(e, -ENODEV, "0000:00:1f.7: no such PCI device", 2,
	       "0000:00:03.0", "0000:00:1f.7");
}

static void test_no_iommu(void **state)
{
	struct env *e = *state;

	fake_sysfs__pci_dev(e->sysfs, "0000:00:03.0", 0x020000, "e1000e", -1);
	expect(e, -ENODEV, "0000:00:03.0: the host has no IOMMU", 1,
	       "0000:00:03.0");
	fake_sysfs__no_iommu(e->sysfs);
	expect(e, -ENODEV, "/kernel/iommu_groups is empty", 1, "0000:00:03.0");
}

static void test_not_vfio_pci(void **state)
{
	struct env *e = *state;

	fake_sysfs__pci_dev(e->sysfs, "0000:00:03.0", 0x020000, "e1000e", 3);
	fake_sysfs__pci_dev(e->sysfs, "0000:00:05.0", 0x00ff00, "", 5);
	expect(e, -EINVAL,
	       "error: 0000:00:03.0 is bound to e1000e, not vfio-pci: run `triovm vfio bind 0000:00:03.0` first\n",
	       1, "0000:00:03.0");
	expect(e, -EINVAL,
	       "0000:00:05.0 is bound to no driver, not vfio-pci: run `triovm vfio bind 0000:00:05.0` first",
	       1, "0000:00:05.0");
}

static void test_no_group(void **state)
{
	struct env *e = *state;

	fake_sysfs__pci_dev(e->sysfs, "0000:00:03.0", 0x020000, "vfio-pci", 3);
	fake_sysfs__pci_dev(e->sysfs, "0000:00:04.0", 0x020000, "vfio-pci", -1);
	expect(e, -ENODEV, "0000:00:04.0: it has no IOMMU group", 1,
	       "0000:00:04.0");
}

static void test_not_viable(void **state)
{
	struct env *e = *state;

	fake_sysfs__pci_dev(e->sysfs, "0000:00:1f.0", 0x060100, "", 6);
	fake_sysfs__pci_dev(e->sysfs, "0000:00:1f.2", 0x010601, "vfio-pci", 6);
	fake_sysfs__pci_dev(e->sysfs, "0000:00:1f.3", 0x0c0500, "i801_smbus",
			    6);
	touch(e->dev, "vfio");
	touch(e->dev, "6");
	expect(e, -EBUSY,
	       "error: 0000:00:1f.2: IOMMU group 6 is not viable: 0000:00:1f.3 is bound to i801_smbus (free it with `triovm vfio bind 0000:00:1f.3`)\n",
	       1, "0000:00:1f.2");
}

static void test_group_node_missing(void **state)
{
	struct env *e = *state;

	fake_sysfs__pci_dev(e->sysfs, "0000:00:03.0", 0x020000, "vfio-pci", 3);
	expect(e, -ENOENT,
	       "does not exist: VFIO is not loaded (modprobe vfio-pci)", 1,
	       "0000:00:03.0");
	touch(e->dev, "vfio");
	expect(e, -ENOENT,
	       "/dev-vfio/3 does not exist (is the device bound to vfio-pci?)",
	       1, "0000:00:03.0");
}

/* Past sysfs: a node that is not a VFIO group fails the kernel's check. */
static void test_group_fd_closed_after_failure(void **state)
{
	struct env *e = *state;

	fake_sysfs__pci_dev(e->sysfs, "0000:00:03.0", 0x020000, "vfio-pci", 3);
	fake_sysfs__pci_dev(e->sysfs, "0000:00:04.0", 0x020000, "vfio-pci", 4);
	touch(e->dev, "vfio");
	touch(e->dev, "3");
	expect(e, -ENOTTY, "VFIO_GROUP_GET_STATUS on IOMMU group 3", 2,
	       "0000:00:03.0", "0000:00:04.0");
}

static void test_given_twice(void **state)
{
	struct env *e = *state;

	fake_sysfs__pci_dev(e->sysfs, "0000:00:03.0", 0x020000, "vfio-pci", 3);
	expect(e, -EINVAL, "0000:00:03.0: the device is given twice", 2,
	       "0000:00:03.0", "00:03.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_such_device, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_iommu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_vfio_pci, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_viable, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_group_node_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_group_fd_closed_after_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_given_twice, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
