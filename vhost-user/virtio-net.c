// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net as triovm presents it (virtio v1.2, 5.1): the features offered
 * and the device configuration space. The packets themselves are the
 * vhost-user backend's; MAC, link status and the control queue are triovm's.
 */
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>
#include <string.h>

#include "triovm/util.h"
#include "triovm/virtio-net.h"

void virtio_net__init(struct virtio_net *n, const uint8_t mac[ETH_ALEN],
		      uint16_t max_pairs)
{
	memset(n, 0, sizeof(*n));
	memcpy(n->mac, mac, ETH_ALEN);
	n->max_pairs = max_pairs;
	/* Until VQ_PAIRS_SET only the first pair is used (5.1.6.5.5). */
	n->active_pairs = 1;
}

uint16_t virtio_net__ctrl_queue(const struct virtio_net *n)
{
	return 2 * n->max_pairs;
}

uint64_t virtio_net__emulated_features(void)
{
	return BIT_ULL(VIRTIO_NET_F_MAC) | BIT_ULL(VIRTIO_NET_F_STATUS) |
	       BIT_ULL(VIRTIO_NET_F_CTRL_VQ) | BIT_ULL(VIRTIO_NET_F_CTRL_RX) |
	       BIT_ULL(VIRTIO_NET_F_MQ);
}

uint64_t virtio_net__device_features(const struct virtio_net *n)
{
	/*
	 * The rest is what every vhost-user net backend (DPDK's
	 * VIRTIO_NET_SUPPORTED_FEATURES) implements; offloads are left out
	 * so that any backend, and any peer it switches to, will do.
	 */
	uint64_t f = BIT_ULL(VIRTIO_F_VERSION_1) |
		     BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |
		     BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |
		     BIT_ULL(VIRTIO_NET_F_MRG_RXBUF) |
		     BIT_ULL(VIRTIO_NET_F_MAC) | BIT_ULL(VIRTIO_NET_F_STATUS) |
		     BIT_ULL(VIRTIO_NET_F_CTRL_VQ) |
		     BIT_ULL(VIRTIO_NET_F_CTRL_RX);

	if (n->max_pairs > 1)
		f |= BIT_ULL(VIRTIO_NET_F_MQ);
	return f;
}

void virtio_net__config_read(const struct virtio_net *n, uint64_t off,
			     uint8_t *data, uint32_t len)
{
	uint8_t cfg[VIRTIO_NET_CFG_SIZE] = { 0 };
	uint32_t i;

	/* struct virtio_net_config: mac, status, max_virtqueue_pairs, mtu. */
	memcpy(cfg, n->mac, ETH_ALEN);
	memcpy(cfg + 6, &n->status, 2);
	memcpy(cfg + 8, &n->max_pairs, 2);
	for (i = 0; i < len; i++)
		data[i] = off + i < sizeof(cfg) ? cfg[off + i] : 0;
}
