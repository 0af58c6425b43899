/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The switch: its ports, the packet pool and the data core. The control side
 * (librte_vhost's callbacks, the main lcore) brings ports up and down; the
 * data core is the only one that touches packets, the MAC table and the
 * counters.
 */
#ifndef TRIOVM_VSWITCH_SWITCH_H
#define TRIOVM_VSWITCH_SWITCH_H

#include <stdbool.h>
#include <stdint.h>

#include "fdb.h"
#include "options.h"
#include "stats.h"

/* librte_vhost numbers a queue pair's rings from the guest's side. */
#define VIRTIO_RXQ 0 /* the guest receives: we enqueue */
#define VIRTIO_TXQ 1 /* the guest sends: we dequeue */

struct rte_mbuf;
struct rte_mempool;
struct rte_rcu_qsbr;
struct vswitch;

struct vsw_port {
	unsigned int id; /* its bit in the data core's masks */
	const struct vsw_port_spec *spec;
	struct vswitch *sw;
	/*
	 * The data core uses `vid` or `eth_port` only while it reads `up` as
	 * true, and reports a quiescent state after every loop; taking a port
	 * down clears `up` and waits for that report (vsw_port__down).
	 */
	bool up;
	int vid;
	uint16_t eth_port;
	bool eth_started;
	bool registered; /* the vhost-user driver is */
	uint64_t connections;
	struct vsw_counters c;
};

/* Frames waiting to go out of one port, at most one receive burst. */
struct vsw_txbuf {
	unsigned int n;
	struct rte_mbuf *pkts[VSW_MAX_BURST];
};

struct vswitch {
	const struct vsw_options *opts;
	struct vsw_port ports[VSW_MAX_PORTS];
	unsigned int nr_ports;
	struct rte_mempool *pool;
	struct rte_rcu_qsbr *qsbr;
	unsigned int data_lcore;
	bool data_running;
	bool stop; /* tells the data core to return */
	/* The data core's own: */
	struct fdb fdb;
	struct vsw_txbuf txbufs[VSW_MAX_PORTS];
	unsigned int fdb_entries; /* published for reports */
};

/* Publishes the port to the data core. */
void vsw_port__up(struct vsw_port *p);
/* Takes it away, and returns once the data core no longer uses it. */
void vsw_port__down(struct vsw_port *p);

/* vhost-port.c: librte_vhost drivers, one per vhost-user port. */
int vhost_port__register(struct vsw_port *p);
int vhost_port__start(struct vsw_port *p);
void vhost_port__unregister(struct vsw_port *p);

/* eth-port.c: an ethdev uplink, probed if need be, one queue pair. */
int eth_port__open(struct vsw_port *p);
void eth_port__close(struct vsw_port *p);

/* datapath.c: the data core's loop, for rte_eal_remote_launch(). */
int vsw_datapath__run(void *sw);

#endif
