// SPDX-License-Identifier: GPL-2.0
/*
 * `triovm vfio probe`: a diagnostic that goes through the same steps as a VM
 * would (container, groups, IOMMU, KVM VFIO device, devices) and prints what
 * the kernel said, so that passthrough can be checked on a host without
 * booting a guest. Optional test DMA maps of a fresh memfd show what the
 * IOMMU layout check lets through.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/vfio.h>

#include "triovm/log.h"
#include "triovm/memory.h"
#include "triovm/util.h"
#include "triovm/vfio.h"

static const char *region_name(uint32_t index, char *buf, size_t len)
{
	static const char *const names[] = { "BAR0", "BAR1",   "BAR2",
					     "BAR3", "BAR4",   "BAR5",
					     "ROM",  "config", "VGA" };

	if (index < ARRAY_SIZE(names))
		return names[index];
	snprintf(buf, len, "device-specific");
	return buf;
}

static const char *irq_name(uint32_t index)
{
	static const char *const names[] = { "INTx", "MSI", "MSI-X", "ERR",
					     "REQ" };

	return index < ARRAY_SIZE(names) ? names[index] : "other";
}

static void print_flags(FILE *out, uint32_t flags, const char *const *names,
			int n)
{
	const char *sep = "";
	int i;

	for (i = 0; i < n; i++) {
		if (flags & (1u << i)) {
			fprintf(out, "%s%s", sep, names[i]);
			sep = ",";
		}
	}
	if (!*sep)
		fprintf(out, "-");
}

static void print_device(FILE *out, const struct vfio_device *dev)
{
	static const char *const rflags[] = { "read", "write", "mmap", "caps" };
	static const char *const iflags[] = { "eventfd", "maskable",
					      "automasked", "noresize" };
	char buf[32];
	uint32_t i, k;

	fprintf(out,
		"device %s: IOMMU group %u, flags 0x%x, %u regions, %u IRQ indexes, reset: %s\n",
		dev->name, dev->group->id, dev->flags, dev->nr_regions,
		dev->nr_irqs, vfio_reset_method__name(dev->reset));
	for (i = 0; i < dev->nr_regions; i++) {
		const struct vfio_region *r = &dev->regions[i];

		if (!r->size)
			continue;
		fprintf(out,
			"  region %u %s: size 0x%" PRIx64 " offset 0x%" PRIx64
			" flags ",
			r->index, region_name(r->index, buf, sizeof(buf)),
			r->size, r->offset);
		print_flags(out, r->flags, rflags, ARRAY_SIZE(rflags));
		if (r->msix_mappable)
			fprintf(out, " msix-mappable");
		if (r->sparse) {
			fprintf(out, " sparse:");
			for (k = 0; k < r->nr_areas; k++)
				fprintf(out, "%s0x%llx+0x%llx", k ? "," : " ",
					(unsigned long long)r->areas[k].offset,
					(unsigned long long)r->areas[k].size);
			if (!r->nr_areas)
				fprintf(out, " none");
		}
		fprintf(out, "\n");
	}
	for (i = 0; i < dev->nr_irqs; i++) {
		const struct vfio_irq *q = &dev->irqs[i];

		fprintf(out, "  irq %u %s: count %u flags ", q->index,
			irq_name(q->index), q->count);
		print_flags(out, q->flags, iflags, ARRAY_SIZE(iflags));
		fprintf(out, "\n");
	}
}

static void print_iommu(FILE *out, const struct vfio_container *c)
{
	const struct iommu_info *info = &c->dma.info;
	int i;

	fprintf(out, "iommu: page sizes 0x%" PRIx64 ", usable", info->pgsizes);
	if (!info->have_ranges)
		fprintf(out, " (not reported)");
	for (i = 0; i < info->usable.nr; i++)
		fprintf(out, "%s0x%" PRIx64 "-0x%" PRIx64, i ? "," : " ",
			info->usable.r[i].start, info->usable.r[i].last);
	if (info->have_dma_avail)
		fprintf(out, ", dma mappings available %u", info->dma_avail);
	fprintf(out, "\n");
	for (i = 0; i < c->dma.resv.nr; i++) {
		const struct iommu_resv_region *r = &c->dma.resv.r[i];

		fprintf(out,
			"reserved: 0x%" PRIx64 "-0x%" PRIx64
			" %s (IOMMU group %u)%s\n",
			r->start, r->last, r->type_name, r->group,
			iommu_resv__blocks_dma(r) ? "" : " relaxable");
	}
}

/* Map a fresh memfd of span->size at span->iova, then unmap it. */
static void try_dma(FILE *out, struct vfio_container *c,
		    const struct iova_span *s)
{
	void *hva;
	int fd;

	fd = memfd_create("triovm-dma-probe", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, s->size) < 0) {
		fprintf(out,
			"dma 0x%" PRIx64 "+0x%" PRIx64 ": no memory (%s)\n",
			s->iova, s->size, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	hva = mmap(NULL, s->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (hva == MAP_FAILED) {
		fprintf(out,
			"dma 0x%" PRIx64 "+0x%" PRIx64 ": no memory (%s)\n",
			s->iova, s->size, strerror(errno));
		return;
	}
	if (iommu_dma__map(&c->dma, s->iova, s->size, hva)) {
		fprintf(out, "dma 0x%" PRIx64 "+0x%" PRIx64 ": refused\n",
			s->iova, s->size);
	} else {
		fprintf(out, "dma 0x%" PRIx64 "+0x%" PRIx64 ": mapped\n",
			s->iova, s->size);
		iommu_dma__unmap(&c->dma, s->iova, s->size);
	}
	munmap(hva, s->size);
}

/* A bare VM, just for the KVM VFIO device; -1 where KVM is absent. */
static int bare_vm(int *sys_fd)
{
	int vm_fd;

	*sys_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (*sys_fd < 0)
		return -1;
	vm_fd = ioctl(*sys_fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0) {
		close(*sys_fd);
		*sys_fd = -1;
	}
	return vm_fd;
}

int vfio__probe(const char *sysfs, const char *dev_dir,
		const struct pci_addr *addrs, int n,
		const struct guest_mem *mem, const struct iova_span *dma,
		int nr_dma, FILE *out)
{
	struct vfio_container c;
	struct vfio_device *devs;
	int i, ret, sys_fd, vm_fd;

	devs = calloc(n ? n : 1, sizeof(*devs));
	if (!devs)
		return -ENOMEM;
	vm_fd = bare_vm(&sys_fd);
	ret = vfio__open_devices(&c, sysfs, dev_dir, vm_fd, mem, addrs, n,
				 devs);
	if (ret)
		goto out;
	print_iommu(out, &c);
	for (i = 0; mem && i < mem->nr_regions; i++)
		fprintf(out, "guest RAM 0x%" PRIx64 "-0x%" PRIx64 ": mapped\n",
			mem->regions[i].gpa,
			mem->regions[i].gpa + mem->regions[i].size - 1);
	if (vm_fd < 0) {
		fprintf(out, "kvm-vfio: no /dev/kvm, not tried\n");
	} else {
		fprintf(out, "kvm-vfio: groups");
		for (i = 0; i < c.nr_groups; i++)
			fprintf(out, " %u%s", c.groups[i].id,
				c.groups[i].kvm_added ? "" : "(not added)");
		fprintf(out, " added to the KVM VFIO device\n");
	}
	for (i = 0; i < n; i++)
		print_device(out, &devs[i]);
	for (i = 0; i < nr_dma; i++)
		try_dma(out, &c, &dma[i]);
	fflush(out);
	vfio__close_devices(&c, devs, n);
out:
	if (vm_fd >= 0)
		close(vm_fd);
	if (sys_fd >= 0)
		close(sys_fd);
	free(devs);
	return ret;
}
