/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a virtio-net device is apart from its transport and its data path:
 * the features triovm offers, the device configuration space (MAC, link
 * status, queue pairs) and the control queue, all emulated by triovm because
 * vhost-user backends (DPDK's) do not implement them.
 */
#ifndef TRIOVM_VIRTIO_NET_H
#define TRIOVM_VIRTIO_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"

struct virtq;

#define VIRTIO_NET_MAX_PAIRS 16
#define VIRTIO_NET_QUEUE_SIZE 256
#define VIRTIO_NET_CTRL_QUEUE_SIZE 64
/* Commands served per call: a driver that keeps adding cannot hold us. */
#define VIRTIO_NET_CTRL_BUDGET 64
/* What the guest may read of struct virtio_net_config (through mtu). */
#define VIRTIO_NET_CFG_SIZE 12

struct virtio_net {
	uint8_t mac[ETH_ALEN];
	uint16_t status; /* VIRTIO_NET_S_LINK_UP */
	uint16_t max_pairs;
	uint16_t active_pairs; /* VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET */
	bool promisc, allmulti;
	uint64_t ctrl_commands;
	/*
	 * The driver asked for `pairs` queue pairs (already checked against
	 * max_pairs). The command is acked either way: reaching the backend
	 * is the device's business, not the driver's.
	 */
	void (*set_queue_pairs)(void *opaque, uint16_t pairs);
	void *opaque;
};

void virtio_net__init(struct virtio_net *n, const uint8_t mac[ETH_ALEN],
		      uint16_t max_pairs);
/* The control queue's index: after every receive/transmit pair. */
uint16_t virtio_net__ctrl_queue(const struct virtio_net *n);
/* The features the guest is offered. */
uint64_t virtio_net__device_features(const struct virtio_net *n);
/* Features triovm implements itself; a backend never sees them. */
uint64_t virtio_net__emulated_features(void);
void virtio_net__config_read(const struct virtio_net *n, uint64_t off,
			     uint8_t *data, uint32_t len);

/*
 * Serve the available commands on the control queue, at most
 * VIRTIO_NET_CTRL_BUDGET (when that many were served, call again later).
 * Returns the number completed (and *interrupt when the driver wants to hear
 * of them), or -EINVAL with *why set on a malformed chain.
 */
int virtio_net_ctrl__process(struct virtio_net *n, struct virtq *vq,
			     uint64_t features, bool *interrupt,
			     const char **why);

#endif
