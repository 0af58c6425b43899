/* SPDX-License-Identifier: GPL-2.0 */
/* Vector delivery shared by msi.c and msix.c; private to core-vmm/pci. */
#ifndef TRIOVM_PCI_MSI_VECTOR_H
#define TRIOVM_PCI_MSI_VECTOR_H

#include "triovm/event-loop.h"
#include "triovm/pci-msi.h"

struct vm;

struct msi_vector_ctx {
	struct vm *vm;
	pci_msi_deliver_fn deliver;
	void *deliver_opaque;
	event_fn poll_fn; /* gets the vector's eventfd; finds the vector */
	void *poll_opaque;
};

int msi_vector__default_deliver(void *opaque, uint64_t addr, uint32_t data);
void msi_vector__init(struct pci_msi_vector *v);
/* Re-evaluate after address, data, mask or enable changed. */
void msi_vector__update(struct msi_vector_ctx *c, struct pci_msi_vector *v,
			bool live);
void msi_vector__notify(struct msi_vector_ctx *c, struct pci_msi_vector *v,
			bool live);
void msi_vector__polled(struct msi_vector_ctx *c, struct pci_msi_vector *v,
			bool live);
int msi_vector__set_irqfd(struct msi_vector_ctx *c, struct pci_msi_vector *v,
			  int fd, bool live);
void msi_vector__release(struct msi_vector_ctx *c, struct pci_msi_vector *v);

#endif
