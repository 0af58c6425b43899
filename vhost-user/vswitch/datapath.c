// SPDX-License-Identifier: GPL-2.0
/*
 * The data core: receive a burst from each port that is up, ask the MAC
 * table where each frame goes, and send each port its share in one burst.
 * A frame that floods is not copied: each destination holds a reference.
 */
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_vhost.h>

#include "switch.h"

#define IDLE_POLLS 1000

static uint16_t port_rx(struct vswitch *sw, struct vsw_port *p,
			struct rte_mbuf **pkts)
{
	uint16_t burst = sw->opts->burst;

	if (p->spec->kind == VSW_PORT_VHOST)
		return rte_vhost_dequeue_burst(p->vid, VIRTIO_TXQ, sw->pool,
					       pkts, burst);
	return rte_eth_rx_burst(p->eth_port, 0, pkts, burst);
}

/* Sends what `tx` holds and frees what the port did not keep. */
static void port_tx(struct vsw_port *p, struct vsw_txbuf *tx)
{
	uint32_t lens[VSW_MAX_BURST];
	uint16_t i, sent, n = tx->n;
	uint64_t bytes = 0;

	/* Read before: an ethdev may free what it sent right away. */
	for (i = 0; i < n; i++)
		lens[i] = rte_pktmbuf_pkt_len(tx->pkts[i]);
	if (p->spec->kind == VSW_PORT_VHOST)
		/* Copies into the guest's buffers: ours to free. */
		sent = rte_vhost_enqueue_burst(p->vid, VIRTIO_RXQ, tx->pkts, n);
	else
		/* Keeps what it took until transmitted. */
		sent = rte_eth_tx_burst(p->eth_port, 0, tx->pkts, n);
	for (i = 0; i < sent; i++)
		bytes += lens[i];
	if (p->spec->kind == VSW_PORT_VHOST)
		rte_pktmbuf_free_bulk(tx->pkts, n);
	else if (sent < n)
		rte_pktmbuf_free_bulk(&tx->pkts[sent], n - sent);
	vsw_counter_add(&p->c.tx_packets, sent);
	vsw_counter_add(&p->c.tx_bytes, bytes);
	if (sent < n)
		vsw_counter_add(&p->c.tx_dropped, n - sent);
	tx->n = 0;
}

/* One burst from `in`; returns how many frames it received. */
static unsigned int switch_burst(struct vswitch *sw, struct vsw_port *in,
				 uint64_t up, uint64_t now)
{
	struct rte_mbuf *pkts[VSW_MAX_BURST];
	const uint8_t *frames[VSW_MAX_BURST];
	uint32_t lens[VSW_MAX_BURST];
	uint64_t dst[VSW_MAX_BURST], touched = 0, bytes = 0, dropped = 0;
	uint16_t i, n;

	n = port_rx(sw, in, pkts);
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		frames[i] = rte_pktmbuf_mtod(pkts[i], const uint8_t *);
		/* The MAC table reads the header from the first segment. */
		lens[i] = rte_pktmbuf_data_len(pkts[i]);
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	}
	vsw_counter_add(&in->c.rx_packets, n);
	vsw_counter_add(&in->c.rx_bytes, bytes);

	fdb__forward_burst(&sw->fdb, in->id, frames, lens, n, up, now, dst);

	for (i = 0; i < n; i++) {
		uint64_t mask = dst[i];
		int copies = __builtin_popcountll(mask);

		if (!copies) {
			rte_pktmbuf_free(pkts[i]);
			dropped++;
			continue;
		}
		if (copies > 1)
			rte_pktmbuf_refcnt_update(pkts[i], copies - 1);
		touched |= mask;
		while (mask) {
			struct vsw_txbuf *tx =
				&sw->txbufs[__builtin_ctzll(mask)];

			tx->pkts[tx->n++] = pkts[i];
			mask &= mask - 1;
		}
	}
	if (dropped)
		vsw_counter_add(&in->c.rx_dropped, dropped);
	while (touched) {
		unsigned int q = __builtin_ctzll(touched);

		port_tx(&sw->ports[q], &sw->txbufs[q]);
		touched &= touched - 1;
	}
	return n;
}

static uint64_t ports_up(struct vswitch *sw)
{
	uint64_t up = 0;
	unsigned int i;

	for (i = 0; i < sw->nr_ports; i++)
		if (__atomic_load_n(&sw->ports[i].up, __ATOMIC_ACQUIRE))
			up |= 1ULL << i;
	return up;
}

static void idle_sleep(struct vswitch *sw, unsigned int lcore)
{
	/* Offline while asleep: taking a port down need not wait for us. */
	rte_rcu_qsbr_thread_offline(sw->qsbr, lcore);
	rte_delay_us_sleep(sw->opts->idle_sleep_us);
	rte_rcu_qsbr_thread_online(sw->qsbr, lcore);
}

/*
 * Forgets the stations behind a port that went down, or down and up again
 * between two passes: a different guest may be there now.
 */
static void forget_changed_ports(struct vswitch *sw, uint64_t up,
				 uint64_t *last_up, uint64_t *seen_connections)
{
	uint64_t changed = *last_up & ~up;
	unsigned int i;

	for (i = 0; i < sw->nr_ports; i++) {
		uint64_t c = vsw_counter_read(&sw->ports[i].connections);

		if (c != seen_connections[i]) {
			seen_connections[i] = c;
			changed |= 1ULL << i;
		}
	}
	for (; changed; changed &= changed - 1)
		fdb__forget_port(&sw->fdb, __builtin_ctzll(changed));
	*last_up = up;
}

int vsw_datapath__run(void *arg)
{
	struct vswitch *sw = arg;
	unsigned int lcore = rte_lcore_id(), idle = 0;
	uint64_t hz = rte_get_timer_hz(), next_expire = 0, last_up = 0;
	uint64_t seen_connections[VSW_MAX_PORTS] = { 0 };

	rte_rcu_qsbr_thread_register(sw->qsbr, lcore);
	rte_rcu_qsbr_thread_online(sw->qsbr, lcore);

	while (!__atomic_load_n(&sw->stop, __ATOMIC_RELAXED)) {
		uint64_t up = ports_up(sw), now = rte_get_timer_cycles();
		uint64_t pending;
		unsigned int moved = 0;

		forget_changed_ports(sw, up, &last_up, seen_connections);
		for (pending = up; pending; pending &= pending - 1) {
			struct vsw_port *p =
				&sw->ports[__builtin_ctzll(pending)];

			moved += switch_burst(sw, p, up, now);
		}
		if (now >= next_expire) {
			__atomic_store_n(&sw->fdb_entries,
					 fdb__expire(&sw->fdb, now),
					 __ATOMIC_RELAXED);
			next_expire = now + hz;
		}
		/* No port or packet of this pass is held past this point. */
		rte_rcu_qsbr_quiescent(sw->qsbr, lcore);

		if (moved || !sw->opts->idle_sleep_us)
			idle = 0;
		else if (++idle >= IDLE_POLLS)
			idle_sleep(sw, lcore);
	}

	rte_rcu_qsbr_thread_offline(sw->qsbr, lcore);
	rte_rcu_qsbr_thread_unregister(sw->qsbr, lcore);
	return 0;
}
