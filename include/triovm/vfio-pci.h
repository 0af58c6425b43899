/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A host PCI device passed through to the guest (`--device vfio,host=BDF`):
 * the guest-side PCI function built on a `struct vfio_device` (vfio.h).
 *
 *  vfio/pci-config.c  config space: a virtual header, BARs and MSI/MSI-X,
 *                     the rest of the capabilities passed to the device,
 *                     SR-IOV/ARI/ReBAR hidden from the guest
 *  vfio/pci-bars.c    BARs: mmapped parts in KVM memory slots (no exits),
 *                     the rest trapped and forwarded
 *  vfio/pci-msix.c    MSI-X vectors: VFIO eventfds into KVM irqfds
 *  vfio/pci-msi.c     MSI, the same way
 *  vfio/pci-intx.c    INTx: trigger and unmask eventfds, a resampling irqfd
 *  vfio/pci-req.c     the host asking for the device back: the VM stops
 *  vfio/pci-device.c  creating and destroying them, the VM's VFIO state
 */
#ifndef TRIOVM_VFIO_PCI_H
#define TRIOVM_VFIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"
#include "options.h"
#include "pci-msi.h"
#include "pci.h"
#include "vfio.h"

struct vm;

#define VFIO_PCI_MAX_RANGES 8

struct vfio_pci_range {
	uint64_t start, end; /* offsets in the BAR, end exclusive */
};

/* Where each byte of a BAR goes: straight to the device, or through triovm. */
struct vfio_bar_layout {
	struct vfio_pci_range mapped[VFIO_PCI_MAX_RANGES]; /* KVM slots */
	int nr_mapped;
	struct vfio_pci_range trapped[VFIO_PCI_MAX_RANGES]; /* pread/pwrite */
	int nr_trapped;
};

/* The MSI-X table or PBA inside a BAR, for the layout. */
struct vfio_msix_place {
	bool present;
	uint64_t table_off, table_len, pba_off, pba_len;
};

/*
 * Split a BAR of `size` bytes: the mmappable areas (the whole BAR when
 * `areas` is NULL and the region can be mmapped; nothing when it cannot),
 * less the pages holding the MSI-X table and PBA, go to KVM;
 * everything else that is not the table or PBA (which the MSI-X emulation
 * owns) is trapped. Ranges are page-aligned where mapped. -E2BIG if the
 * result has too many pieces.
 */
int vfio_bar__layout(uint64_t size, bool mmappable,
		     const struct vfio_pci_range *areas, int nr_areas,
		     const struct vfio_msix_place *msix, uint64_t page,
		     struct vfio_bar_layout *out);

struct vfio_pci_trap {
	struct vfio_pci *vp;
	int bar;
	uint64_t base; /* offset of this trapped range in the BAR */
};

struct vfio_pci_bar {
	const struct vfio_region *region;
	struct vfio_bar_layout layout;
	void *maps[VFIO_PCI_MAX_RANGES]; /* mmap of each mapped range */
	int slots[VFIO_PCI_MAX_RANGES];
	uint64_t gpa; /* where the slots are, when mapped */
	bool in_guest;
	struct vfio_pci_trap traps[VFIO_PCI_MAX_RANGES];
};

enum vfio_irq_mode { VFIO_IRQ_OFF, VFIO_IRQ_INTX, VFIO_IRQ_MSI, VFIO_IRQ_MSIX };

struct vfio_pci {
	struct vm_extra_device extra;
	struct vm *vm;
	struct vfio_device *dev;
	struct pci_device pci;
	char name[40];
	const struct vfio_region *cfg_region;
	uint32_t cfg_size;
	/* Bytes of config space that triovm emulates (1) or passes on (0). */
	uint8_t emulated[PCI_CFG_SPACE_EXP_SIZE / 8];
	struct vfio_pci_bar bars[PCI_NUM_BARS];
	/* Interrupts. */
	enum vfio_irq_mode irq_mode;
	int *msix_fds;
	int nr_msix;
	int msi_fds[PCI_MSI_MAX_VECTORS];
	int nr_msi;
	int msi_enabled; /* vectors VFIO has for MSI now */
	int intx_fd, intx_unmask_fd;
	bool intx_wired;
	int req_fd; /* VFIO_PCI_REQ_IRQ_INDEX */
	bool req_wired;
};

/* The VM's passed-through devices: one VFIO container for all. */
struct vfio_vm {
	struct vfio_container container;
	struct vfio_device devs[OPT_MAX_DEVICES];
	struct pci_addr addrs[OPT_MAX_DEVICES];
	struct vfio_pci *pcis[OPT_MAX_DEVICES];
	int nr;
	bool open;
};

/* Parse --device and run the pre-flight checks, before KVM is touched. */
int vfio__vm_prepare(struct vm *vm);
/* Open the devices (after guest RAM and the PCI bus exist) and plug them in. */
int vfio__vm_init(struct vm *vm);
void vfio__vm_exit(struct vm *vm);

/* Internals of vfio/pci-*.c. */
int vfio_pci__config_init(struct vfio_pci *vp);
/*
 * The guest's extended capability chain from the device's config space
 * `phys` (cfg_size bytes): SR-IOV, ARI and Resizable BARs unlinked.
 */
void vfio_pci__ext_caps_init(struct vfio_pci *vp, const uint8_t *phys);
uint32_t vfio_pci__config_read(struct pci_device *d, uint32_t off, int len,
			       uint32_t val);
void vfio_pci__config_write(struct pci_device *d, uint32_t off, uint32_t val,
			    int len);
bool vfio_pci__byte_emulated(const struct vfio_pci *vp, uint32_t off);
void vfio_pci__set_emulated(struct vfio_pci *vp, uint32_t off, uint32_t len);
int vfio_pci__bars_init(struct vfio_pci *vp);
void vfio_pci__bars_exit(struct vfio_pci *vp);
void vfio_pci__bar_update(struct pci_device *d, int bar, bool mapped,
			  uint64_t addr);
int vfio_pci__msix_init(struct vfio_pci *vp);
void vfio_pci__msix_exit(struct vfio_pci *vp);
int vfio_pci__msi_init(struct vfio_pci *vp);
void vfio_pci__msi_exit(struct vfio_pci *vp);
int vfio_pci__intx_init(struct vfio_pci *vp);
void vfio_pci__intx_exit(struct vfio_pci *vp);
int vfio_pci__req_init(struct vfio_pci *vp);
void vfio_pci__req_exit(struct vfio_pci *vp);
/* VFIO_DEVICE_SET_IRQS: `count` eventfds from `fds`, or none (count 0). */
int vfio_pci__set_irqs(struct vfio_pci *vp, uint32_t index, uint32_t action,
		       const int *fds, int count);
/*
 * Switch what VFIO delivers: MSI-X, MSI (count vectors), INTx (the state
 * without MSI), or nothing (teardown).
 */
int vfio_pci__set_irq_mode(struct vfio_pci *vp, enum vfio_irq_mode mode,
			   int count);

#endif
