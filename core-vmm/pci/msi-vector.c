// SPDX-License-Identifier: GPL-2.0
/*
 * One MSI or MSI-X vector's delivery state, common to both capabilities:
 * injection by triovm, or an eventfd wired to KVM that is unwired while the
 * vector is masked.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "triovm/irq.h"
#include "triovm/log.h"
#include "triovm/pci-msi.h"
#include "triovm/pci.h"
#include "triovm/vm.h"
#include "msi-vector.h"

int msi_vector__default_deliver(void *opaque, uint64_t addr, uint32_t data)
{
	struct vm *vm = opaque;

	return irq__signal_msi(vm, addr, data);
}

void msi_vector__init(struct pci_msi_vector *v)
{
	v->addr = 0;
	v->data = 0;
	v->masked = true;
	v->pending = false;
	v->gsi = -1;
	v->irqfd = -1;
	v->irqfd_on = false;
	v->polling = false;
}

static void stop_polling(struct msi_vector_ctx *c, struct pci_msi_vector *v)
{
	if (v->polling) {
		event_loop__del(&c->vm->loop, v->irqfd);
		v->polling = false;
	}
}

static void unwire(struct msi_vector_ctx *c, struct pci_msi_vector *v)
{
	if (v->irqfd_on) {
		irq__irqfd_del(c->vm, v->irqfd, v->gsi);
		v->irqfd_on = false;
	}
}

void msi_vector__update(struct msi_vector_ctx *c, struct pci_msi_vector *v,
			bool live)
{
	int gsi;

	if (v->irqfd < 0) {
		/* Injected by triovm: a pending message goes out on unmask. */
		if (live && v->pending) {
			v->pending = false;
			c->deliver(c->deliver_opaque, v->addr, v->data);
		}
		return;
	}
	if (!live) {
		unwire(c, v);
		if (!v->polling &&
		    !event_loop__add(&c->vm->loop, v->irqfd, EPOLLIN,
				     c->poll_fn, c->poll_opaque))
			v->polling = true;
		return;
	}
	stop_polling(c, v);
	if (v->gsi < 0) {
		gsi = irq__add_msi_route(c->vm, v->addr, v->data);
		if (gsi < 0)
			return;
		v->gsi = gsi;
	} else {
		irq__update_msi_route(c->vm, v->gsi, v->addr, v->data);
	}
	if (!v->irqfd_on && !irq__irqfd_add(c->vm, v->irqfd, v->gsi, -1))
		v->irqfd_on = true;
	if (v->pending) {
		v->pending = false;
		c->deliver(c->deliver_opaque, v->addr, v->data);
	}
}

void msi_vector__notify(struct msi_vector_ctx *c, struct pci_msi_vector *v,
			bool live)
{
	if (live)
		c->deliver(c->deliver_opaque, v->addr, v->data);
	else
		v->pending = true;
}

/* The eventfd fired while the vector was masked. */
void msi_vector__polled(struct msi_vector_ctx *c, struct pci_msi_vector *v,
			bool live)
{
	uint64_t cnt;

	if (v->irqfd < 0 || read(v->irqfd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return;
	msi_vector__notify(c, v, live);
}

int msi_vector__set_irqfd(struct msi_vector_ctx *c, struct pci_msi_vector *v,
			  int fd, bool live)
{
	if (v->irqfd == fd)
		return 0;
	if (v->irqfd >= 0) {
		unwire(c, v);
		stop_polling(c, v);
		if (v->gsi >= 0) {
			irq__del_route(c->vm, v->gsi);
			v->gsi = -1;
		}
	}
	v->irqfd = fd;
	if (fd >= 0)
		msi_vector__update(c, v, live);
	return 0;
}

void msi_vector__release(struct msi_vector_ctx *c, struct pci_msi_vector *v)
{
	msi_vector__set_irqfd(c, v, -1, false);
}
