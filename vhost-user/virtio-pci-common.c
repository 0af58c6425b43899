// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-pci common configuration (virtio v1.2, 4.1.4.3): the registers
 * through which a driver negotiates features, sets up queues, picks MSI-X
 * vectors and drives the device status. Pure state: the transport
 * (virtio-pci.c) does the I/O and acts on the events a write returns.
 */
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <string.h>

#include "triovm/util.h"
#include "triovm/virtio-pci.h"

void virtio_pci_common__init(struct virtio_pci_common *c, uint16_t nr_queues,
			     uint16_t max_size, uint16_t nr_vectors,
			     uint64_t device_features)
{
	int q;

	memset(c, 0, sizeof(*c));
	c->nr_queues = min(nr_queues, (uint16_t)VIRTIO_PCI_MAX_QUEUES);
	c->nr_vectors = nr_vectors;
	c->device_features = device_features;
	for (q = 0; q < c->nr_queues; q++)
		c->queues[q].max_size = max_size;
	virtio_pci_common__reset(c);
}

void virtio_pci_common__reset(struct virtio_pci_common *c)
{
	int q;

	c->driver_features = 0;
	c->device_feature_select = 0;
	c->driver_feature_select = 0;
	c->msix_config = VIRTIO_PCI_NO_VECTOR;
	c->status = 0;
	c->queue_select = 0;
	c->reset_pending = false;
	for (q = 0; q < c->nr_queues; q++) {
		struct virtio_pci_queue *vq = &c->queues[q];

		vq->size = vq->max_size;
		vq->msix_vector = VIRTIO_PCI_NO_VECTOR;
		vq->enabled = false;
		vq->desc = vq->driver = vq->device = 0;
	}
}

static struct virtio_pci_queue *selected(const struct virtio_pci_common *c)
{
	if (c->queue_select >= c->nr_queues)
		return NULL;
	return (struct virtio_pci_queue *)&c->queues[c->queue_select];
}

static void put16(uint8_t *regs, unsigned int off, uint16_t v)
{
	memcpy(regs + off, &v, 2);
}

static void put32(uint8_t *regs, unsigned int off, uint32_t v)
{
	memcpy(regs + off, &v, 4);
}

static void put64(uint8_t *regs, unsigned int off, uint64_t v)
{
	memcpy(regs + off, &v, 8);
}

void virtio_pci_common__read(const struct virtio_pci_common *c, uint64_t off,
			     uint8_t *data, uint32_t len)
{
	const struct virtio_pci_queue *vq = selected(c);
	uint8_t regs[VIRTIO_PCI_COMMON_CFG_SIZE] = { 0 };
	uint32_t i;

	/* Reads have no side effects: lay the structure out, copy bytes. */
	put32(regs, VIRTIO_PCI_COMMON_DFSELECT, c->device_feature_select);
	if (c->device_feature_select < 2)
		put32(regs, VIRTIO_PCI_COMMON_DF,
		      c->device_features >> (32 * c->device_feature_select));
	put32(regs, VIRTIO_PCI_COMMON_GFSELECT, c->driver_feature_select);
	if (c->driver_feature_select < 2)
		put32(regs, VIRTIO_PCI_COMMON_GF,
		      c->driver_features >> (32 * c->driver_feature_select));
	put16(regs, VIRTIO_PCI_COMMON_MSIX, c->msix_config);
	put16(regs, VIRTIO_PCI_COMMON_NUMQ, c->nr_queues);
	regs[VIRTIO_PCI_COMMON_STATUS] = c->status;
	regs[VIRTIO_PCI_COMMON_CFGGENERATION] = c->generation;
	put16(regs, VIRTIO_PCI_COMMON_Q_SELECT, c->queue_select);
	/* An unavailable queue reads as size 0 and no vector (4.1.4.3.1). */
	put16(regs, VIRTIO_PCI_COMMON_Q_MSIX, VIRTIO_PCI_NO_VECTOR);
	if (vq) {
		put16(regs, VIRTIO_PCI_COMMON_Q_SIZE, vq->size);
		put16(regs, VIRTIO_PCI_COMMON_Q_MSIX, vq->msix_vector);
		put16(regs, VIRTIO_PCI_COMMON_Q_ENABLE, vq->enabled);
		put16(regs, VIRTIO_PCI_COMMON_Q_NOFF, c->queue_select);
		put64(regs, VIRTIO_PCI_COMMON_Q_DESCLO, vq->desc);
		put64(regs, VIRTIO_PCI_COMMON_Q_AVAILLO, vq->driver);
		put64(regs, VIRTIO_PCI_COMMON_Q_USEDLO, vq->device);
		put16(regs, VIRTIO_PCI_COMMON_Q_NDATA, c->queue_select);
	}
	for (i = 0; i < len; i++)
		data[i] = off + i < sizeof(regs) ? regs[off + i] : 0;
}

static uint16_t checked_vector(const struct virtio_pci_common *c, uint16_t v)
{
	/* A vector the function lacks reads back as NO_VECTOR (4.1.5.1.2). */
	return v < c->nr_vectors ? v : VIRTIO_PCI_NO_VECTOR;
}

static bool features_acceptable(const struct virtio_pci_common *c)
{
	if (c->driver_features & ~c->device_features)
		return false;
	/* This is a modern-only device: no legacy interface to fall back to. */
	if (!(c->driver_features & (1ULL << VIRTIO_F_VERSION_1)))
		return false;
	return !c->features_ok ||
	       c->features_ok(c->features_ok_opaque, c->driver_features);
}

static unsigned int write_status(struct virtio_pci_common *c, uint8_t v)
{
	uint8_t old = c->status;

	if (!v) {
		/*
		 * From status 0 nothing ran that needs stopping, and the
		 * driver, reading 0 back at once, goes on: reset now, or its
		 * next writes would land in a pending reset.
		 */
		if (!old) {
			virtio_pci_common__reset(c);
			return VIRTIO_PCI_EV_RESET_DONE;
		}
		c->reset_pending = true;
		return VIRTIO_PCI_EV_RESET;
	}
	/*
	 * NEEDS_RESET is the device's to set, and a driver never clears a
	 * bit (2.1.2): anything else than a reset only adds bits.
	 */
	v = (v & ~VIRTIO_CONFIG_S_NEEDS_RESET) | old;
	/* A refused feature set shows as FEATURES_OK staying clear (3.1.1). */
	if ((v & ~old & VIRTIO_CONFIG_S_FEATURES_OK) && !features_acceptable(c))
		v &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	if (!(v & VIRTIO_CONFIG_S_FEATURES_OK))
		v &= ~VIRTIO_CONFIG_S_DRIVER_OK;
	c->status = v;
	return v != old ? VIRTIO_PCI_EV_STATUS : 0;
}

/* A 64-bit queue address, written whole or as two 32-bit halves. */
static bool write_addr(uint64_t *field, uint64_t rel, const uint8_t *data,
		       uint32_t len)
{
	uint64_t v = 0;

	if (len == 8 && rel == 0) {
		memcpy(field, data, 8);
		return true;
	}
	if (len != 4 || (rel != 0 && rel != 4))
		return false;
	memcpy(&v, data, 4);
	if (rel == 0)
		*field = (*field & ~0xffffffffULL) | v;
	else
		*field = (*field & 0xffffffffULL) | v << 32;
	return true;
}

unsigned int virtio_pci_common__write(struct virtio_pci_common *c, uint64_t off,
				      const uint8_t *data, uint32_t len,
				      uint16_t *queue)
{
	struct virtio_pci_queue *vq = selected(c);
	bool live = c->status & VIRTIO_CONFIG_S_DRIVER_OK;
	/* Queue fields are frozen once the queue or the device runs. */
	bool q_writable = vq && !vq->enabled && !live;
	uint32_t v = 0;
	uint16_t old;

	*queue = c->queue_select;
	/* Until the device has finished resetting, the driver waits. */
	if (c->reset_pending)
		return 0;
	if (len == 1 || len == 2 || len == 4)
		memcpy(&v, data, len);

	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		if (len == 4)
			c->device_feature_select = v;
		return 0;
	case VIRTIO_PCI_COMMON_GFSELECT:
		if (len == 4)
			c->driver_feature_select = v;
		return 0;
	case VIRTIO_PCI_COMMON_GF:
		/* Features are fixed once FEATURES_OK is set (3.1.1). */
		if (len != 4 || c->driver_feature_select > 1 ||
		    (c->status & VIRTIO_CONFIG_S_FEATURES_OK))
			return 0;
		if (c->driver_feature_select)
			c->driver_features =
				(c->driver_features & 0xffffffffULL) |
				(uint64_t)v << 32;
		else
			c->driver_features =
				(c->driver_features & ~0xffffffffULL) | v;
		return 0;
	case VIRTIO_PCI_COMMON_MSIX:
		if (len != 2)
			return 0;
		old = c->msix_config;
		c->msix_config = checked_vector(c, v);
		return old != c->msix_config ? VIRTIO_PCI_EV_CONFIG_VECTOR : 0;
	case VIRTIO_PCI_COMMON_STATUS:
		return len == 1 ? write_status(c, v) : 0;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		if (len == 2) {
			c->queue_select = v;
			*queue = v;
		}
		return 0;
	case VIRTIO_PCI_COMMON_Q_SIZE:
		/* Split rings: a power of two no larger than the maximum. */
		if (len == 2 && q_writable && is_power_of_2(v) &&
		    v <= vq->max_size)
			vq->size = v;
		return 0;
	case VIRTIO_PCI_COMMON_Q_MSIX:
		if (len != 2 || !vq)
			return 0;
		old = vq->msix_vector;
		vq->msix_vector = checked_vector(c, v);
		return old != vq->msix_vector ? VIRTIO_PCI_EV_QUEUE_VECTOR : 0;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		/* Only 1 means something without VIRTIO_F_RING_RESET. */
		if (len != 2 || v != 1 || !q_writable)
			return 0;
		vq->enabled = true;
		return VIRTIO_PCI_EV_QUEUE_ENABLE;
	}
	if (!q_writable)
		return 0;
	if (off >= VIRTIO_PCI_COMMON_Q_DESCLO &&
	    off < VIRTIO_PCI_COMMON_Q_DESCLO + 8)
		write_addr(&vq->desc, off - VIRTIO_PCI_COMMON_Q_DESCLO, data,
			   len);
	else if (off >= VIRTIO_PCI_COMMON_Q_AVAILLO &&
		 off < VIRTIO_PCI_COMMON_Q_AVAILLO + 8)
		write_addr(&vq->driver, off - VIRTIO_PCI_COMMON_Q_AVAILLO, data,
			   len);
	else if (off >= VIRTIO_PCI_COMMON_Q_USEDLO &&
		 off < VIRTIO_PCI_COMMON_Q_USEDLO + 8)
		write_addr(&vq->device, off - VIRTIO_PCI_COMMON_Q_USEDLO, data,
			   len);
	/* Everything else is read-only or not there. */
	return 0;
}
