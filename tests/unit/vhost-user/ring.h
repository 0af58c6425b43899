/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the virtqueue tests: a split ring in real guest RAM (a memfd,
 * guest_mem__init needs no KVM), written the way a driver would, or the way
 * a hostile one would.
 */
#ifndef TEST_VHOST_USER_RING_H
#define TEST_VHOST_USER_RING_H

#include <linux/virtio_ring.h>
#include <string.h>

#include "triovm/memory.h"

#define RING_DESC 0x10000ULL
#define RING_AVAIL 0x20000ULL
#define RING_USED 0x30000ULL
#define RING_BUFS 0x40000ULL /* data buffers from here */
#define RING_RAM (16ULL << 20)

struct ring {
	struct guest_mem mem;
	uint16_t size;
	uint16_t avail_idx;
};

static inline void *gpa(struct ring *r, uint64_t addr, uint64_t len)
{
	void *p = guest_mem__ptr(&r->mem, addr, len);

	assert_non_null(p);
	return p;
}

static inline void ring_init(struct ring *r, uint16_t size)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(guest_mem__init(&r->mem, RING_RAM, false), 0);
	r->size = size;
}

static inline void ring_exit(struct ring *r)
{
	guest_mem__exit(&r->mem);
}

static inline void set_desc(struct ring *r, uint64_t table, uint16_t i,
			    uint64_t addr, uint32_t len, uint16_t flags,
			    uint16_t next)
{
	struct vring_desc d = {
		.addr = addr, .len = len, .flags = flags, .next = next
	};

	memcpy(gpa(r, table + 16ULL * i, 16), &d, 16);
}

/* Put `head` on the available ring and publish it. */
static inline void make_avail(struct ring *r, uint16_t head)
{
	uint16_t *ring = gpa(r, RING_AVAIL + 4, 2ULL * r->size);

	ring[r->avail_idx % r->size] = head;
	r->avail_idx++;
	*(uint16_t *)gpa(r, RING_AVAIL + 2, 2) = r->avail_idx;
}

static inline void set_avail_idx(struct ring *r, uint16_t idx)
{
	r->avail_idx = idx;
	*(uint16_t *)gpa(r, RING_AVAIL + 2, 2) = idx;
}

static inline uint16_t used_idx(struct ring *r)
{
	return *(uint16_t *)gpa(r, RING_USED + 2, 2);
}

static inline void used_elem(struct ring *r, uint16_t i, uint32_t *id,
			     uint32_t *len)
{
	uint32_t *e = gpa(r, RING_USED + 4 + 8ULL * (i % r->size), 8);

	*id = e[0];
	*len = e[1];
}

#endif
