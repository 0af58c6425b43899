// SPDX-License-Identifier: GPL-2.0
/* The counters' reports: the JSON a script reads, and its atomic file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stats.h"

static const struct vsw_port_report ports[] = {
	{
		.name = "a",
		.kind = "vhost-user",
		.where = "/run/a.sock",
		.mode = "server",
		.up = true,
		.connections = 2,
		.c = { 1, 64, 2, 3, 192, 4 },
	},
	{
		.name = "uplink0",
		.kind = "ethdev",
		.where = "net_tap0,iface=\"t\"",
		.mode = NULL,
		.up = false,
	},
};

static const struct vsw_report report = {
	.uptime_s = 1.5,
	.fdb_entries = 7,
	.nr_ports = 2,
	.ports = ports,
};

static char *squeeze(char *s)
{
	char *r = s, *w = s;

	for (; *r; r++)
		if (*r != ' ' && *r != '\n')
			*w++ = *r;
	*w = '\0';
	return s;
}

static void test_json(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	vsw_stats__json(f, &report);
	fclose(f);
	assert_string_equal(
		squeeze(buf),
		"{\"uptime_s\":1.5,\"fdb_entries\":7,\"ports\":["
		"{\"id\":0,\"name\":\"a\",\"kind\":\"vhost-user\",\"where\":\"/run/a.sock\","
		"\"mode\":\"server\",\"up\":true,\"connections\":2,"
		"\"rx_packets\":1,\"rx_bytes\":64,\"rx_dropped\":2,"
		"\"tx_packets\":3,\"tx_bytes\":192,\"tx_dropped\":4},"
		"{\"id\":1,\"name\":\"uplink0\",\"kind\":\"ethdev\",\"where\":\"net_tap0,iface=\\\"t\\\"\","
		"\"mode\":null,\"up\":false,\"connections\":0,"
		"\"rx_packets\":0,\"rx_bytes\":0,\"rx_dropped\":0,"
		"\"tx_packets\":0,\"tx_bytes\":0,\"tx_dropped\":0}]}");
	free(buf);
}

static void test_table(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	vsw_stats__print(f, &report);
	fclose(f);
	assert_non_null(strstr(buf, "7 MACs learned"));
	assert_non_null(strstr(buf, "\n  a            up  "));
	assert_non_null(strstr(buf, "\n  uplink0      down"));
	free(buf);
}

static void test_file_replaced_whole(void **state)
{
	char dir[] = "/tmp/vswitch-stats.XXXXXX";
	char path[64], tmp[80], *text;
	struct stat st;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(vsw_stats__write_file(path, &report), 0);
	assert_int_equal(vsw_stats__write_file(path, &report), 0);
	assert_int_equal(stat(tmp, &st), -1);
	assert_int_equal(stat(path, &st), 0);
	text = calloc(1, st.st_size + 1);
	f = fopen(path, "r");
	assert_int_equal(fread(text, 1, st.st_size, f), st.st_size);
	fclose(f);
	assert_int_equal(text[st.st_size - 1], '\n');
	assert_non_null(strstr(text, "\"fdb_entries\": 7"));
	free(text);
	unlink(path);
	/* A folder that is not there: an error, not a crash. */
	snprintf(path, sizeof(path), "%s/no/s.json", dir);
	assert_true(vsw_stats__write_file(path, &report) < 0);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_file_replaced_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
