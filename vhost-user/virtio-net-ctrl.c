// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net's control queue (virtio v1.2, 5.1.6.5), served by triovm: the
 * backend never sees it. Receive filters are acked (the switch behind the
 * backend floods and learns anyway); VQ_PAIRS_SET decides which queue pairs
 * the backend runs; anything else is refused with VIRTIO_NET_ERR.
 */
#include <errno.h>
#include <linux/virtio_net.h>
#include <string.h>

#include "triovm/util.h"
#include "triovm/virtio-net.h"
#include "triovm/virtqueue.h"

#define HDR_LEN 2 /* struct virtio_net_ctrl_hdr: class, cmd */

static uint8_t ctrl_rx(struct virtio_net *n, const struct virtq_elem *e,
		       uint8_t cmd, uint64_t features)
{
	uint8_t on;

	if (!(features & BIT_ULL(VIRTIO_NET_F_CTRL_RX)) ||
	    e->out_len != HDR_LEN + 1 || virtq_elem__read(e, HDR_LEN, &on, 1))
		return VIRTIO_NET_ERR;
	switch (cmd) {
	case VIRTIO_NET_CTRL_RX_PROMISC:
		n->promisc = on;
		return VIRTIO_NET_OK;
	case VIRTIO_NET_CTRL_RX_ALLMULTI:
		n->allmulti = on;
		return VIRTIO_NET_OK;
	}
	return VIRTIO_NET_ERR;
}

/* Two tables, each a le32 count and that many MACs (5.1.6.5.2). */
static uint8_t ctrl_mac(const struct virtq_elem *e, uint8_t cmd)
{
	uint64_t off = HDR_LEN;
	uint32_t entries;
	int t;

	if (cmd != VIRTIO_NET_CTRL_MAC_TABLE_SET)
		return VIRTIO_NET_ERR;
	for (t = 0; t < 2; t++) {
		if (virtq_elem__read(e, off, &entries, 4))
			return VIRTIO_NET_ERR;
		off += 4 + (uint64_t)entries * ETH_ALEN;
	}
	return off == e->out_len ? VIRTIO_NET_OK : VIRTIO_NET_ERR;
}

static uint8_t ctrl_mq(struct virtio_net *n, const struct virtq_elem *e,
		       uint8_t cmd, uint64_t features)
{
	uint16_t pairs;

	if (!(features & BIT_ULL(VIRTIO_NET_F_MQ)) ||
	    cmd != VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET ||
	    e->out_len != HDR_LEN + 2 ||
	    virtq_elem__read(e, HDR_LEN, &pairs, 2))
		return VIRTIO_NET_ERR;
	if (pairs < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || pairs > n->max_pairs)
		return VIRTIO_NET_ERR;
	n->active_pairs = pairs;
	if (n->set_queue_pairs)
		n->set_queue_pairs(n->opaque, pairs);
	return VIRTIO_NET_OK;
}

static uint8_t ctrl_command(struct virtio_net *n, const struct virtq_elem *e,
			    uint64_t features)
{
	uint8_t hdr[HDR_LEN];

	if (virtq_elem__read(e, 0, hdr, HDR_LEN))
		return VIRTIO_NET_ERR;
	switch (hdr[0]) {
	case VIRTIO_NET_CTRL_RX:
		return ctrl_rx(n, e, hdr[1], features);
	case VIRTIO_NET_CTRL_MAC:
		return ctrl_mac(e, hdr[1]);
	case VIRTIO_NET_CTRL_MQ:
		return ctrl_mq(n, e, hdr[1], features);
	}
	return VIRTIO_NET_ERR;
}

int virtio_net_ctrl__process(struct virtio_net *n, struct virtq *vq,
			     uint64_t features, bool *interrupt,
			     const char **why)
{
	uint16_t old_used = vq->used_idx;
	struct virtq_elem e;
	int done = 0, ret;
	uint8_t ack;

	*interrupt = false;
	while (done < VIRTIO_NET_CTRL_BUDGET) {
		ret = virtq__pop(vq, &e, why);
		if (ret < 0)
			return ret;
		if (!ret) {
			if (!virtq__enable_notify(vq))
				break;
			continue;
		}
		/* A header to read and a status byte to write, at least. */
		if (e.out_len < HDR_LEN || !e.in_len) {
			*why = "a control command without a header or a status byte";
			return -EINVAL;
		}
		ack = ctrl_command(n, &e, features);
		virtq_elem__write(&e, 0, &ack, 1);
		virtq__push(vq, e.head, 1);
		n->ctrl_commands++;
		done++;
	}
	*interrupt = virtq__needs_interrupt(vq, old_used);
	return done;
}
