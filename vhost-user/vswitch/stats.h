/* SPDX-License-Identifier: GPL-2.0 */
/* Per-port counters and their reports: a table on stdout and a JSON file. */
#ifndef TRIOVM_VSWITCH_STATS_H
#define TRIOVM_VSWITCH_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Written by the data core only, read by the main one: each field is stored
 * and loaded whole (see vsw_counter_add), so a report never sees a torn value.
 */
struct vsw_counters {
	uint64_t rx_packets, rx_bytes;
	/* received, but with nowhere to go: a runt, or no other port is up */
	uint64_t rx_dropped;
	uint64_t tx_packets, tx_bytes;
	/* meant for this port, not taken: its ring was full or it went down */
	uint64_t tx_dropped;
};

static inline void vsw_counter_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

static inline uint64_t vsw_counter_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* One port, as a report sees it. */
struct vsw_port_report {
	const char *name;
	const char *kind; /* "vhost-user" or "ethdev" */
	const char *where; /* the socket or the devargs */
	const char *mode; /* "client", "server" or NULL */
	bool up;
	uint64_t connections; /* times it came up */
	struct vsw_counters c;
};

struct vsw_report {
	double uptime_s;
	unsigned int fdb_entries;
	unsigned int nr_ports;
	const struct vsw_port_report *ports;
};

void vsw_stats__print(FILE *f, const struct vsw_report *r);
void vsw_stats__json(FILE *f, const struct vsw_report *r);
/* Writes PATH.tmp and renames it over PATH: readers see whole files. */
int vsw_stats__write_file(const char *path, const struct vsw_report *r);

#endif
