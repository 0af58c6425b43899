// SPDX-License-Identifier: GPL-2.0
/* `triovm run`'s argument parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "triovm/options.h"
#include "triovm/util.h"

#define PARSE(o, ...)                                             \
	({                                                        \
		char *argv[] = { "run", __VA_ARGS__, NULL };      \
		vm_options__parse(o, ARRAY_SIZE(argv) - 1, argv); \
	})

static void test_defaults(void **state)
{
	struct vm_options o;

	assert_int_equal(PARSE(&o, "--kernel", "bz"), 0);
	assert_string_equal(o.kernel, "bz");
	assert_null(o.initrd);
	assert_int_equal(o.ram_size, 512 * SZ_1M);
	assert_int_equal(o.nr_cpus, 1);
	assert_false(o.hugepages);
	assert_int_equal(o.console, CONSOLE_SERIAL);
	assert_string_equal(o.cmdline, "console=ttyS0");
}

static void test_everything(void **state)
{
	struct vm_options o;

	assert_int_equal(PARSE(&o, "-k", "bz", "--initrd", "rd", "--cmdline",
			       "quiet", "--memory", "2G,hugepages=on", "--cpus",
			       "4", "--console", "none", "--stats", "s.json",
			       "--net", "e1000,tap=t0", "--net",
			       "vhost-user,socket=/s", "--device",
			       "vfio,host=0000:00:03.0"),
			 0);
	assert_string_equal(o.initrd, "rd");
	assert_string_equal(o.cmdline, "quiet");
	assert_int_equal(o.ram_size, 2 * SZ_1G);
	assert_true(o.hugepages);
	assert_int_equal(o.nr_cpus, 4);
	assert_int_equal(o.console, CONSOLE_NONE);
	assert_string_equal(o.stats_path, "s.json");
	assert_int_equal(o.nr_nets, 2);
	assert_string_equal(o.nets[1], "vhost-user,socket=/s");
	assert_int_equal(o.nr_devices, 1);
}

static void test_bad_input(void **state)
{
	struct vm_options o;

	assert_int_equal(PARSE(&o, "--cpus", "1"), -EINVAL); /* no kernel */
	assert_int_equal(PARSE(&o, "-k", "bz", "--cpus", "0"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--cpus", "-1"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--cpus", "2x"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--cpus",
			       "99999999999999999999"),
			 -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--memory", "12Q"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--memory", "M"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--memory", ""), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--memory", "16M"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--memory", "100000T"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--memory", "1000K"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--memory", "65M,hugepages=on"),
			 -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--memory", "1G,hugepages=yes"),
			 -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--memory", "1G,color=red"),
			 -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--console", "vga"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "--frobnicate"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k", "bz", "stray"), -EINVAL);
	assert_int_equal(PARSE(&o, "-k"), -EINVAL);
}

static void test_help(void **state)
{
	struct vm_options o;
	int saved = dup(STDOUT_FILENO), devnull = open("/dev/null", O_WRONLY);
	int ret;

	/* Keep the usage text out of the TAP stream. */
	fflush(stdout);
	dup2(devnull, STDOUT_FILENO);
	ret = PARSE(&o, "--help");
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(devnull);
	assert_int_equal(ret, 1);
}

static void test_sizes(void **state)
{
	uint64_t v;

	assert_int_equal(parse_size("512M", &v), 0);
	assert_int_equal(v, 512 * SZ_1M);
	assert_int_equal(parse_size("2g", &v), 0);
	assert_int_equal(v, 2 * SZ_1G);
	assert_int_equal(parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("64KiB", &v), 0);
	assert_int_equal(v, 64 * SZ_1K);
	assert_int_equal(parse_size("1T", &v), 0);
	assert_int_equal(v, 1024 * SZ_1G);
	assert_int_equal(parse_size("-1M", &v), -EINVAL);
	assert_int_equal(parse_size("1MX", &v), -EINVAL);
	assert_int_equal(parse_size("18446744073709551615K", &v), -EINVAL);
	assert_int_equal(parse_size(" 1M", &v), -EINVAL);
}

static void test_kv(void **state)
{
	char buf[] = "e1000,tap=t0,mac=52:54:00:00:00:01,client";
	char *cur = buf, *k, *v;

	assert_non_null(kv_next(&cur, &k, &v));
	assert_string_equal(k, "e1000");
	assert_null(v);
	assert_non_null(kv_next(&cur, &k, &v));
	assert_string_equal(k, "tap");
	assert_string_equal(v, "t0");
	assert_non_null(kv_next(&cur, &k, &v));
	assert_string_equal(k, "mac");
	assert_string_equal(v, "52:54:00:00:00:01");
	assert_non_null(kv_next(&cur, &k, &v));
	assert_string_equal(k, "client");
	assert_null(v);
	assert_null(kv_next(&cur, &k, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_everything),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_kv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
