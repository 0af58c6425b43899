// SPDX-License-Identifier: GPL-2.0
/* triovm-vswitch's command line: ports, numbers, and what it refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

#define MAX_ARGS 32

/* Parses a NULL-terminated list; the strings are copied, as argv's are. */
static int parse(struct vsw_options *o, char *args[MAX_ARGS], const char *first,
		 ...)
{
	const char *s = first;
	va_list ap;
	int n = 0;

	args[n++] = strdup("triovm-vswitch");
	va_start(ap, first);
	while (s && n < MAX_ARGS - 1) {
		args[n++] = strdup(s);
		s = va_arg(ap, const char *);
	}
	va_end(ap);
	args[n] = NULL;
	return vsw_options__parse(o, n, args);
}

static void free_args(char *args[MAX_ARGS])
{
	int i;

	for (i = 0; args[i]; i++)
		free(args[i]);
}

static void test_defaults_and_ports(void **state)
{
	struct vsw_options o;
	char *args[MAX_ARGS];

	assert_int_equal(
		parse(&o, args, "--port", "vhost-user,path=/run/a.sock",
		      "--port=vhost-user,path=/run/b.sock,server,name=vm1",
		      "--uplink", "net_tap0,iface=tv0", NULL),
		0);
	assert_int_equal(o.nr_ports, 3);
	assert_int_equal(o.ports[0].kind, VSW_PORT_VHOST);
	assert_string_equal(o.ports[0].path, "/run/a.sock");
	assert_false(o.ports[0].server);
	assert_string_equal(o.ports[0].name, "vhost0");
	assert_string_equal(o.ports[1].path, "/run/b.sock");
	assert_true(o.ports[1].server);
	assert_string_equal(o.ports[1].name, "vm1");
	/* Devargs keep their commas. */
	assert_int_equal(o.ports[2].kind, VSW_PORT_ETH);
	assert_string_equal(o.ports[2].devargs, "net_tap0,iface=tv0");
	assert_string_equal(o.ports[2].name, "uplink0");
	assert_int_equal(o.burst, 32);
	assert_int_equal(o.stats_interval, 0);
	assert_null(o.stats_file);
	assert_int_equal(o.fdb_size, 4096);
	assert_int_equal(o.fdb_age, 300);
	assert_int_equal(o.mbufs, 0);
	assert_int_equal(o.idle_sleep_us, 0);
	free_args(args);
}

static void test_numbers(void **state)
{
	struct vsw_options o;
	char *args[MAX_ARGS];

	assert_int_equal(parse(&o, args, "--port", "vhost-user,path=a",
			       "--burst", "64", "--stats-interval=5",
			       "--stats-file", "s.json", "--fdb-size", "100",
			       "--fdb-age", "10", "--mbufs", "4096",
			       "--idle-sleep", "50", NULL),
			 0);
	assert_int_equal(o.burst, 64);
	assert_int_equal(o.stats_interval, 5);
	assert_string_equal(o.stats_file, "s.json");
	assert_int_equal(o.fdb_size, 100);
	assert_int_equal(o.fdb_age, 10);
	assert_int_equal(o.mbufs, 4096);
	assert_int_equal(o.idle_sleep_us, 50);
	free_args(args);
}

static void test_refused(void **state)
{
	static const char *const bad[][4] = {
		{ "--burst", "0" },
		{ "--burst", "257" },
		{ "--burst", "-1" },
		{ "--burst", "12x" },
		{ "--burst", "" },
		{ "--mbufs", "10" },
		{ "--bogus", "1" },
		{ "--no-huge" },
		{ "-l", "0-1" },
		{ "--burst" },
		{ "--port", "vhost-user" },
		{ "--port", "vhost-user,path=" },
		{ "--port", "virtio,path=a" },
		{ "--port", "vhost-user,path=a,colour=red" },
		{ "--port", "vhost-user,path=a,name=" },
		{ "--port", "vhost-user,path=a", "--port",
		  "vhost-user,path=a" },
		{ "--port", "vhost-user,path=a,name=x", "--port",
		  "vhost-user,path=b,name=x" },
		{ "--port",
		  "vhost-user,path=/a/socket/path/that/is/much/too/long/for/"
		  "sockaddr_un/which/holds/one/hundred/and/eight/bytes/xxxxxxxx"
		  "/yyyyyyyyyyyyyyyyyyyy.sock" },
		{ "--uplink", "" },
		{ "--stats-file", "" },
		{ "--stats-interval", "5" }, /* no ports */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vsw_options o;
		char *args[MAX_ARGS];
		bool has_port = bad[i][0] && (!strcmp(bad[i][0], "--port") ||
					      !strcmp(bad[i][0], "--uplink"));
		int err;

		/* Give the others a valid port so that only `bad` is wrong. */
		if (has_port)
			err = parse(&o, args, bad[i][0], bad[i][1], bad[i][2],
				    bad[i][3], NULL);
		else if (!strcmp(bad[i][0], "--stats-interval"))
			err = parse(&o, args, bad[i][0], bad[i][1], NULL);
		else
			err = parse(&o, args, "--port", "vhost-user,path=z",
				    bad[i][0], bad[i][1], NULL);
		if (err != -EINVAL)
			fail_msg("case %zu (%s %s) gave %d", i, bad[i][0],
				 bad[i][1] ? bad[i][1] : "", err);
		free_args(args);
	}
}

static void test_help(void **state)
{
	struct vsw_options o;
	char *args[MAX_ARGS];
	int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
	int err;

	/* The usage goes to stdout, which carries this test's TAP. */
	fflush(stdout);
	dup2(null, STDOUT_FILENO);
	err = parse(&o, args, "--port", "vhost-user,path=a", "--help", NULL);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(null);
	assert_int_equal(err, 1);
	free_args(args);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_ports),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_help),
	};

	/* Refusals print a line each on stderr; that is what they are for. */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
