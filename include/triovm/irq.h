/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt plumbing to KVM's in-kernel irqchip: the GSI routing table (the
 * irqchip pins KVM starts with, plus one MSI route per in-use vector), irqfds
 * and direct MSI injection.
 */
#ifndef TRIOVM_IRQ_H
#define TRIOVM_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

/* GSIs 0..23 are the IOAPIC's (0..15 also the PIC's); MSI routes follow. */
#define IRQ_IOAPIC_PINS 24

int irq__init(struct vm *vm);
void irq__exit(struct vm *vm);

/* An MSI route for (addr, data); returns its GSI or a negative errno. */
int irq__add_msi_route(struct vm *vm, uint64_t addr, uint32_t data);
int irq__update_msi_route(struct vm *vm, int gsi, uint64_t addr, uint32_t data);
void irq__del_route(struct vm *vm, int gsi);

/* KVM_IRQFD: the eventfd raises `gsi`; resample_fd (or -1) for INTx. */
int irq__irqfd_add(struct vm *vm, int fd, int gsi, int resample_fd);
void irq__irqfd_del(struct vm *vm, int fd, int gsi);

/* Inject one MSI now (KVM_SIGNAL_MSI). */
int irq__signal_msi(struct vm *vm, uint64_t addr, uint32_t data);

/* Interrupts triovm injected itself (for --stats). */
uint64_t irq__injected(struct vm *vm);

#endif
