// SPDX-License-Identifier: GPL-2.0
/* triovm-vswitch's command line, checked before the EAL starts. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "log.h"
#include "options.h"

#define DEFAULT_BURST 32
#define DEFAULT_FDB_SIZE 4096
#define DEFAULT_FDB_AGE 300

void vsw_options__usage(FILE *f)
{
	fputs("usage: triovm-vswitch [EAL options] -- [options]\n"
	      "\n"
	      "An L2 learning switch between vhost-user ports and, optionally, DPDK\n"
	      "ethdevs. EAL options go before `--` (e.g. -l 0-1 --no-huge -m 512\n"
	      "--file-prefix NAME); two lcores are needed: the main one, which prints\n"
	      "statistics, and a data lcore that moves the packets.\n"
	      "\n"
	      "options:\n"
	      "  --port vhost-user,path=PATH[,server][,name=NAME]\n"
	      "                        a vhost-user port (repeatable). By default a client\n"
	      "                        of a frontend (triovm) listening on PATH, retrying\n"
	      "                        every second until it is there and after it goes\n"
	      "                        away; `server` listens on PATH instead\n"
	      "  --uplink DEVARGS      a DPDK ethdev as one more port (repeatable): a vdev\n"
	      "                        (net_tap0,iface=tap0; net_pcap0,...; net_af_packet0,\n"
	      "                        iface=eth0), a PCI address (0000:03:00.0) or a port\n"
	      "                        the EAL already probed (its name)\n"
	      "  --burst N             packets per receive burst (1-256, default 32)\n"
	      "  --stats-interval S    print the counters every S seconds (default 0:\n"
	      "                        only on SIGUSR1 and at exit)\n"
	      "  --stats-file PATH     also write them there as JSON, replaced atomically\n"
	      "  --fdb-size N          MAC table entries (default 4096)\n"
	      "  --fdb-age S           forget a MAC not seen for S seconds (default 300)\n"
	      "  --mbufs N             packet buffers in the pool (default: from the ports)\n"
	      "  --idle-sleep US       sleep US microseconds after 1000 empty polls\n"
	      "                        (default 0: busy-poll)\n"
	      "  -h, --help            this text\n"
	      "\n"
	      "Ports are numbered in the order given, vhost-user ports and uplinks alike.\n"
	      "Frames to unknown, broadcast and multicast addresses flood to every port\n"
	      "that is up but the one they came from. Signals: SIGUSR1 prints the\n"
	      "counters, SIGINT/SIGTERM stop the switch (exit 0).\n"
	      "\n"
	      "exit status: 0 stopped by a signal; 2 bad command line or environment\n"
	      "(EAL options, memory, sockets, devices): nothing was switched.\n"
	      "\n"
	      "example:\n"
	      "  triovm-vswitch -l 0-1 --no-huge -m 512 -- \\\n"
	      "      --port vhost-user,path=/run/vm0.sock --port vhost-user,path=/run/vm1.sock \\\n"
	      "      --uplink net_tap0,iface=tv0 --stats-interval 10 --stats-file stats.json\n",
	      f);
}

static int parse_uint(const char *opt, const char *s, unsigned long min,
		      unsigned long max, unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || *s == '-' || v < min || v > max) {
		vsw_err("%s wants a whole number in [%lu, %lu], not '%s'", opt,
			min, max, s);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int set_name(struct vsw_port_spec *p, const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= VSW_NAME_LEN) {
		vsw_err("a port name has 1 to %d characters, not '%s'",
			VSW_NAME_LEN - 1, name);
		return -EINVAL;
	}
	memcpy(p->name, name, len + 1);
	return 0;
}

/* "vhost-user,path=PATH[,server][,client][,name=NAME]", split in place. */
static int parse_vhost_port(struct vsw_port_spec *p, char *spec,
			    unsigned int nth)
{
	char *item, *cursor = spec;
	bool first = true;

	p->kind = VSW_PORT_VHOST;
	snprintf(p->name, sizeof(p->name), "vhost%u", nth);
	while ((item = strsep(&cursor, ","))) {
		char *value = strchr(item, '=');

		if (value)
			*value++ = '\0';
		if (first) {
			if (strcmp(item, "vhost-user") || value) {
				vsw_err("--port: only vhost-user ports, not '%s' (ethdevs are --uplink)",
					item);
				return -EINVAL;
			}
			first = false;
		} else if (!strcmp(item, "path") && value && *value) {
			p->path = value;
		} else if (!strcmp(item, "server") && !value) {
			p->server = true;
		} else if (!strcmp(item, "client") && !value) {
			p->server = false;
		} else if (!strcmp(item, "name") && value) {
			if (set_name(p, value))
				return -EINVAL;
		} else {
			vsw_err("--port: unknown or incomplete key '%s'", item);
			return -EINVAL;
		}
	}
	if (!p->path) {
		vsw_err("--port vhost-user needs path=SOCKET");
		return -EINVAL;
	}
	if (strlen(p->path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		vsw_err("--port: a socket path has at most %zu bytes: %s",
			sizeof(((struct sockaddr_un *)0)->sun_path) - 1,
			p->path);
		return -EINVAL;
	}
	return 0;
}

static int check_unique(const struct vsw_options *o)
{
	unsigned int i, j;

	for (i = 0; i < o->nr_ports; i++) {
		for (j = 0; j < i; j++) {
			const struct vsw_port_spec *a = &o->ports[i];
			const struct vsw_port_spec *b = &o->ports[j];

			if (!strcmp(a->name, b->name)) {
				vsw_err("two ports are named '%s'", a->name);
				return -EINVAL;
			}
			if (a->path && b->path && !strcmp(a->path, b->path)) {
				vsw_err("two ports use the socket %s", a->path);
				return -EINVAL;
			}
			if (a->devargs && b->devargs &&
			    !strcmp(a->devargs, b->devargs)) {
				vsw_err("--uplink %s is given twice",
					a->devargs);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static bool known(const char *opt)
{
	static const char *const names[] = {
		"--port",	    "--uplink",	    "--burst",
		"--stats-interval", "--stats-file", "--fdb-size",
		"--fdb-age",	    "--mbufs",	    "--idle-sleep",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(opt, names[i]))
			return true;
	return false;
}

int vsw_options__parse(struct vsw_options *o, int argc, char **argv)
{
	unsigned int nr_vhost = 0, nr_eth = 0;
	int i;

	memset(o, 0, sizeof(*o));
	o->burst = DEFAULT_BURST;
	o->fdb_size = DEFAULT_FDB_SIZE;
	o->fdb_age = DEFAULT_FDB_AGE;

	for (i = 1; i < argc; i++) {
		char *opt = argv[i], *val = NULL, *eq;
		struct vsw_port_spec *p;
		int err = 0;

		if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			vsw_options__usage(stdout);
			return 1;
		}
		if (strncmp(opt, "--", 2)) {
			vsw_err("unexpected argument '%s' (see --help)", opt);
			return -EINVAL;
		}
		eq = strchr(opt, '=');
		if (eq)
			*eq = '\0';
		if (!known(opt)) {
			vsw_err("unknown option '%s' (EAL options go before `--`; see --help)",
				opt);
			return -EINVAL;
		}
		if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			vsw_err("%s needs a value (see --help)", opt);
			return -EINVAL;
		}

		if (!strcmp(opt, "--port") || !strcmp(opt, "--uplink")) {
			if (o->nr_ports == VSW_MAX_PORTS) {
				vsw_err("at most %d ports", VSW_MAX_PORTS);
				return -EINVAL;
			}
			p = &o->ports[o->nr_ports];
			if (opt[2] == 'p') {
				err = parse_vhost_port(p, val, nr_vhost++);
			} else if (!*val) {
				vsw_err("--uplink needs DEVARGS");
				err = -EINVAL;
			} else {
				p->kind = VSW_PORT_ETH;
				p->devargs = val;
				snprintf(p->name, sizeof(p->name), "uplink%u",
					 nr_eth++);
			}
			o->nr_ports++;
		} else if (!strcmp(opt, "--burst")) {
			err = parse_uint(opt, val, 1, VSW_MAX_BURST, &o->burst);
		} else if (!strcmp(opt, "--stats-interval")) {
			err = parse_uint(opt, val, 0, 86400,
					 &o->stats_interval);
		} else if (!strcmp(opt, "--stats-file")) {
			if (!*val) {
				vsw_err("--stats-file needs a path");
				return -EINVAL;
			}
			o->stats_file = val;
		} else if (!strcmp(opt, "--fdb-size")) {
			err = parse_uint(opt, val, 1, 1U << 20, &o->fdb_size);
		} else if (!strcmp(opt, "--fdb-age")) {
			err = parse_uint(opt, val, 1, 86400, &o->fdb_age);
		} else if (!strcmp(opt, "--mbufs")) {
			err = parse_uint(opt, val, 1024, 1U << 24, &o->mbufs);
		} else if (!strcmp(opt, "--idle-sleep")) {
			err = parse_uint(opt, val, 0, 1000000,
					 &o->idle_sleep_us);
		}
		if (err)
			return err;
	}
	if (!o->nr_ports) {
		vsw_err("no ports: give at least one --port or --uplink");
		return -EINVAL;
	}
	return check_unique(o);
}
