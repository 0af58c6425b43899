/* SPDX-License-Identifier: GPL-2.0 */
/* triovm-vswitch's own command line: what comes after the EAL's `--`. */
#ifndef TRIOVM_VSWITCH_OPTIONS_H
#define TRIOVM_VSWITCH_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fdb.h"

#define VSW_MAX_PORTS FDB_MAX_PORTS
#define VSW_MAX_BURST 256
#define VSW_NAME_LEN 32

enum vsw_port_kind { VSW_PORT_VHOST, VSW_PORT_ETH };

struct vsw_port_spec {
	enum vsw_port_kind kind;
	char name[VSW_NAME_LEN];
	/* vhost-user: the socket, and whether we listen on it */
	const char *path;
	bool server;
	/* ethdev: EAL devargs (a vdev, a PCI address or a probed port's name) */
	const char *devargs;
};

struct vsw_options {
	struct vsw_port_spec ports[VSW_MAX_PORTS];
	unsigned int nr_ports;
	unsigned int burst;
	unsigned int stats_interval; /* seconds; 0: only on SIGUSR1 and exit */
	const char *stats_file;
	unsigned int fdb_size;
	unsigned int fdb_age; /* seconds */
	unsigned int mbufs; /* 0: sized from the ports */
	unsigned int idle_sleep_us; /* 0: poll without pause, the DPDK way */
};

/*
 * Parses the arguments after `--` (argv[0] is the program's name). Returns 0,
 * 1 when --help was asked for, or -EINVAL after printing one line saying what
 * is wrong. Strings in `o` point into argv.
 */
int vsw_options__parse(struct vsw_options *o, int argc, char **argv);
void vsw_options__usage(FILE *f);

#endif
