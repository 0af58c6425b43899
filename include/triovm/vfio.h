/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host PCI devices through VFIO (type1v2 IOMMU, group API): one container per
 * VM, groups opened once and shared by their devices, the KVM VFIO device
 * told about each group, and per device its regions (with sparse-mmap areas)
 * and interrupts, ready for the guest-side device model to build on.
 *
 * The order the kernel wants (Documentation/driver-api/vfio.rst) is kept by
 * vfio__open_devices(); the steps are public for callers that need them
 * apart:
 *   vfio_container__open
 *   vfio_container__add_group     (every group, before the IOMMU is set)
 *   vfio_container__set_iommu     (SET_IOMMU, GET_INFO, reserved regions)
 *   vfio_container__attach_kvm    (KVM_DEV_VFIO_GROUP_ADD for each group)
 *   iommu_dma__map_guest_mem(&c->dma, mem)
 *   vfio_device__open             (GET_DEVICE_FD, infos, reset)
 */
#ifndef TRIOVM_VFIO_H
#define TRIOVM_VFIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/vfio.h>

#include "iommu.h"
#include "pci-addr.h"

struct guest_mem;

#define VFIO_DEV_DIR "/dev/vfio"
#define VFIO_MAX_GROUPS 16

struct vfio_group {
	unsigned int id;
	int fd;
	int nr_devices; /* devices opened through this fd */
	bool kvm_added;
};

struct vfio_container {
	int fd;
	const char *sysfs; /* "/sys" */
	const char *dev_dir; /* "/dev/vfio" */
	bool iommu_set;
	int kvm_dev_fd; /* the KVM VFIO device; -1 until attach_kvm */
	struct vfio_group groups[VFIO_MAX_GROUPS];
	int nr_groups;
	struct iommu_dma dma; /* guest RAM's mappings in this container */
};

/* One VFIO region (BARs, ROM, config space, VGA, device-specific). */
struct vfio_region {
	uint32_t index; /* VFIO_PCI_*_REGION_INDEX */
	uint32_t flags; /* VFIO_REGION_INFO_FLAG_READ/WRITE/MMAP */
	uint64_t size; /* 0: the device does not implement it */
	uint64_t offset; /* where it is in the device fd (pread/mmap) */
	/* The MSI-X table may be mapped (VFIO_REGION_INFO_CAP_MSIX_MAPPABLE). */
	bool msix_mappable;
	/*
	 * VFIO_REGION_INFO_CAP_SPARSE_MMAP: only these areas (offsets within
	 * the region) may be mmapped; the rest must be trapped. Without the
	 * capability a region with FLAG_MMAP may be mapped whole.
	 */
	bool sparse;
	uint32_t nr_areas;
	struct vfio_region_sparse_mmap_area *areas;
};

/* One interrupt index (VFIO_PCI_INTX/MSI/MSIX/ERR/REQ_IRQ_INDEX). */
struct vfio_irq {
	uint32_t index;
	uint32_t flags; /* VFIO_IRQ_INFO_* */
	uint32_t count; /* 0: not available */
};

enum vfio_reset_method {
	VFIO_RESET_NONE,
	VFIO_RESET_DEVICE, /* VFIO_DEVICE_RESET (FLR, PM, slot...) */
	VFIO_RESET_BUS, /* VFIO_DEVICE_PCI_HOT_RESET of its bus or slot */
};

struct vfio_device {
	struct pci_addr addr;
	char name[PCI_ADDR_STRLEN];
	int fd;
	struct vfio_container *container;
	struct vfio_group *group;
	uint32_t flags; /* VFIO_DEVICE_FLAGS_* */
	uint32_t nr_regions;
	struct vfio_region *regions;
	uint32_t nr_irqs;
	struct vfio_irq *irqs;
	enum vfio_reset_method reset;
	/*
	 * The host asked for it back (vfio/pci-req.c). Its removal holds the
	 * device lock, so a reset would fail with EAGAIN, and the device is
	 * leaving vfio-pci for a host driver or for nothing.
	 */
	bool taken_back;
};

/* ---- container and groups (container.c, group.c, kvm-vfio.c) ---- */

/*
 * Open /dev/vfio/vfio and check the API version and type1v2. `sysfs` and
 * `dev_dir` are normally SYSFS_ROOT and VFIO_DEV_DIR; both must outlive c.
 */
int vfio_container__open(struct vfio_container *c, const char *sysfs,
			 const char *dev_dir);
/*
 * Open IOMMU group `id` (or find it open already), check that it is viable
 * and attach it to the container; `bdf` names the device asking, in
 * messages. New groups only before vfio_container__set_iommu.
 */
int vfio_container__add_group(struct vfio_container *c, unsigned int id,
			      const char *bdf, struct vfio_group **out);
struct vfio_group *vfio_container__find_group(struct vfio_container *c,
					      unsigned int id);
/*
 * VFIO_SET_IOMMU(TYPE1v2) once every group is attached; then read the usable
 * IOVA ranges (VFIO_IOMMU_GET_INFO) and every group's reserved regions into
 * c->dma, against which DMA maps are checked.
 */
int vfio_container__set_iommu(struct vfio_container *c);
/*
 * Create the KVM VFIO device on `vm_fd` and add every group to it, so that
 * KVM knows a device may do non-coherent DMA (and, with SPAPR, TCEs). Must
 * come before any device fd is taken from the groups.
 */
int vfio_container__attach_kvm(struct vfio_container *c, int vm_fd);
/* KVM_DEV_VFIO_GROUP_DEL for each group added (vfio_container__close). */
void vfio_container__detach_kvm(struct vfio_container *c);
/* Undo everything: KVM device groups, DMA maps, groups, the container. */
void vfio_container__close(struct vfio_container *c);

/*
 * Open /dev/vfio/ID for `bdf` (used in messages). Returns the fd or a
 * negative errno after one line saying why: busy (names the process holding
 * it where it can), missing, permission.
 */
int vfio_group__open_fd(const char *dev_dir, unsigned int id, const char *bdf);
/*
 * Does a process (a guest) hold the IOMMU group of the device at `a`? If so,
 * one line says who, and true.
 */
bool vfio_group__busy(const char *sysfs, const struct pci_addr *a,
		      const char *bdf);
/*
 * Who holds the IOMMU group of the device at `a` open, quietly: 0 nobody,
 * the pid (its name in `comm`), or -1 when busy but the holder is not found.
 */
pid_t vfio_group__holder(const char *sysfs, const struct pci_addr *a,
			 char *comm, size_t len);
/* VFIO_GROUP_GET_STATUS: 0 if viable, -EBUSY (message naming why) if not. */
int vfio_group__check_viable(int fd, const char *sysfs, unsigned int id,
			     const char *bdf);

/* ---- devices (device.c, region-info.c, reset.c) ---- */

/*
 * Take the device from its group (already in the container, IOMMU set, KVM
 * attached), read its device, region and IRQ info and reset it.
 */
int vfio_device__open(struct vfio_container *c, const struct pci_addr *a,
		      struct vfio_device *dev);
/* Reset the device and give it back to its group. */
void vfio_device__close(struct vfio_device *dev);

const struct vfio_region *vfio_device__region(const struct vfio_device *dev,
					      uint32_t index);
const struct vfio_irq *vfio_device__irq(const struct vfio_device *dev,
					uint32_t index);

/*
 * Decode a struct vfio_region_info and its capability chain (sparse mmap
 * areas, MSI-X mappable), `len` bytes as the kernel filled them; areas are
 * checked to lie inside the region. Free with vfio_region__release.
 */
int vfio_region__parse_info(const void *buf, size_t len, struct vfio_region *r);
void vfio_region__release(struct vfio_region *r);
/* VFIO_DEVICE_GET_REGION_INFO; a region the device lacks gets size 0. */
int vfio_device__read_region(struct vfio_device *dev, uint32_t index,
			     struct vfio_region *r);

/* How the device can be reset: its flags, else the hot-reset info. */
enum vfio_reset_method vfio_device__reset_method(struct vfio_device *dev);
/*
 * VFIO_DEVICE_RESET, else a hot reset of its bus when every group that
 * shares it is in this container. 0, -ENOTTY when there is no way.
 */
int vfio_device__reset(struct vfio_device *dev);
const char *vfio_reset_method__name(enum vfio_reset_method m);

/* ---- the whole sequence (setup.c) ---- */

/*
 * Open `n` host devices for one VM in the kernel's order: their groups into
 * container `c`, the IOMMU, the KVM VFIO device (vm_fd < 0: none), the DMA
 * map of `mem` (NULL: none), then the devices. On failure everything is
 * closed again and a negative errno returned (one line printed).
 */
int vfio__open_devices(struct vfio_container *c, const char *sysfs,
		       const char *dev_dir, int vm_fd,
		       const struct guest_mem *mem,
		       const struct pci_addr *addrs, int n,
		       struct vfio_device *devs);
void vfio__close_devices(struct vfio_container *c, struct vfio_device *devs,
			 int n);

/* ---- the command line (device-spec.c, preflight.c) ---- */

/* `--device vfio,host=DDDD:BB:DD.F`. */
struct vfio_device_spec {
	struct pci_addr host;
};

/* One spec: 0, or -EINVAL after one line saying what is wrong. */
int vfio_device_spec__parse(const char *spec, struct vfio_device_spec *out);
/*
 * Every --device string (vm_options.devices): at most `max` specs into
 * `out`, a device given twice refused. Returns how many, or -EINVAL.
 */
int vfio_device_specs__parse(const char *const *specs, int n,
			     struct vfio_device_spec *out, int max);

/*
 * Everything that can be known before touching the devices, one line each:
 * the device exists, the host has an IOMMU, the device is bound to vfio-pci,
 * its group is viable (naming the other devices and how to free them) and
 * not in use by another process. Every fd it opens is closed again.
 * 0, or a negative errno after the line (the command exits with status 2).
 */
int vfio__preflight(const char *sysfs, const char *dev_dir,
		    const struct pci_addr *addrs, int n);

/*
 * `triovm vfio probe`: open the devices as a VM would (KVM VFIO device on a
 * bare VM where /dev/kvm exists, `mem` mapped for DMA unless NULL), print
 * IOMMU info, reserved regions, regions with their sparse areas and IRQs to
 * `out`, then try each of `dma` as a DMA map of a fresh memfd and say
 * whether it was mapped or refused.
 */
int vfio__probe(const char *sysfs, const char *dev_dir,
		const struct pci_addr *addrs, int n,
		const struct guest_mem *mem, const struct iova_span *dma,
		int nr_dma, FILE *out);

#endif
