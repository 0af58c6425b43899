// SPDX-License-Identifier: GPL-2.0
/* `--device vfio,host=DDDD:BB:DD.F`: good specs, one line per bad one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "triovm/vfio.h"
#include "../iommu/fake-sysfs.h"

static void test_good(void **state)
{
	struct vfio_device_spec s;

	assert_int_equal(vfio_device_spec__parse("vfio,host=0000:00:03.0", &s),
			 0);
	assert_int_equal(s.host.domain, 0);
	assert_int_equal(s.host.bus, 0);
	assert_int_equal(s.host.slot, 3);
	assert_int_equal(s.host.func, 0);
	assert_int_equal(vfio_device_spec__parse("vfio,host=abcd:af:1F.7", &s),
			 0);
	assert_int_equal(s.host.domain, 0xabcd);
	assert_int_equal(s.host.bus, 0xaf);
	assert_int_equal(s.host.slot, 0x1f);
	assert_int_equal(s.host.func, 7);
	/* lspci's short form means domain 0. */
	assert_int_equal(vfio_device_spec__parse("vfio,host=01:00.1", &s), 0);
	assert_int_equal(s.host.bus, 1);
	assert_int_equal(s.host.func, 1);
}

static void expect_bad(const char *spec, const char *want)
{
	struct vfio_device_spec s;
	char err[512];

	stderr_capture__begin();
	assert_int_equal(vfio_device_spec__parse(spec, &s), -EINVAL);
	stderr_capture__end(err, sizeof(err));
	assert_int_equal(count_lines(err), 1);
	if (!strstr(err, want))
		fail_msg("'%s': message '%s' lacks '%s'", spec, err, want);
}

static void test_bad(void **state)
{
	expect_bad("", "--device needs a value");
	expect_bad(NULL, "--device needs a value");
	expect_bad("vfio", "host= is required");
	expect_bad("vfio,", "host= is required");
	expect_bad("virtio,host=0000:00:03.0", "unknown kind 'virtio'");
	expect_bad("kind=vfio,host=0000:00:03.0", "unknown kind 'kind'");
	expect_bad("host=0000:00:03.0", "unknown kind 'host'");
	expect_bad("vfio,host", "is not a PCI address");
	expect_bad("vfio,host=", "is not a PCI address");
	expect_bad("vfio,host=0000:00:20.0",
		   "'0000:00:20.0' is not a PCI address");
	expect_bad("vfio,host=0000:00:03.8", "is not a PCI address");
	expect_bad("vfio,host=0000:100:03.0", "is not a PCI address");
	expect_bad("vfio,host=0000:00:03.0x", "is not a PCI address");
	expect_bad("vfio,host=00000:00:03.0", "is not a PCI address");
	expect_bad("vfio,host=0000:00:03.0,host=0000:00:04.0",
		   "host= is given twice");
	expect_bad("vfio,host=0000:00:03.0,rombar=0",
		   "unknown setting 'rombar'");
	expect_bad("vfio,,host=0000:00:03.0", "unknown setting ''");
}

static void test_list(void **state)
{
	const char *const good[] = { "vfio,host=0000:00:03.0",
				     "vfio,host=0000:00:04.0" };
	const char *const dup[] = { "vfio,host=0000:00:03.0",
				    "vfio,host=00:03.0" };
	const char *const bad[] = { "vfio,host=0000:00:03.0", "vfio,host=x" };
	struct vfio_device_spec out[2];
	char err[512];

	assert_int_equal(vfio_device_specs__parse(good, 2, out, 2), 2);
	assert_int_equal(out[1].host.slot, 4);
	assert_int_equal(vfio_device_specs__parse(good, 0, out, 2), 0);
	stderr_capture__begin();
	assert_int_equal(vfio_device_specs__parse(dup, 2, out, 2), -EINVAL);
	stderr_capture__end(err, sizeof(err));
	assert_string_equal(
		err, "triovm: error: --device: 0000:00:03.0 is given twice\n");
	assert_int_equal(vfio_device_specs__parse(bad, 2, out, 2), -EINVAL);
	assert_int_equal(vfio_device_specs__parse(good, 2, out, 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
