// SPDX-License-Identifier: GPL-2.0
/* The counters as a table for people and as JSON for scripts. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/json.h"

#include "log.h"
#include "stats.h"

void vsw_stats__print(FILE *f, const struct vsw_report *r)
{
	unsigned int i;

	fprintf(f, "triovm-vswitch: %.1f s, %u MACs learned\n", r->uptime_s,
		r->fdb_entries);
	fprintf(f, "  %-12s %-4s %12s %14s %10s %12s %14s %10s\n", "port",
		"link", "rx-packets", "rx-bytes", "rx-drops", "tx-packets",
		"tx-bytes", "tx-drops");
	for (i = 0; i < r->nr_ports; i++) {
		const struct vsw_port_report *p = &r->ports[i];

		fprintf(f,
			"  %-12s %-4s %12" PRIu64 " %14" PRIu64 " %10" PRIu64
			" %12" PRIu64 " %14" PRIu64 " %10" PRIu64 "\n",
			p->name, p->up ? "up" : "down", p->c.rx_packets,
			p->c.rx_bytes, p->c.rx_dropped, p->c.tx_packets,
			p->c.tx_bytes, p->c.tx_dropped);
	}
	fflush(f);
}

void vsw_stats__json(FILE *f, const struct vsw_report *r)
{
	struct json j;
	unsigned int i;

	json_init(&j, f, true);
	json_object_begin(&j, NULL);
	json_double(&j, "uptime_s", r->uptime_s);
	json_u64(&j, "fdb_entries", r->fdb_entries);
	json_array_begin(&j, "ports");
	for (i = 0; i < r->nr_ports; i++) {
		const struct vsw_port_report *p = &r->ports[i];

		json_object_begin(&j, NULL);
		json_u64(&j, "id", i);
		json_string(&j, "name", p->name);
		json_string(&j, "kind", p->kind);
		json_string(&j, "where", p->where);
		if (p->mode)
			json_string(&j, "mode", p->mode);
		else
			json_null(&j, "mode");
		json_bool(&j, "up", p->up);
		json_u64(&j, "connections", p->connections);
		json_u64(&j, "rx_packets", p->c.rx_packets);
		json_u64(&j, "rx_bytes", p->c.rx_bytes);
		json_u64(&j, "rx_dropped", p->c.rx_dropped);
		json_u64(&j, "tx_packets", p->c.tx_packets);
		json_u64(&j, "tx_bytes", p->c.tx_bytes);
		json_u64(&j, "tx_dropped", p->c.tx_dropped);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

int vsw_stats__write_file(const char *path, const struct vsw_report *r)
{
	size_t len = strlen(path) + sizeof(".tmp");
	char *tmp = malloc(len);
	FILE *f;
	int err;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, len, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		err = -errno;
		vsw_err("cannot write %s: %s", tmp, strerror(errno));
		free(tmp);
		return err;
	}
	vsw_stats__json(f, r);
	err = ferror(f) ? -EIO : 0;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		vsw_err("cannot write %s: %s", path, strerror(-err));
		remove(tmp);
	}
	free(tmp);
	return err;
}
