// SPDX-License-Identifier: GPL-2.0
/*
 * A split virtqueue read by triovm (virtio v1.2, 2.7), for the control queue.
 * The driver owns the ring and may rewrite it while we read: every number is
 * read once into a local copy, checked, and only then used.
 */
#include <errno.h>
#include <linux/virtio_ring.h>
#include <string.h>

#include "triovm/memory.h"
#include "triovm/util.h"
#include "triovm/virtqueue.h"

/* Offsets inside the driver and device areas (2.7.6, 2.7.8). */
#define AVAIL_FLAGS 0
#define AVAIL_IDX 2
#define AVAIL_RING 4
#define USED_IDX 2
#define USED_RING 4
#define USED_ELEM_SIZE 8
#define DESC_SIZE 16

static uint16_t load16(const void *base, uint64_t off)
{
	return __atomic_load_n((const uint16_t *)((const uint8_t *)base + off),
			       __ATOMIC_ACQUIRE);
}

static void store16(void *base, uint64_t off, uint16_t v)
{
	__atomic_store_n((uint16_t *)((uint8_t *)base + off), v,
			 __ATOMIC_RELEASE);
}

int virtq__init(struct virtq *vq, const struct guest_mem *mem, uint16_t size,
		uint64_t desc, uint64_t avail, uint64_t used, bool event_idx,
		const char **why)
{
	memset(vq, 0, sizeof(*vq));
	if (!is_power_of_2(size)) {
		*why = "queue size is not a power of two";
		return -EINVAL;
	}
	/* Alignment of the three areas (2.7, table "Virtqueue Part Alignment"). */
	if (desc % 16 || avail % 2 || used % 4) {
		*why = "a ring area is misaligned";
		return -EINVAL;
	}
	/* Sizes include used_event and avail_event, present or not. */
	vq->desc = guest_mem__ptr(mem, desc, (uint64_t)DESC_SIZE * size);
	vq->avail = guest_mem__ptr(mem, avail, 6 + 2ULL * size);
	vq->used = guest_mem__ptr(mem, used, 6 + 8ULL * size);
	if (!vq->desc || !vq->avail || !vq->used) {
		*why = "a ring area is outside guest RAM";
		return -EINVAL;
	}
	vq->mem = mem;
	vq->size = size;
	vq->event_idx = event_idx;
	return 0;
}

static int add_buffer(const struct virtq *vq, struct virtq_elem *e,
		      const struct vring_desc *d, const char **why)
{
	struct virtq_iov *iov;
	bool writable = d->flags & VRING_DESC_F_WRITE;
	void *p;

	if (!d->len)
		return 0; /* nothing to read or write */
	p = guest_mem__ptr(vq->mem, d->addr, d->len);
	if (!p) {
		*why = "a buffer is outside guest RAM";
		return -EINVAL;
	}
	/* Readable buffers come first, then writable ones (2.7.4.2). */
	if (!writable && e->nr_in) {
		*why = "a readable buffer follows a writable one";
		return -EINVAL;
	}
	if (e->nr_out + e->nr_in == VIRTQ_MAX_IOV) {
		*why = "the chain has more buffers than this queue takes";
		return -EINVAL;
	}
	iov = &e->iov[e->nr_out + e->nr_in];
	iov->base = p;
	iov->len = d->len;
	if (writable) {
		e->nr_in++;
		e->in_len += d->len;
	} else {
		e->nr_out++;
		e->out_len += d->len;
	}
	return 0;
}

/*
 * Follow the chain from `head`. A chain visits at most `size` descriptors,
 * counting those of an indirect table: more means a loop or a driver bug,
 * and either way we stop there.
 */
static int walk(const struct virtq *vq, uint16_t head, struct virtq_elem *e,
		const char **why)
{
	const uint8_t *table = vq->desc;
	uint32_t table_len = vq->size, visited = 0;
	bool indirect = false;
	uint16_t i = head;
	struct vring_desc d;
	int ret;

	memset(e, 0, offsetof(struct virtq_elem, iov));
	e->head = head;
	for (;;) {
		if (i >= table_len) {
			*why = indirect ?
				       "an indirect descriptor index is out of range" :
				       "a descriptor index is out of range";
			return -EINVAL;
		}
		if (++visited > vq->size) {
			*why = "the chain is longer than the queue (a loop?)";
			return -EINVAL;
		}
		memcpy(&d, table + (uint64_t)DESC_SIZE * i, sizeof(d));
		if (d.flags & VRING_DESC_F_INDIRECT) {
			/* One level only, and it ends the chain (2.7.5.3.1). */
			if (indirect) {
				*why = "an indirect table points to another";
				return -EINVAL;
			}
			if (d.flags & VRING_DESC_F_NEXT) {
				*why = "an indirect descriptor has NEXT set";
				return -EINVAL;
			}
			if (!d.len || d.len % DESC_SIZE) {
				*why = "an indirect table's length is not a multiple of 16";
				return -EINVAL;
			}
			if (d.len / DESC_SIZE > vq->size) {
				*why = "an indirect table is longer than the queue";
				return -EINVAL;
			}
			table = guest_mem__ptr(vq->mem, d.addr, d.len);
			if (!table) {
				*why = "an indirect table is outside guest RAM";
				return -EINVAL;
			}
			table_len = d.len / DESC_SIZE;
			indirect = true;
			i = 0;
			continue;
		}
		ret = add_buffer(vq, e, &d, why);
		if (ret)
			return ret;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return 0;
		i = d.next;
	}
}

int virtq__pop(struct virtq *vq, struct virtq_elem *e, const char **why)
{
	uint16_t avail_idx, pending, head;
	int ret;

	avail_idx = load16(vq->avail, AVAIL_IDX);
	pending = avail_idx - vq->last_avail;
	if (!pending)
		return 0;
	if (pending > vq->size) {
		*why = "the available index moved by more than the queue size";
		return -EINVAL;
	}
	head = load16(vq->avail,
		      AVAIL_RING + 2ULL * (vq->last_avail % vq->size));
	if (head >= vq->size) {
		*why = "an available ring entry is out of range";
		return -EINVAL;
	}
	ret = walk(vq, head, e, why);
	if (ret)
		return ret;
	vq->last_avail++;
	return 1;
}

void virtq__push(struct virtq *vq, uint16_t head, uint32_t len)
{
	uint8_t *slot = (uint8_t *)vq->used + USED_RING +
			(uint64_t)USED_ELEM_SIZE * (vq->used_idx % vq->size);
	uint32_t id = head;

	memcpy(slot, &id, 4);
	memcpy(slot + 4, &len, 4);
	vq->used_idx++;
	/* The entry is visible before the index that publishes it. */
	store16(vq->used, USED_IDX, vq->used_idx);
}

bool virtq__enable_notify(struct virtq *vq)
{
	if (vq->event_idx)
		/* avail_event: notify us for the chain after the last we took. */
		store16(vq->used,
			USED_RING + (uint64_t)USED_ELEM_SIZE * vq->size,
			vq->last_avail);
	/* Published before we look again: a chain added meanwhile is seen. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return load16(vq->avail, AVAIL_IDX) != vq->last_avail;
}

bool virtq__needs_interrupt(struct virtq *vq, uint16_t old_used)
{
	uint16_t used_event, flags;

	if (vq->used_idx == old_used)
		return false;
	/* Our used index, then the driver's wishes: in this order. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->event_idx) {
		used_event = load16(vq->avail, AVAIL_RING + 2ULL * vq->size);
		return vring_need_event(used_event, vq->used_idx, old_used);
	}
	flags = load16(vq->avail, AVAIL_FLAGS);
	return !(flags & VRING_AVAIL_F_NO_INTERRUPT);
}

int virtq_elem__read(const struct virtq_elem *e, uint64_t off, void *buf,
		     uint64_t len)
{
	uint8_t *out = buf;
	unsigned int i;

	if (off + len < off || off + len > e->out_len)
		return -EINVAL;
	for (i = 0; i < e->nr_out && len; i++) {
		const struct virtq_iov *iov = &e->iov[i];
		uint64_t n;

		if (off >= iov->len) {
			off -= iov->len;
			continue;
		}
		n = min(len, iov->len - off);
		memcpy(out, (uint8_t *)iov->base + off, n);
		out += n;
		len -= n;
		off = 0;
	}
	return 0;
}

int virtq_elem__write(const struct virtq_elem *e, uint64_t off, const void *buf,
		      uint64_t len)
{
	const uint8_t *in = buf;
	unsigned int i;

	if (off + len < off || off + len > e->in_len)
		return -EINVAL;
	for (i = e->nr_out; i < e->nr_out + e->nr_in && len; i++) {
		const struct virtq_iov *iov = &e->iov[i];
		uint64_t n;

		if (off >= iov->len) {
			off -= iov->len;
			continue;
		}
		n = min(len, iov->len - off);
		memcpy((uint8_t *)iov->base + off, in, n);
		in += n;
		len -= n;
		off = 0;
	}
	return 0;
}
