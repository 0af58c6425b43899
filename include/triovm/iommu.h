/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host IOMMU as VFIO's type1 backend sees it: IOMMU groups and their
 * viability (sysfs), the groups' reserved regions, the container's usable
 * IOVA ranges (VFIO_IOMMU_GET_INFO), and the DMA map of guest memory with
 * IOVA = guest physical address.
 *
 * Every function that reads sysfs takes its root ("/sys") so that tests can
 * point it at a tree they built.
 */
#ifndef TRIOVM_IOMMU_H
#define TRIOVM_IOMMU_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci-addr.h"

struct guest_mem;

#define IOMMU_MAX_RANGES 64

/* Inclusive, as the kernel reports them: `last` may be 2^64 - 1. */
struct iova_range {
	uint64_t start;
	uint64_t last;
};

struct iova_ranges {
	struct iova_range r[IOMMU_MAX_RANGES];
	int nr;
};

/* ---- IOMMU groups (iommu-group.c) ---- */

/* True when the host has an IOMMU: /sys/kernel/iommu_groups has a group. */
bool iommu__present(const char *sysfs);

/*
 * The IOMMU group of a PCI device: 0, -ENODEV when there is no such device,
 * -ENOENT when it has no group (no IOMMU, or the IOMMU does not cover it).
 */
int iommu__group_of(const char *sysfs, const struct pci_addr *a,
		    unsigned int *group);

struct iommu_group_dev {
	char name[NAME_MAX + 1]; /* sysfs name: "0000:00:02.0" for PCI */
	bool is_pci;
	struct pci_addr addr; /* when is_pci */
	bool bridge; /* a PCI bridge: never an obstacle to viability */
	char driver[NAME_MAX + 1]; /* "" when unbound */
};

struct iommu_group {
	unsigned int id;
	int nr_devices;
	struct iommu_group_dev *devices;
};

/* Read /sys/kernel/iommu_groups/ID/devices; free with iommu_group__release. */
int iommu_group__read(const char *sysfs, unsigned int id,
		      struct iommu_group *g);
void iommu_group__release(struct iommu_group *g);

/*
 * Whether this device keeps its group from being used through VFIO: the
 * kernel's rule (DMA ownership) lets a group be opened only when every
 * device in it is unbound or bound to a driver that leaves DMA to its user
 * (vfio-pci and its variants, pci-stub) or is a bridge (pcieport).
 */
bool iommu_group_dev__blocks(const struct iommu_group_dev *d);
bool iommu_driver__vfio(const char *driver);

/* 0 when viable; else -EBUSY with the number of blocking devices in *nr. */
int iommu_group__viable(const struct iommu_group *g, int *nr_blocking);

/*
 * One line naming what keeps the group from being viable and how to free
 * each device ("0000:00:02.1 (bound to e1000e: triovm vfio bind
 * 0000:00:02.1)"), the blockers separated by "; ".
 */
void iommu_group__describe_blockers(const struct iommu_group *g, char *buf,
				    size_t len);

/* ---- reserved regions (reserved-regions.c) ---- */

enum iommu_resv_type {
	IOMMU_RESV_TYPE_DIRECT, /* "direct": identity-mapped for the device */
	IOMMU_RESV_TYPE_DIRECT_RELAXABLE, /* "direct-relaxable" (USB, GPU RMRR) */
	IOMMU_RESV_TYPE_RESERVED, /* "reserved": never mapped */
	IOMMU_RESV_TYPE_MSI, /* "msi": the interrupt window */
	IOMMU_RESV_TYPE_OTHER, /* a name this triovm does not know */
};

struct iommu_resv_region {
	uint64_t start;
	uint64_t last;
	enum iommu_resv_type type;
	char type_name[24];
	unsigned int group;
};

struct iommu_resv_regions {
	struct iommu_resv_region r[IOMMU_MAX_RANGES];
	int nr;
};

/*
 * Append the regions of a reserved_regions text ("0x%016llx 0x%016llx %s"
 * lines, inclusive ends) to `out`, tagged with `group`. Returns 0, -EINVAL
 * after printing the malformed line, or -E2BIG.
 */
int iommu_resv__parse(const char *text, unsigned int group,
		      struct iommu_resv_regions *out);
/* The same from /sys/kernel/iommu_groups/GROUP/reserved_regions. */
int iommu_resv__read(const char *sysfs, unsigned int group,
		     struct iommu_resv_regions *out);

/*
 * Whether DMA may not be mapped over the region: all but direct-relaxable,
 * which VFIO's type1 itself lets users map (vfio_iommu_resv_exclude).
 */
bool iommu_resv__blocks_dma(const struct iommu_resv_region *r);

/* ---- the layout check (iova-layout.c): pure ---- */

/* One range to be mapped for DMA: IOVA (= guest physical) and length. */
struct iova_span {
	uint64_t iova;
	uint64_t size;
};

struct iova_conflict {
	int span; /* index of the offending span */
	uint64_t start; /* the offending IOVAs, inclusive */
	uint64_t last;
	/* The reserved region hit, or NULL: outside every usable range. */
	const struct iommu_resv_region *resv;
};

/*
 * Whether `spans` can be mapped: no byte inside a reserved region that
 * blocks DMA, every byte inside `usable` (NULL when the kernel did not say).
 * Returns 0, or -EINVAL with the first conflict in *why.
 */
int iommu__check_layout(const struct iova_span *spans, int nr,
			const struct iommu_resv_regions *resv,
			const struct iova_ranges *usable,
			struct iova_conflict *why);
/* "0xfee00000-0xfeefffff is the msi reserved region of IOMMU group 3". */
void iova_conflict__format(const struct iova_conflict *c, char *buf,
			   size_t len);

/* ---- VFIO_IOMMU_GET_INFO (iommu-info.c) ---- */

struct iommu_info {
	uint64_t pgsizes; /* bitmap of the IOMMU's page sizes */
	bool have_ranges; /* VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE */
	struct iova_ranges usable;
	bool have_dma_avail; /* VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL */
	uint32_t dma_avail;
};

/*
 * Decode a struct vfio_iommu_type1_info and its capability chain, `len`
 * bytes as the kernel filled them. A chain that points backwards, into the
 * fixed part or outside the buffer is refused (-EINVAL), never followed.
 */
int iommu_info__parse(const void *buf, size_t len, struct iommu_info *out);
/* VFIO_IOMMU_GET_INFO on a container whose IOMMU is set. */
int iommu_info__query(int container_fd, struct iommu_info *out);

/* ---- the DMA map (dma-map.c) ---- */

#define IOMMU_DMA_MAX_MAPS 64

struct iommu_dma {
	int container_fd; /* borrowed from the VFIO container */
	struct iommu_info info;
	struct iommu_resv_regions resv; /* of every group in the container */
	struct iova_span maps[IOMMU_DMA_MAX_MAPS];
	int nr_maps;
};

void iommu_dma__init(struct iommu_dma *d, int container_fd);
/*
 * Map [iova, iova + size) to host memory at `hva` for device reads and
 * writes, after checking it against the reserved regions and usable
 * ranges. Returns 0 or a negative errno after printing why.
 */
int iommu_dma__map(struct iommu_dma *d, uint64_t iova, uint64_t size,
		   void *hva);
int iommu_dma__unmap(struct iommu_dma *d, uint64_t iova, uint64_t size);
/*
 * Map all guest RAM at IOVA = GPA. The whole layout is checked first, so a
 * refused layout maps nothing.
 */
int iommu_dma__map_guest_mem(struct iommu_dma *d, const struct guest_mem *mem);
void iommu_dma__unmap_all(struct iommu_dma *d);

#endif
