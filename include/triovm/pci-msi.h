/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSI and MSI-X capabilities, emulated by triovm for every kind of device.
 *
 * A vector reaches the guest in one of two ways:
 *  - an emulated device calls pci_msix__notify()/pci_msi__notify() and triovm
 *    injects the message (KVM_SIGNAL_MSI), or holds it pending while masked;
 *  - a device whose interrupts come from elsewhere (a vhost-user backend's
 *    call eventfd, a VFIO device's trigger eventfd) attaches an eventfd with
 *    pci_msix__set_irqfd(): while the vector is unmasked KVM delivers it
 *    through an irqfd and an MSI route with no exit to triovm; while masked
 *    the irqfd is detached and triovm watches the eventfd to set the pending
 *    bit, which is cheaper than reprogramming the source (kvmtool measured
 *    ~8x against masking through VFIO).
 */
#ifndef TRIOVM_PCI_MSI_H
#define TRIOVM_PCI_MSI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct pci_device;

struct pci_msi_vector {
	uint64_t addr;
	uint32_t data;
	bool masked; /* the vector's own mask bit */
	bool pending;
	int gsi; /* MSI route while an irqfd is attached, else -1 */
	int irqfd; /* -1 when the device injects itself */
	bool irqfd_on; /* assigned to KVM now */
	bool polling; /* on the event loop, waiting while masked */
};

/* How a message is delivered; the default injects with KVM_SIGNAL_MSI. */
typedef int (*pci_msi_deliver_fn)(void *opaque, uint64_t addr, uint32_t data);
/* Called (with the lock held) after a vector's state changed. */
typedef void (*pci_msi_update_fn)(void *opaque, int vector);

struct pci_msix {
	struct pci_device *dev;
	pthread_mutex_t lock;
	uint16_t cap;
	int nr;
	int bar;
	uint32_t table_off, pba_off;
	uint32_t *table; /* nr * 4 dwords, as the guest wrote them */
	uint64_t *pba;
	bool enabled, func_masked;
	struct pci_msi_vector *v;
	pci_msi_deliver_fn deliver;
	void *deliver_opaque;
	pci_msi_update_fn update;
	void *update_opaque;
};

/*
 * Add an MSI-X capability with `nr` vectors whose table and PBA live at the
 * given offsets of BAR `bar` (which must be declared already); both get BAR
 * regions. Offsets must be 8-byte aligned and not overlap.
 */
int pci_msix__init(struct pci_device *d, int nr, int bar, uint32_t table_off,
		   uint32_t pba_off);
/*
 * The same with the capability at `cap`, for a device that keeps its own
 * capability layout (VFIO): the caller links it into the list.
 */
int pci_msix__init_at(struct pci_device *d, uint16_t cap, int nr, int bar,
		      uint32_t table_off, uint32_t pba_off);
void pci_msix__exit(struct pci_device *d);

/* Raise `vector` of an emulated device. */
void pci_msix__notify(struct pci_msix *m, int vector);
/* Attach (fd >= 0) or detach (fd = -1) an eventfd that raises `vector`. */
int pci_msix__set_irqfd(struct pci_msix *m, int vector, int fd);
bool pci_msix__enabled(struct pci_msix *m);
/* Whether `vector` would be delivered now (enabled and unmasked). */
bool pci_msix__vector_live(struct pci_msix *m, int vector);

/* The core calls this after a config write that touched the capability. */
void pci_msix__config_changed(struct pci_msix *m);

/* Table and PBA access (the BAR region handlers, exposed for tests). */
void pci_msix__table_access(void *opaque, uint64_t addr, uint8_t *data,
			    uint32_t len, bool is_write);
void pci_msix__pba_access(void *opaque, uint64_t addr, uint8_t *data,
			  uint32_t len, bool is_write);

#define PCI_MSI_MAX_VECTORS 32

struct pci_msi {
	struct pci_device *dev;
	pthread_mutex_t lock;
	uint16_t cap;
	int nr; /* vectors the device can ask for (a power of two) */
	bool is64, maskable;
	bool enabled;
	int nr_enabled; /* 1 << MME */
	struct pci_msi_vector v[PCI_MSI_MAX_VECTORS];
	pci_msi_deliver_fn deliver;
	void *deliver_opaque;
	pci_msi_update_fn update;
	void *update_opaque;
};

/* Add an MSI capability: `nr` vectors (1..32, a power of two). */
int pci_msi__init(struct pci_device *d, int nr, bool is64, bool maskable);
int pci_msi__init_at(struct pci_device *d, uint16_t cap, int nr, bool is64,
		     bool maskable);
void pci_msi__exit(struct pci_device *d);
void pci_msi__notify(struct pci_msi *m, int vector);
int pci_msi__set_irqfd(struct pci_msi *m, int vector, int fd);
bool pci_msi__enabled(struct pci_msi *m);
void pci_msi__config_changed(struct pci_msi *m);

#endif
