// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SET_GSI_ROUTING replaces the whole table, so triovm keeps the whole
 * table: the irqchip routes KVM installs at KVM_CREATE_IRQCHIP
 * (virt/kvm/irq_comm.c's default_routing) plus one entry per MSI route.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "triovm/irq.h"
#include "triovm/log.h"
#include "triovm/vm.h"

#define IRQ_MAX_ROUTES 1024

struct irq_routing {
	pthread_mutex_t lock;
	struct kvm_irq_routing *table;
	uint8_t gsi_used[IRQ_MAX_ROUTES];
	uint64_t injected;
};

static void add_irqchip(struct kvm_irq_routing *t, uint32_t gsi, uint32_t chip,
			uint32_t pin)
{
	struct kvm_irq_routing_entry *e = &t->entries[t->nr++];

	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_IRQCHIP;
	e->u.irqchip.irqchip = chip;
	e->u.irqchip.pin = pin;
}

static int commit(struct vm *vm, struct irq_routing *r)
{
	if (ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, r->table) < 0) {
		int err = errno;

		pr_err("KVM_SET_GSI_ROUTING (%u routes): %s", r->table->nr,
		       strerror(err));
		return -err;
	}
	return 0;
}

int irq__init(struct vm *vm)
{
	struct irq_routing *r = calloc(1, sizeof(*r));
	uint32_t i;

	if (!r)
		return -ENOMEM;
	r->table = calloc(1, sizeof(*r->table) +
				     IRQ_MAX_ROUTES *
					     sizeof(r->table->entries[0]));
	if (!r->table) {
		free(r);
		return -ENOMEM;
	}
	pthread_mutex_init(&r->lock, NULL);
	for (i = 0; i < 16; i++)
		add_irqchip(r->table, i,
			    i < 8 ? KVM_IRQCHIP_PIC_MASTER :
				    KVM_IRQCHIP_PIC_SLAVE,
			    i % 8);
	for (i = 0; i < IRQ_IOAPIC_PINS; i++) {
		add_irqchip(r->table, i, KVM_IRQCHIP_IOAPIC, i);
		r->gsi_used[i] = 1;
	}
	vm->irq = r;
	return 0;
}

void irq__exit(struct vm *vm)
{
	struct irq_routing *r = vm->irq;

	if (!r)
		return;
	pthread_mutex_destroy(&r->lock);
	free(r->table);
	free(r);
	vm->irq = NULL;
}

static struct kvm_irq_routing_entry *find(struct irq_routing *r, int gsi)
{
	uint32_t i;

	for (i = 0; i < r->table->nr; i++)
		if ((int)r->table->entries[i].gsi == gsi &&
		    r->table->entries[i].type == KVM_IRQ_ROUTING_MSI)
			return &r->table->entries[i];
	return NULL;
}

int irq__add_msi_route(struct vm *vm, uint64_t addr, uint32_t data)
{
	struct irq_routing *r = vm->irq;
	struct kvm_irq_routing_entry *e;
	int gsi, ret;

	pthread_mutex_lock(&r->lock);
	for (gsi = IRQ_IOAPIC_PINS; gsi < IRQ_MAX_ROUTES; gsi++)
		if (!r->gsi_used[gsi])
			break;
	if (gsi == IRQ_MAX_ROUTES || r->table->nr == IRQ_MAX_ROUTES) {
		pthread_mutex_unlock(&r->lock);
		pr_warn_ratelimited("out of MSI routes (%d)", IRQ_MAX_ROUTES);
		return -ENOSPC;
	}
	e = &r->table->entries[r->table->nr++];
	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = (uint32_t)addr;
	e->u.msi.address_hi = addr >> 32;
	e->u.msi.data = data;
	ret = commit(vm, r);
	if (ret) {
		r->table->nr--;
		pthread_mutex_unlock(&r->lock);
		return ret;
	}
	r->gsi_used[gsi] = 1;
	pthread_mutex_unlock(&r->lock);
	return gsi;
}

int irq__update_msi_route(struct vm *vm, int gsi, uint64_t addr, uint32_t data)
{
	struct irq_routing *r = vm->irq;
	struct kvm_irq_routing_entry *e;
	int ret = -ENOENT;

	pthread_mutex_lock(&r->lock);
	e = find(r, gsi);
	if (e) {
		if (e->u.msi.address_lo == (uint32_t)addr &&
		    e->u.msi.address_hi == addr >> 32 && e->u.msi.data == data)
			ret = 0;
		else {
			e->u.msi.address_lo = (uint32_t)addr;
			e->u.msi.address_hi = addr >> 32;
			e->u.msi.data = data;
			ret = commit(vm, r);
		}
	}
	pthread_mutex_unlock(&r->lock);
	return ret;
}

void irq__del_route(struct vm *vm, int gsi)
{
	struct irq_routing *r = vm->irq;
	struct kvm_irq_routing_entry *e;

	if (!r || gsi < IRQ_IOAPIC_PINS || gsi >= IRQ_MAX_ROUTES)
		return;
	pthread_mutex_lock(&r->lock);
	e = find(r, gsi);
	if (e) {
		*e = r->table->entries[--r->table->nr];
		r->gsi_used[gsi] = 0;
		commit(vm, r);
	}
	pthread_mutex_unlock(&r->lock);
}

int irq__irqfd_add(struct vm *vm, int fd, int gsi, int resample_fd)
{
	struct kvm_irqfd irqfd = {
		.fd = fd,
		.gsi = gsi,
	};

	if (resample_fd >= 0) {
		irqfd.flags = KVM_IRQFD_FLAG_RESAMPLE;
		irqfd.resamplefd = resample_fd;
	}
	if (ioctl(vm->vm_fd, KVM_IRQFD, &irqfd) < 0) {
		int err = errno;

		pr_err("KVM_IRQFD (fd %d -> GSI %d): %s", fd, gsi,
		       strerror(err));
		return -err;
	}
	return 0;
}

void irq__irqfd_del(struct vm *vm, int fd, int gsi)
{
	struct kvm_irqfd irqfd = {
		.fd = fd,
		.gsi = gsi,
		.flags = KVM_IRQFD_FLAG_DEASSIGN,
	};

	if (ioctl(vm->vm_fd, KVM_IRQFD, &irqfd) < 0)
		pr_warn_ratelimited("KVM_IRQFD deassign (fd %d, GSI %d): %s",
				    fd, gsi, strerror(errno));
}

int irq__signal_msi(struct vm *vm, uint64_t addr, uint32_t data)
{
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr,
		.address_hi = addr >> 32,
		.data = data,
	};
	int ret = ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi);

	if (ret < 0) {
		pr_warn_ratelimited("KVM_SIGNAL_MSI 0x%llx/0x%x: %s",
				    (unsigned long long)addr, data,
				    strerror(errno));
		return -errno;
	}
	__atomic_fetch_add(&vm->irq->injected, 1, __ATOMIC_RELAXED);
	return 0;
}

uint64_t irq__injected(struct vm *vm)
{
	return vm->irq ? __atomic_load_n(&vm->irq->injected, __ATOMIC_RELAXED) :
			 0;
}
