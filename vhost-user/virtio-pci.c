// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-pci modern transport (virtio v1.2, 4.1): the function, its
 * vendor capabilities, the BAR that holds the common config, ISR, device
 * config and notify areas, MSI-X, and the eventfds that keep queue traffic
 * away from triovm.
 *
 * BAR1 holds the MSI-X table and PBA; BAR2 the virtio structures:
 *   0x0000 common config   0x1000 ISR   0x2000 device config
 *   0x3000 notify: queue q at 0x3000 + q * NOTIFY_MULT
 */
#include <errno.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "triovm/event-loop.h"
#include "triovm/ioeventfd.h"
#include "triovm/irq.h"
#include "triovm/pci-msi.h"
#include "triovm/pci.h"
#include "triovm/virtio-pci.h"
#include "triovm/vm.h"

#define MSIX_BAR 1
#define MSIX_BAR_SIZE 0x1000
#define MSIX_PBA_OFF 0x800
#define VIRTIO_BAR 2
#define VIRTIO_BAR_SIZE 0x4000
#define COMMON_OFF 0x0000
#define ISR_OFF 0x1000
#define DEVICE_OFF 0x2000
#define NOTIFY_OFF 0x3000
#define AREA_SIZE 0x1000
/* Each queue its own 4-byte slot: one ioeventfd per queue, no datamatch. */
#define NOTIFY_MULT 4

static void sync_intx(struct virtio_pci *vp)
{
	bool level;

	/* The level is decided and driven under one lock: never reordered. */
	pthread_mutex_lock(&vp->intx_lock);
	pthread_mutex_lock(&vp->lock);
	level = vp->isr && !pci_msix__enabled(vp->pci.msix);
	pthread_mutex_unlock(&vp->lock);
	pci_device__set_intx(&vp->pci, level);
	pthread_mutex_unlock(&vp->intx_lock);
}

/* With vp->lock held: wire each vector that a backend-served queue uses. */
static void route_vectors(struct virtio_pci *vp)
{
	const struct virtio_pci_common *c = &vp->common;
	bool want[VIRTIO_PCI_MAX_VECTORS] = { false };
	int q, v;

	for (q = 0; q < c->nr_queues; q++) {
		uint16_t vec = c->queues[q].msix_vector;

		if (!vp->internal[q] && vec < c->nr_vectors)
			want[vec] = true;
	}
	for (v = 0; v < c->nr_vectors; v++) {
		if (want[v] == vp->vector_wired[v])
			continue;
		if (pci_msix__set_irqfd(vp->pci.msix, v,
					want[v] ? vp->vector_fd[v] : -1) == 0)
			vp->vector_wired[v] = want[v];
	}
}

static void common_access(void *opaque, uint64_t addr, uint8_t *data,
			  uint32_t len, bool is_write)
{
	struct virtio_pci *vp = opaque;
	unsigned int ev;
	uint16_t q;

	pthread_mutex_lock(&vp->lock);
	if (!is_write) {
		virtio_pci_common__read(&vp->common, addr, data, len);
		pthread_mutex_unlock(&vp->lock);
		return;
	}
	ev = virtio_pci_common__write(&vp->common, addr, data, len, &q);
	if (ev & VIRTIO_PCI_EV_RESET_DONE)
		vp->isr = 0;
	if (ev & (VIRTIO_PCI_EV_QUEUE_VECTOR | VIRTIO_PCI_EV_RESET_DONE))
		route_vectors(vp);
	if (ev && vp->ops->changed)
		vp->ops->changed(vp, ev, q);
	pthread_mutex_unlock(&vp->lock);
}

/* Reading the ISR clears it and lowers INTx (4.1.4.5). */
static void isr_access(void *opaque, uint64_t addr, uint8_t *data, uint32_t len,
		       bool is_write)
{
	struct virtio_pci *vp = opaque;

	if (is_write)
		return;
	memset(data, 0, len);
	pthread_mutex_lock(&vp->lock);
	if (addr == 0) {
		data[0] = vp->isr;
		vp->isr = 0;
	}
	pthread_mutex_unlock(&vp->lock);
	sync_intx(vp);
}

static void device_access(void *opaque, uint64_t addr, uint8_t *data,
			  uint32_t len, bool is_write)
{
	struct virtio_pci *vp = opaque;

	if (!range_within(addr, len, 0, vp->cfg_size)) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	pthread_mutex_lock(&vp->lock);
	vp->ops->config_access(vp, addr, data, len, is_write);
	pthread_mutex_unlock(&vp->lock);
}

/*
 * Only reached when KVM's ioeventfd did not match (the notify BAR moved and
 * a write raced the re-registration, or a width KVM does not take): pass the
 * notification on anyway.
 */
static void notify_access(void *opaque, uint64_t addr, uint8_t *data,
			  uint32_t len, bool is_write)
{
	struct virtio_pci *vp = opaque;
	uint64_t q = addr / NOTIFY_MULT;

	if (!is_write) {
		memset(data, 0, len);
		return;
	}
	__atomic_fetch_add(&vp->stats.notify_exits, 1, __ATOMIC_RELAXED);
	if (q < vp->common.nr_queues && eventfd_write(vp->notify_fd[q], 1) &&
	    ratelimit_ok(&vp->rl))
		pr_warn("%s: cannot signal queue %llu: %s", vp->pci.name,
			(unsigned long long)q, strerror(errno));
}

static void notify_unregister(struct virtio_pci *vp)
{
	int q;

	if (!vp->notify_addr)
		return;
	for (q = 0; q < vp->common.nr_queues; q++) {
		struct ioeventfd ev = {
			.addr = vp->notify_addr + q * NOTIFY_MULT,
			.fd = vp->notify_fd[q],
		};

		ioeventfd__del(vp->vm, &ev);
	}
	vp->notify_addr = 0;
}

static void notify_register(struct virtio_pci *vp, uint64_t addr)
{
	int q;

	for (q = 0; q < vp->common.nr_queues; q++) {
		/* Length 0: any write width, and KVM's fast MMIO path. */
		struct ioeventfd ev = {
			.addr = addr + q * NOTIFY_MULT,
			.len = 0,
			.fd = vp->notify_fd[q],
		};

		if (ioeventfd__add(vp->vm, &ev)) {
			/* The MMIO handler still delivers, at an exit each. */
			while (q-- > 0) {
				ev.addr = addr + q * NOTIFY_MULT;
				ev.fd = vp->notify_fd[q];
				ioeventfd__del(vp->vm, &ev);
			}
			return;
		}
	}
	vp->notify_addr = addr;
}

static void vp_bar_update(struct pci_device *d, int bar, bool mapped,
			  uint64_t addr)
{
	struct virtio_pci *vp = container_of(d, struct virtio_pci, pci);

	if (bar != VIRTIO_BAR)
		return;
	notify_unregister(vp);
	if (mapped)
		notify_register(vp, addr + NOTIFY_OFF);
}

/*
 * The PCI configuration access capability (4.1.4.7): a window onto the BARs
 * through config space, for firmware. The ISR is peeked, not cleared,
 * through it: clearing lowers INTx, which needs the config-space lock that
 * this path already holds.
 */
static void window_access(struct virtio_pci *vp, uint8_t *data, bool is_write)
{
	struct pci_config *c = &vp->pci.cfg;
	uint8_t bar = pci_config__get8(c, vp->cfg_cap + VIRTIO_PCI_CAP_BAR);
	uint32_t off =
		pci_config__get32(c, vp->cfg_cap + VIRTIO_PCI_CAP_OFFSET);
	uint32_t len =
		pci_config__get32(c, vp->cfg_cap + VIRTIO_PCI_CAP_LENGTH);
	struct pci_bar *b;
	int i;

	if (bar >= PCI_NUM_BARS || (len != 1 && len != 2 && len != 4) ||
	    off % len)
		return;
	b = &vp->pci.bars[bar];
	for (i = 0; i < b->nr_regions; i++) {
		struct pci_bar_region *r = &b->regions[i];

		if (!range_within(off, len, r->offset, r->size))
			continue;
		if (r->fn == isr_access) {
			if (!is_write) {
				pthread_mutex_lock(&vp->lock);
				data[0] = off == r->offset ? vp->isr : 0;
				pthread_mutex_unlock(&vp->lock);
			}
			return;
		}
		r->fn(r->opaque, off - r->offset, data, len, is_write);
		return;
	}
}

static bool touches_window(struct virtio_pci *vp, uint32_t off, int len)
{
	return ranges_overlap(off, len, vp->cfg_cap + 16, 4);
}

static uint32_t vp_config_read(struct pci_device *d, uint32_t off, int len,
			       uint32_t val)
{
	struct virtio_pci *vp = container_of(d, struct virtio_pci, pci);
	uint8_t data[4] = { 0 };
	uint32_t v;

	if (!touches_window(vp, off, len))
		return val;
	window_access(vp, data, false);
	memcpy(&v, data, 4);
	pci_config__set32(&d->cfg, vp->cfg_cap + 16, v);
	return pci_config__read(&d->cfg, off, len);
}

static void vp_config_write(struct pci_device *d, uint32_t off, uint32_t val,
			    int len)
{
	struct virtio_pci *vp = container_of(d, struct virtio_pci, pci);
	uint32_t v;

	if (!touches_window(vp, off, len))
		return;
	v = pci_config__get32(&d->cfg, vp->cfg_cap + 16);
	window_access(vp, (uint8_t *)&v, true);
}

static const struct pci_device_ops virtio_pci_device_ops = {
	.config_read = vp_config_read,
	.config_write = vp_config_write,
	.bar_update = vp_bar_update,
};

static int count_deliver(void *opaque, uint64_t addr, uint32_t data)
{
	struct virtio_pci *vp = opaque;

	__atomic_fetch_add(&vp->stats.msix_injected, 1, __ATOMIC_RELAXED);
	return irq__signal_msi(vp->vm, addr, data);
}

/* A backend signalled a queue that has no MSI-X vector. */
static void intx_event(int fd, uint32_t events, void *opaque)
{
	struct virtio_pci *vp = opaque;
	uint64_t cnt;

	if (read(fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return;
	__atomic_fetch_add(&vp->stats.intx_wakeups, 1, __ATOMIC_RELAXED);
	/* With MSI-X on, a queue without a vector raises nothing (4.1.5.1.2). */
	if (pci_msix__enabled(vp->pci.msix))
		return;
	pthread_mutex_lock(&vp->lock);
	vp->isr |= VIRTIO_PCI_ISR_QUEUE_INT;
	pthread_mutex_unlock(&vp->lock);
	sync_intx(vp);
}

static uint16_t add_cap(struct pci_config *c, uint8_t type, uint8_t bar,
			uint32_t off, uint32_t len, uint8_t cap_len)
{
	uint16_t at = pci_config__add_cap(c, PCI_CAP_ID_VNDR, cap_len);

	if (!at)
		return 0;
	pci_config__set8(c, at + VIRTIO_PCI_CAP_LEN, cap_len);
	pci_config__set8(c, at + VIRTIO_PCI_CAP_CFG_TYPE, type);
	pci_config__set8(c, at + VIRTIO_PCI_CAP_BAR, bar);
	pci_config__set32(c, at + VIRTIO_PCI_CAP_OFFSET, off);
	pci_config__set32(c, at + VIRTIO_PCI_CAP_LENGTH, len);
	return at;
}

static int add_caps(struct virtio_pci *vp)
{
	struct pci_config *c = &vp->pci.cfg;
	uint16_t notify;

	if (!add_cap(c, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_BAR, COMMON_OFF,
		     VIRTIO_PCI_COMMON_CFG_SIZE, sizeof(struct virtio_pci_cap)))
		return -ENOSPC;
	notify = add_cap(c, VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_BAR, NOTIFY_OFF,
			 vp->common.nr_queues * NOTIFY_MULT,
			 sizeof(struct virtio_pci_notify_cap));
	if (!notify)
		return -ENOSPC;
	pci_config__set32(c, notify + sizeof(struct virtio_pci_cap),
			  NOTIFY_MULT);
	if (!add_cap(c, VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_BAR, ISR_OFF, 1,
		     sizeof(struct virtio_pci_cap)) ||
	    !add_cap(c, VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_BAR, DEVICE_OFF,
		     vp->cfg_size, sizeof(struct virtio_pci_cap)))
		return -ENOSPC;
	vp->cfg_cap = add_cap(c, VIRTIO_PCI_CAP_PCI_CFG, 0, 0, 0,
			      sizeof(struct virtio_pci_cfg_cap));
	if (!vp->cfg_cap)
		return -ENOSPC;
	/* The window's bar, offset, length and data are the driver's. */
	pci_config__set_wmask(c, vp->cfg_cap + VIRTIO_PCI_CAP_BAR, 0xff, 1);
	pci_config__set_wmask(c, vp->cfg_cap + VIRTIO_PCI_CAP_OFFSET,
			      0xffffffff, 4);
	pci_config__set_wmask(c, vp->cfg_cap + VIRTIO_PCI_CAP_LENGTH,
			      0xffffffff, 4);
	pci_config__set_wmask(c, vp->cfg_cap + 16, 0xffffffff, 4);
	return 0;
}

static int add_bars(struct virtio_pci *vp, const char *name)
{
	static const struct {
		uint64_t off;
		iobus_fn fn;
		const char *what;
	} areas[] = {
		{ COMMON_OFF, common_access, "common" },
		{ ISR_OFF, isr_access, "ISR" },
		{ DEVICE_OFF, device_access, "device config" },
		{ NOTIFY_OFF, notify_access, "notify" },
	};
	struct pci_device *d = &vp->pci;
	unsigned int i;
	int ret;

	ret = pci_device__add_bar(d, MSIX_BAR, PCI_BAR_MEM32, MSIX_BAR_SIZE,
				  false);
	if (!ret)
		ret = pci_device__add_bar(d, VIRTIO_BAR, PCI_BAR_MEM32,
					  VIRTIO_BAR_SIZE, false);
	for (i = 0; !ret && i < ARRAY_SIZE(areas); i++) {
		snprintf(vp->region_names[i], sizeof(vp->region_names[i]),
			 "%s %s", name, areas[i].what);
		ret = pci_device__add_bar_region(d, VIRTIO_BAR, areas[i].off,
						 AREA_SIZE, areas[i].fn, vp,
						 vp->region_names[i]);
	}
	return ret;
}

static bool common_features_ok(void *opaque, uint64_t features)
{
	struct virtio_pci *vp = opaque;

	return vp->ops->features_ok(vp, features);
}

static int make_eventfds(struct virtio_pci *vp)
{
	int i;

	for (i = 0; i < vp->common.nr_queues; i++) {
		vp->notify_fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (vp->notify_fd[i] < 0)
			return -errno;
	}
	for (i = 0; i < vp->common.nr_vectors; i++) {
		vp->vector_fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (vp->vector_fd[i] < 0)
			return -errno;
	}
	vp->intx_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return vp->intx_fd < 0 ? -errno : 0;
}

int virtio_pci__init(struct virtio_pci *vp, struct vm *vm,
		     const struct virtio_pci_params *p)
{
	struct pci_device *d = &vp->pci;
	int i, ret;

	memset(vp, 0, sizeof(*vp));
	vp->intx_fd = -1;
	for (i = 0; i < VIRTIO_PCI_MAX_QUEUES; i++)
		vp->notify_fd[i] = -1;
	for (i = 0; i < VIRTIO_PCI_MAX_VECTORS; i++)
		vp->vector_fd[i] = -1;
	if (!p->nr_queues || p->nr_queues > VIRTIO_PCI_MAX_QUEUES ||
	    !p->nr_vectors || p->nr_vectors > VIRTIO_PCI_MAX_VECTORS ||
	    p->cfg_size > AREA_SIZE || !p->ops || !p->ops->config_access)
		return -EINVAL;
	vp->vm = vm;
	vp->ops = p->ops;
	vp->opaque = p->opaque;
	vp->cfg_size = p->cfg_size;
	vp->rl = (struct ratelimit)RATELIMIT_INIT;
	pthread_mutex_init(&vp->lock, NULL);
	pthread_mutex_init(&vp->intx_lock, NULL);
	virtio_pci_common__init(&vp->common, p->nr_queues, p->queue_max_size,
				p->nr_vectors, p->device_features);
	if (p->ops->features_ok) {
		vp->common.features_ok = common_features_ok;
		vp->common.features_ok_opaque = vp;
	}

	pci_device__init(d, vm, p->name, VIRTIO_PCI_VENDOR_ID,
			 VIRTIO_PCI_DEVICE_ID_BASE + p->virtio_id,
			 p->class_code, VIRTIO_PCI_REVISION, false);
	d->ops = &virtio_pci_device_ops;
	d->opaque = vp;
	pci_device__set_subsystem(d, VIRTIO_PCI_VENDOR_ID,
				  VIRTIO_PCI_SUBSYSTEM_ID);
	pci_device__set_intx_pin(d, 1);
	ret = add_bars(vp, p->name);
	if (!ret)
		ret = pci_msix__init(d, p->nr_vectors, MSIX_BAR, 0,
				     MSIX_PBA_OFF);
	if (ret) {
		pr_err("%s: cannot lay out the PCI function: %s", p->name,
		       strerror(-ret));
		return ret;
	}
	d->msix->deliver = count_deliver;
	d->msix->deliver_opaque = vp;
	ret = add_caps(vp);
	if (ret) {
		pr_err("%s: no room for the virtio capabilities", p->name);
		return ret;
	}
	ret = make_eventfds(vp);
	if (!ret)
		ret = event_loop__add(&vm->loop, vp->intx_fd, EPOLLIN,
				      intx_event, vp);
	if (ret)
		pr_err("%s: cannot create its eventfds: %s", p->name,
		       strerror(-ret));
	return ret;
}

int virtio_pci__register(struct virtio_pci *vp)
{
	return pci__register(vp->vm, &vp->pci);
}

void virtio_pci__exit(struct virtio_pci *vp)
{
	int i;

	if (vp->pci.slot) {
		/*
		 * Stop decoding the BARs: the buses and KVM forget the
		 * regions and the ioeventfds before the memory goes.
		 */
		pci__config_write(vp->vm, 0, vp->pci.slot << 3, PCI_COMMAND, 0,
				  2);
	}
	notify_unregister(vp);
	if (vp->intx_fd >= 0)
		event_loop__del(&vp->vm->loop, vp->intx_fd);
	if (vp->pci.msix)
		pci_msix__exit(&vp->pci);
	for (i = 0; i < VIRTIO_PCI_MAX_QUEUES; i++)
		if (vp->notify_fd[i] >= 0)
			close(vp->notify_fd[i]);
	for (i = 0; i < VIRTIO_PCI_MAX_VECTORS; i++)
		if (vp->vector_fd[i] >= 0)
			close(vp->vector_fd[i]);
	if (vp->intx_fd >= 0)
		close(vp->intx_fd);
	vp->intx_fd = -1;
}

void virtio_pci__set_queue_max(struct virtio_pci *vp, uint16_t queue,
			       uint16_t max)
{
	pthread_mutex_lock(&vp->lock);
	if (queue < vp->common.nr_queues) {
		vp->common.queues[queue].max_size = max;
		vp->common.queues[queue].size = max;
	}
	pthread_mutex_unlock(&vp->lock);
}

void virtio_pci__set_internal(struct virtio_pci *vp, uint16_t queue)
{
	if (queue < VIRTIO_PCI_MAX_QUEUES)
		vp->internal[queue] = true;
}

int virtio_pci__queue_irqfd(struct virtio_pci *vp, uint16_t queue)
{
	uint16_t vec = VIRTIO_PCI_NO_VECTOR;

	pthread_mutex_lock(&vp->lock);
	if (queue < vp->common.nr_queues)
		vec = vp->common.queues[queue].msix_vector;
	pthread_mutex_unlock(&vp->lock);
	return vec < vp->common.nr_vectors ? vp->vector_fd[vec] : vp->intx_fd;
}

static void vp_raise(struct virtio_pci *vp, uint16_t vec, uint8_t isr_bit)
{
	if (pci_msix__enabled(vp->pci.msix)) {
		if (vec != VIRTIO_PCI_NO_VECTOR)
			pci_msix__notify(vp->pci.msix, vec);
		return;
	}
	pthread_mutex_lock(&vp->lock);
	vp->isr |= isr_bit;
	pthread_mutex_unlock(&vp->lock);
	sync_intx(vp);
}

void virtio_pci__notify_queue(struct virtio_pci *vp, uint16_t queue)
{
	uint16_t vec;

	pthread_mutex_lock(&vp->lock);
	vec = queue < vp->common.nr_queues ?
		      vp->common.queues[queue].msix_vector :
		      VIRTIO_PCI_NO_VECTOR;
	pthread_mutex_unlock(&vp->lock);
	vp_raise(vp, vec, VIRTIO_PCI_ISR_QUEUE_INT);
}

void virtio_pci__notify_config(struct virtio_pci *vp)
{
	uint16_t vec;

	pthread_mutex_lock(&vp->lock);
	vec = vp->common.msix_config;
	pthread_mutex_unlock(&vp->lock);
	vp_raise(vp, vec, VIRTIO_PCI_ISR_CONFIG_INT);
}

void virtio_pci__reset_done(struct virtio_pci *vp)
{
	pthread_mutex_lock(&vp->lock);
	virtio_pci_common__reset(&vp->common);
	vp->isr = 0;
	route_vectors(vp);
	pthread_mutex_unlock(&vp->lock);
	sync_intx(vp);
}

void virtio_pci__set_needs_reset(struct virtio_pci *vp)
{
	bool tell;

	pthread_mutex_lock(&vp->lock);
	tell = !(vp->common.status & VIRTIO_CONFIG_S_NEEDS_RESET) &&
	       (vp->common.status & VIRTIO_CONFIG_S_DRIVER_OK);
	vp->common.status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	pthread_mutex_unlock(&vp->lock);
	/* Config change notifications wait for DRIVER_OK (2.1.2). */
	if (tell)
		virtio_pci__notify_config(vp);
}

uint8_t virtio_pci__status(struct virtio_pci *vp)
{
	uint8_t s;

	pthread_mutex_lock(&vp->lock);
	s = vp->common.status;
	pthread_mutex_unlock(&vp->lock);
	return s;
}

struct virtio_pci_queue virtio_pci__queue(struct virtio_pci *vp, uint16_t queue)
{
	struct virtio_pci_queue q = { 0 };

	pthread_mutex_lock(&vp->lock);
	if (queue < vp->common.nr_queues)
		q = vp->common.queues[queue];
	pthread_mutex_unlock(&vp->lock);
	return q;
}

uint64_t virtio_pci__driver_features(struct virtio_pci *vp)
{
	uint64_t f;

	pthread_mutex_lock(&vp->lock);
	f = vp->common.driver_features;
	pthread_mutex_unlock(&vp->lock);
	return f;
}
