// SPDX-License-Identifier: GPL-2.0
/*
 * triovm-vswitch: a DPDK vhost-user backend that switches frames between
 * guests (and optional ethdev uplinks). The main lcore sets things up, waits
 * for signals and prints counters; one data lcore moves the packets.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "log.h"
#include "switch.h"

#define MBUF_CACHE 256
/* Enough for every port's bursts in flight and an uplink's RX ring. */
#define MBUFS_BASE 8192
#define MBUFS_PER_UPLINK 2048

/* As triovm's: 2 is a command line or environment that cannot work. */
enum { EXIT_OK = 0, EXIT_BAD_INPUT = 2 };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(struct vswitch *sw, double started)
{
	struct vsw_port_report ports[VSW_MAX_PORTS];
	struct vsw_report r = {
		.uptime_s = now_s() - started,
		.fdb_entries =
			__atomic_load_n(&sw->fdb_entries, __ATOMIC_RELAXED),
		.nr_ports = sw->nr_ports,
		.ports = ports,
	};
	unsigned int i;

	for (i = 0; i < sw->nr_ports; i++) {
		const struct vsw_port *p = &sw->ports[i];
		const struct vsw_port_spec *s = p->spec;
		struct vsw_port_report *o = &ports[i];
		bool vhost = s->kind == VSW_PORT_VHOST;

		o->name = s->name;
		o->kind = vhost ? "vhost-user" : "ethdev";
		o->where = vhost ? s->path : s->devargs;
		o->mode = !vhost ? NULL : s->server ? "server" : "client";
		o->up = __atomic_load_n(&p->up, __ATOMIC_RELAXED);
		o->connections = vsw_counter_read(&p->connections);
		o->c.rx_packets = vsw_counter_read(&p->c.rx_packets);
		o->c.rx_bytes = vsw_counter_read(&p->c.rx_bytes);
		o->c.rx_dropped = vsw_counter_read(&p->c.rx_dropped);
		o->c.tx_packets = vsw_counter_read(&p->c.tx_packets);
		o->c.tx_bytes = vsw_counter_read(&p->c.tx_bytes);
		o->c.tx_dropped = vsw_counter_read(&p->c.tx_dropped);
	}
	vsw_stats__print(stdout, &r);
	if (sw->opts->stats_file)
		vsw_stats__write_file(sw->opts->stats_file, &r);
}

/* Waits for SIGINT/SIGTERM, reporting on SIGUSR1 and every interval. */
static void run(struct vswitch *sw, const sigset_t *sigs, double started)
{
	unsigned int interval = sw->opts->stats_interval;
	double next = started + interval;

	for (;;) {
		double left = interval ? next - now_s() : 3600;
		struct timespec ts;
		int sig;

		if (left < 0)
			left = 0;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		sig = sigtimedwait(sigs, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM) {
			vsw_info("%s: stopping", strsignal(sig));
			return;
		}
		if (sig == SIGUSR1) {
			report(sw, started);
		} else if (interval && now_s() >= next) {
			report(sw, started);
			next += interval;
			if (next < now_s())
				next = now_s() + interval;
		}
	}
}

static int setup(struct vswitch *sw, const struct vsw_options *o)
{
	unsigned int i, nr_uplinks = 0, mbufs, lcore;
	size_t qsize;
	int err;

	sw->opts = o;
	sw->nr_ports = o->nr_ports;

	sw->data_lcore = rte_get_next_lcore(-1, 1, 0);
	if (sw->data_lcore >= RTE_MAX_LCORE) {
		vsw_err("no data lcore: give the EAL two (e.g. -l 0-1), the main one and one for packets");
		return -EINVAL;
	}
	lcore = rte_get_next_lcore(sw->data_lcore, 1, 0);
	if (lcore < RTE_MAX_LCORE)
		vsw_warn(
			"lcore %u and later are not used: one data lcore switches every port",
			lcore);

	err = fdb__init(&sw->fdb, o->fdb_size,
			(uint64_t)o->fdb_age * rte_get_timer_hz());
	if (err) {
		vsw_err("cannot allocate a MAC table of %u entries",
			o->fdb_size);
		return err;
	}

	qsize = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	sw->qsbr = rte_zmalloc("vswitch_qsbr", qsize, RTE_CACHE_LINE_SIZE);
	if (!sw->qsbr || rte_rcu_qsbr_init(sw->qsbr, RTE_MAX_LCORE)) {
		vsw_err("cannot set up RCU for the data core");
		return -ENOMEM;
	}

	for (i = 0; i < o->nr_ports; i++)
		nr_uplinks += o->ports[i].kind == VSW_PORT_ETH;
	mbufs = MBUFS_BASE + nr_uplinks * MBUFS_PER_UPLINK;
	if (o->mbufs)
		mbufs = o->mbufs;
	sw->pool =
		rte_pktmbuf_pool_create("vswitch_mbufs", mbufs, MBUF_CACHE, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					rte_lcore_to_socket_id(sw->data_lcore));
	if (!sw->pool) {
		vsw_err("cannot create a pool of %u mbufs: %s (more memory: -m, or hugepages)",
			mbufs, rte_strerror(rte_errno));
		return -ENOMEM;
	}

	for (i = 0; i < o->nr_ports; i++) {
		struct vsw_port *p = &sw->ports[i];

		p->id = i;
		p->spec = &o->ports[i];
		p->sw = sw;
		p->vid = -1;
		if (p->spec->kind == VSW_PORT_ETH)
			err = eth_port__open(p);
		else
			err = vhost_port__register(p);
		if (err)
			return err;
	}

	err = rte_eal_remote_launch(vsw_datapath__run, sw, sw->data_lcore);
	if (err) {
		vsw_err("cannot start the data core on lcore %u: %s",
			sw->data_lcore, strerror(-err));
		return err;
	}
	sw->data_running = true;

	/* Last: from here librte_vhost calls new_device on its own thread. */
	for (i = 0; i < o->nr_ports; i++) {
		struct vsw_port *p = &sw->ports[i];

		if (p->spec->kind == VSW_PORT_VHOST) {
			err = vhost_port__start(p);
			if (err)
				return err;
		}
	}
	return 0;
}

static void stop_data_core(struct vswitch *sw)
{
	if (!sw->data_running)
		return;
	__atomic_store_n(&sw->stop, true, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(sw->data_lcore);
	sw->data_running = false;
}

static void teardown(struct vswitch *sw)
{
	unsigned int i;

	stop_data_core(sw);
	for (i = 0; i < sw->nr_ports; i++) {
		struct vsw_port *p = &sw->ports[i];

		if (p->spec && p->spec->kind == VSW_PORT_VHOST)
			vhost_port__unregister(p);
		else if (p->spec)
			eth_port__close(p);
	}
	/* Every mbuf is back: the data core freed its own, the ethdevs theirs. */
	rte_mempool_free(sw->pool);
	sw->pool = NULL;
	rte_free(sw->qsbr);
	sw->qsbr = NULL;
	fdb__exit(&sw->fdb);
}

/* The EAL prints this after its own options for -h/--help before `--`. */
static void usage_hook(const char *prgname)
{
	printf("\n");
	vsw_options__usage(stdout);
}

int main(int argc, char **argv)
{
	struct vsw_options opts;
	struct vswitch *sw;
	int eal_argc = 1, app_argc = argc, i, err;
	char **app_argv = argv;
	sigset_t sigs;
	double started;

	/* Everything before `--` is the EAL's; without one, nothing is. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			eal_argc = i;
			app_argc = argc - i;
			app_argv = &argv[i];
			break;
		}
	}
	/* Check our own arguments before the EAL takes memory and cores. */
	err = vsw_options__parse(&opts, app_argc, app_argv);
	if (err)
		return err > 0 ? EXIT_OK : EXIT_BAD_INPUT;

	/*
	 * Blocked before the EAL starts its threads, which inherit the mask:
	 * the main thread alone takes them, with sigtimedwait().
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	rte_set_application_usage_hook(usage_hook);
	if (rte_eal_init(eal_argc, argv) < 0) {
		vsw_err("cannot initialise the EAL: %s",
			rte_strerror(rte_errno));
		return EXIT_BAD_INPUT;
	}

	started = now_s();
	sw = calloc(1, sizeof(*sw));
	err = sw ? setup(sw, &opts) : -ENOMEM;
	if (!err) {
		vsw_info("switching %u ports on lcore %u", sw->nr_ports,
			 sw->data_lcore);
		run(sw, &sigs, started);
		stop_data_core(sw);
		/* The final counters, with the links as they were at the end. */
		report(sw, started);
	}
	if (sw)
		teardown(sw);
	free(sw);
	rte_eal_cleanup();
	/* Setting up is all that can fail: nothing was switched. */
	return err ? EXIT_BAD_INPUT : EXIT_OK;
}
