/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's PCI: one root bus (segment 0, bus 0) behind the host bridge in
 * fullvirt-devs/pci-hostbridge.c, reached by configuration mechanism #1 and
 * by ECAM. A device model fills a `struct pci_device` (IDs, BARs,
 * capabilities) and calls pci__register(): the bus gives it a slot, places its
 * BARs as firmware would, and from then on routes config-space accesses and
 * BAR accesses to it.
 *
 * Config-space semantics live in `struct pci_config`: per-byte writable and
 * write-1-to-clear masks, so BAR sizing (write all ones, read back the size
 * mask), read-only IDs and RW1C status bits need no special cases.
 */
#ifndef TRIOVM_PCI_H
#define TRIOVM_PCI_H

#include <linux/pci_regs.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "iobus.h"
#include "list.h"

struct vm;
struct pci_device;
struct pci_msi;
struct pci_msix;

#ifndef PCI_SLOT
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn)&0x07)
#endif

/* Class codes (base class << 16 | subclass << 8 | prog-if) triovm uses. */
#define PCI_CLASS_CODE_HOST_BRIDGE 0x060000
#define PCI_CLASS_CODE_ETHERNET 0x020000
#define PCI_CLASS_CODE_OTHER 0xff0000

#define PCI_MAX_SLOTS 32
#define PCI_NUM_BARS 6
#define PCI_BAR_MAX_REGIONS 8
/* INTx: slot s, pin p (0 = INTA) is wired to GSI 16 + (s + p) % 8. */
#define PCI_INTX_GSI_BASE 16
#define PCI_INTX_GSI_COUNT 8

/* Config space contents and the rules for writing it. */
struct pci_config {
	uint8_t data[PCI_CFG_SPACE_EXP_SIZE];
	uint8_t wmask[PCI_CFG_SPACE_EXP_SIZE];
	uint8_t w1cmask[PCI_CFG_SPACE_EXP_SIZE];
	uint16_t size; /* 256, or 4096 for PCI Express */
	uint8_t last_cap; /* standard capability list tail (0 = empty) */
	uint16_t last_ext_cap; /* extended capability list tail */
	uint16_t free_cap; /* next free byte for a standard capability */
	uint16_t free_ext_cap;
};

void pci_config__init(struct pci_config *c, bool express);
/* Reads outside the space (or misaligned across it) return all ones. */
uint32_t pci_config__read(const struct pci_config *c, uint32_t off, int len);
/* Applies wmask and w1cmask; returns false if nothing was in range. */
bool pci_config__write(struct pci_config *c, uint32_t off, uint32_t val,
		       int len);
/*
 * Append a capability of `len` bytes (header included) to the list and
 * return its offset, or 0 if there is no room. The ID and next pointer are
 * filled in and read-only; the rest is zero and read-only until masked.
 */
uint16_t pci_config__add_cap(struct pci_config *c, uint8_t id, uint8_t len);
uint16_t pci_config__add_ext_cap(struct pci_config *c, uint16_t id,
				 uint8_t version, uint16_t len);
/* Offset of the first capability with this ID, 0 if none. */
uint16_t pci_config__find_cap(const struct pci_config *c, uint8_t id);

/* Raw little-endian accessors and mask setters for device models. */
void pci_config__set8(struct pci_config *c, uint32_t off, uint8_t v);
void pci_config__set16(struct pci_config *c, uint32_t off, uint16_t v);
void pci_config__set32(struct pci_config *c, uint32_t off, uint32_t v);
uint8_t pci_config__get8(const struct pci_config *c, uint32_t off);
uint16_t pci_config__get16(const struct pci_config *c, uint32_t off);
uint32_t pci_config__get32(const struct pci_config *c, uint32_t off);
void pci_config__set_wmask(struct pci_config *c, uint32_t off, uint32_t mask,
			   int len);
void pci_config__set_w1cmask(struct pci_config *c, uint32_t off, uint32_t mask,
			     int len);

enum pci_bar_type {
	PCI_BAR_NONE,
	PCI_BAR_IO,
	PCI_BAR_MEM32,
	PCI_BAR_MEM64, /* takes this BAR and the next */
};

/* A handler for part of a BAR (registers, an MSI-X table, a PBA). */
struct pci_bar_region {
	uint64_t offset;
	uint64_t size;
	iobus_fn fn;
	void *opaque;
	const char *name;
};

struct pci_bar {
	enum pci_bar_type type;
	bool prefetchable;
	uint64_t size; /* a power of two */
	uint64_t addr; /* where the guest put it */
	bool mapped; /* decoded: enabled in COMMAND and at a valid address */
	struct pci_bar_region regions[PCI_BAR_MAX_REGIONS];
	int nr_regions;
};

struct pci_device_ops {
	/*
	 * Optional: after the generic write has been applied (masks, BARs,
	 * MSI/MSI-X), e.g. for VFIO to pass bytes on to the real device.
	 */
	void (*config_write)(struct pci_device *d, uint32_t off, uint32_t val,
			     int len);
	/* Optional: adjust a read (VFIO reads the real device). */
	uint32_t (*config_read)(struct pci_device *d, uint32_t off, int len,
				uint32_t val);
	/*
	 * Optional: a BAR was mapped, moved or unmapped (addr valid when
	 * mapped). Regions are (un)registered on the buses by the core
	 * before this is called; a device that maps BAR memory straight into
	 * KVM (VFIO) does so here.
	 */
	void (*bar_update)(struct pci_device *d, int bar, bool mapped,
			   uint64_t addr);
	/* Optional: COMMAND bit INTX_DISABLE or bus master changed. */
	void (*command_update)(struct pci_device *d, uint16_t old,
			       uint16_t now);
};

struct pci_device {
	struct vm *vm;
	const char *name;
	struct list_head list;
	pthread_mutex_t lock; /* config space and BAR state */
	struct pci_config cfg;
	struct pci_bar bars[PCI_NUM_BARS];
	const struct pci_device_ops *ops;
	void *opaque;
	uint8_t slot; /* assigned by pci__register */
	uint8_t intx_pin; /* 0 = none, 1..4 = INTA..INTD */
	uint32_t intx_gsi;
	bool intx_level; /* what the device asks for */
	bool intx_line; /* what it drives onto its GSI (bus lock) */
	struct pci_msi *msi;
	struct pci_msix *msix;
	/* Per-device exit accounting for config and BAR accesses. */
	uint64_t config_exits;
};

/*
 * Set up a type-0 header. `express` gives a 4 KiB config space (the caller
 * adds a PCI Express capability).
 */
void pci_device__init(struct pci_device *d, struct vm *vm, const char *name,
		      uint16_t vendor, uint16_t device, uint32_t class_code,
		      uint8_t revision, bool express);
void pci_device__set_subsystem(struct pci_device *d, uint16_t vendor,
			       uint16_t id);
/* INTx pin 1..4 (INTA..INTD); the GSI is known after pci__register. */
void pci_device__set_intx_pin(struct pci_device *d, uint8_t pin);

/* Declare BAR `bar` of `size` bytes (a power of two, >= 16 for memory). */
int pci_device__add_bar(struct pci_device *d, int bar, enum pci_bar_type type,
			uint64_t size, bool prefetchable);
/* Route [offset, offset + size) of a BAR to fn. */
int pci_device__add_bar_region(struct pci_device *d, int bar, uint64_t offset,
			       uint64_t size, iobus_fn fn, void *opaque,
			       const char *name);

/* Assert or deassert the device's INTx line (honours INTX_DISABLE). */
void pci_device__set_intx(struct pci_device *d, bool level);

/* Config access from the host bridge; `devfn` on bus 0. */
uint32_t pci__config_read(struct vm *vm, uint8_t bus, uint8_t devfn,
			  uint32_t off, int len);
void pci__config_write(struct vm *vm, uint8_t bus, uint8_t devfn, uint32_t off,
		       uint32_t val, int len);

/* The GSI slot `slot`'s pin (1..4) is wired to, as the DSDT's _PRT says. */
uint32_t pci__intx_gsi(uint8_t slot, uint8_t pin);

/* Put the device on the root bus: slot, BAR placement, INTx GSI. */
int pci__register(struct vm *vm, struct pci_device *d);
/* Create the root bus (the host bridge does this). */
int pci__init_bus(struct vm *vm);
void pci__exit_bus(struct vm *vm);

#endif
