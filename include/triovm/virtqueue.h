/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A split virtqueue (virtio v1.2, 2.7) read by triovm itself: only for queues
 * whose traffic is rare and belongs to the VMM (virtio-net's control queue).
 * The data queues are the vhost-user backend's.
 *
 * Everything in the ring is the guest's and may change under us: each
 * descriptor is copied once and checked (index below the queue size, chain
 * no longer than the queue, buffers inside guest RAM, readable buffers
 * before writable ones, indirect tables well-formed and not nested). A bad
 * chain is an error on the queue; nothing here ever follows a guest number
 * without checking it.
 */
#ifndef TRIOVM_VIRTQUEUE_H
#define TRIOVM_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

struct guest_mem;

/* Buffers one element may have; longer chains are refused. */
#define VIRTQ_MAX_IOV 64

struct virtq_iov {
	void *base;
	uint32_t len;
};

/* One available descriptor chain, as host pointers into guest RAM. */
struct virtq_elem {
	uint16_t head;
	unsigned int nr_out, nr_in; /* device-readable, then device-writable */
	uint64_t out_len, in_len;
	struct virtq_iov iov[VIRTQ_MAX_IOV]; /* nr_out readable, then nr_in */
};

struct virtq {
	const struct guest_mem *mem;
	uint16_t size;
	bool event_idx; /* VIRTIO_RING_F_EVENT_IDX negotiated */
	void *desc, *avail, *used; /* checked to lie in guest RAM */
	uint16_t last_avail;
	uint16_t used_idx;
};

/*
 * Check and map the three areas of a queue of `size` entries (a power of two)
 * at the guest-physical addresses the driver gave. Returns 0, or -EINVAL with
 * *why set when an area is misaligned or not in guest RAM.
 */
int virtq__init(struct virtq *vq, const struct guest_mem *mem, uint16_t size,
		uint64_t desc, uint64_t avail, uint64_t used, bool event_idx,
		const char **why);

/*
 * Take the next available chain: 1 and *e filled, 0 when there is none, or
 * -EINVAL with *why set when the ring or the chain is malformed (the queue
 * is then unusable until the driver resets the device).
 */
int virtq__pop(struct virtq *vq, struct virtq_elem *e, const char **why);

/* Return a chain as used with `len` bytes written. */
void virtq__push(struct virtq *vq, uint16_t head, uint32_t len);

/*
 * When out of chains: ask the driver to notify us for the next one (with
 * EVENT_IDX, by publishing avail_event) and return whether one arrived
 * meanwhile, in which case the caller pops again.
 */
bool virtq__enable_notify(struct virtq *vq);

/*
 * After pushing: whether the driver wants an interrupt for the used buffers
 * added since `old_used` (VRING_AVAIL_F_NO_INTERRUPT, or used_event with
 * EVENT_IDX).
 */
bool virtq__needs_interrupt(struct virtq *vq, uint16_t old_used);

/* Copy `len` bytes at offset `off` of the element's readable part. */
int virtq_elem__read(const struct virtq_elem *e, uint64_t off, void *buf,
		     uint64_t len);
/* Copy `len` bytes to offset `off` of its writable part. */
int virtq_elem__write(const struct virtq_elem *e, uint64_t off, const void *buf,
		      uint64_t len);

#endif
