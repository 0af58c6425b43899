// SPDX-License-Identifier: GPL-2.0
/*
 * An uplink: any ethdev the EAL can probe (a vdev such as net_tap, net_pcap
 * or net_af_packet, or a PCI function), one RX and one TX queue, promiscuous
 * so that it hears the frames meant for the guests behind the switch.
 */
#include <errno.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_ethdev.h>

#include "log.h"
#include "switch.h"

#define ETH_RING_SIZE 1024

/* The first ethdev the devargs name; probes it unless the EAL already did. */
static int find_port(const char *name, const char *devargs, uint16_t *port)
{
	struct rte_dev_iterator it;
	uint16_t id;
	int err;

	RTE_ETH_FOREACH_MATCHING_DEV(id, devargs, &it)
	{
		rte_eth_iterator_cleanup(&it);
		*port = id;
		return 0;
	}
	err = rte_dev_probe(devargs);
	if (err && err != -EEXIST) {
		vsw_err("uplink %s: cannot probe '%s' (%s): a vdev this DPDK has, or a PCI function bound to vfio-pci?",
			name, devargs, strerror(-err));
		return err;
	}
	RTE_ETH_FOREACH_MATCHING_DEV(id, devargs, &it)
	{
		rte_eth_iterator_cleanup(&it);
		*port = id;
		return 0;
	}
	vsw_err("uplink %s: '%s' is not an ethdev", name, devargs);
	return -ENODEV;
}

int eth_port__open(struct vsw_port *p)
{
	const struct vsw_port_spec *s = p->spec;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = ETH_RING_SIZE, nb_txd = ETH_RING_SIZE;
	int socket, err;

	err = find_port(s->name, s->devargs, &p->eth_port);
	if (err)
		return err;
	err = rte_eth_dev_info_get(p->eth_port, &info);
	if (err)
		goto fail;
	/* Guests' frames larger than one mbuf arrive as chains. */
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	err = rte_eth_dev_configure(p->eth_port, 1, 1, &conf);
	if (err)
		goto fail;
	err = rte_eth_dev_adjust_nb_rx_tx_desc(p->eth_port, &nb_rxd, &nb_txd);
	if (err)
		goto fail;
	socket = rte_eth_dev_socket_id(p->eth_port);
	if (socket < 0)
		socket = (int)rte_socket_id();
	err = rte_eth_rx_queue_setup(p->eth_port, 0, nb_rxd, socket, NULL,
				     p->sw->pool);
	if (err)
		goto fail;
	err = rte_eth_tx_queue_setup(p->eth_port, 0, nb_txd, socket, NULL);
	if (err)
		goto fail;
	err = rte_eth_promiscuous_enable(p->eth_port);
	if (err && err != -ENOTSUP)
		goto fail;
	err = rte_eth_dev_start(p->eth_port);
	if (err)
		goto fail;
	p->eth_started = true;
	vsw_port__up(p);
	vsw_info("port %s: up (ethdev %u, %s)", s->name, p->eth_port,
		 info.driver_name);
	return 0;
fail:
	vsw_err("uplink %s: cannot set up ethdev %u (%s): %s", s->name,
		p->eth_port, s->devargs, strerror(-err));
	return err;
}

void eth_port__close(struct vsw_port *p)
{
	if (!p->eth_started)
		return;
	vsw_port__down(p);
	rte_eth_dev_stop(p->eth_port);
	/* Returns the RX ring's mbufs to the pool and removes a tap's netdev. */
	rte_eth_dev_close(p->eth_port);
	p->eth_started = false;
}
