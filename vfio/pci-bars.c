// SPDX-License-Identifier: GPL-2.0
/*
 * A passed-through device's BARs. The parts VFIO lets us mmap go into KVM
 * memory slots at the BAR's guest address, so the guest's accesses reach the
 * device with no exit; the MSI-X table and PBA pages stay out (the guest
 * must see triovm's emulation, not the real table); everything else is trapped and forwarded with
 * pread/pwrite on the device fd.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "triovm/kvm.h"
#include "triovm/log.h"
#include "triovm/vfio-pci.h"
#include "triovm/vm.h"

struct range_set {
	struct vfio_pci_range r[2 * VFIO_PCI_MAX_RANGES];
	int n;
};

static int add(struct range_set *s, uint64_t start, uint64_t end)
{
	if (start >= end)
		return 0;
	if (s->n == (int)ARRAY_SIZE(s->r))
		return -E2BIG;
	s->r[s->n].start = start;
	s->r[s->n].end = end;
	s->n++;
	return 0;
}

/* s minus [start, end). */
static int subtract(struct range_set *s, uint64_t start, uint64_t end)
{
	struct range_set out = { .n = 0 };
	int i, ret = 0;

	for (i = 0; i < s->n && !ret; i++) {
		struct vfio_pci_range r = s->r[i];

		if (end <= r.start || start >= r.end) {
			ret = add(&out, r.start, r.end);
			continue;
		}
		ret = add(&out, r.start, start);
		if (!ret)
			ret = add(&out, end, r.end);
	}
	*s = out;
	return ret;
}

int vfio_bar__layout(uint64_t size, bool mmappable,
		     const struct vfio_pci_range *areas, int nr_areas,
		     const struct vfio_msix_place *msix, uint64_t page,
		     struct vfio_bar_layout *out)
{
	struct range_set mapped = { .n = 0 }, trapped = { .n = 0 };
	int i, ret = 0;

	memset(out, 0, sizeof(*out));
	if (mmappable) {
		if (!areas) {
			ret = add(&mapped, 0, size);
		} else {
			for (i = 0; i < nr_areas && !ret; i++) {
				/* Only whole pages can be slots. */
				uint64_t s = ALIGN_UP(areas[i].start, page);
				uint64_t e = ALIGN_DOWN(min(areas[i].end, size),
							page);

				ret = add(&mapped, s, e);
			}
		}
	}
	if (!ret && msix && msix->present) {
		ret = subtract(&mapped, ALIGN_DOWN(msix->table_off, page),
			       ALIGN_UP(msix->table_off + msix->table_len,
					page));
		if (!ret)
			ret = subtract(&mapped, ALIGN_DOWN(msix->pba_off, page),
				       ALIGN_UP(msix->pba_off + msix->pba_len,
						page));
	}
	/* Trapped: the rest of the BAR, except what MSI-X emulates. */
	if (!ret)
		ret = add(&trapped, 0, size);
	for (i = 0; i < mapped.n && !ret; i++)
		ret = subtract(&trapped, mapped.r[i].start, mapped.r[i].end);
	if (!ret && msix && msix->present) {
		ret = subtract(&trapped, msix->table_off,
			       msix->table_off + msix->table_len);
		if (!ret)
			ret = subtract(&trapped, msix->pba_off,
				       msix->pba_off + msix->pba_len);
	}
	if (ret || mapped.n > VFIO_PCI_MAX_RANGES ||
	    trapped.n > VFIO_PCI_MAX_RANGES)
		return -E2BIG;
	memcpy(out->mapped, mapped.r, mapped.n * sizeof(mapped.r[0]));
	out->nr_mapped = mapped.n;
	memcpy(out->trapped, trapped.r, trapped.n * sizeof(trapped.r[0]));
	out->nr_trapped = trapped.n;
	return 0;
}

static void trap_access(void *opaque, uint64_t addr, uint8_t *data,
			uint32_t len, bool is_write)
{
	struct vfio_pci_trap *t = opaque;
	const struct vfio_region *r = t->vp->bars[t->bar].region;
	off_t off = r->offset + t->base + addr;
	ssize_t n;

	n = is_write ? pwrite(t->vp->dev->fd, data, len, off) :
		       pread(t->vp->dev->fd, data, len, off);
	if (n != (ssize_t)len) {
		if (!is_write)
			memset(data, 0xff, len);
		pr_warn_ratelimited("%s: BAR%d access at 0x%llx failed",
				    t->vp->name, t->bar,
				    (unsigned long long)(t->base + addr));
	}
}

static void slots_set(struct vfio_pci *vp, int bar, uint64_t gpa, bool on)
{
	struct vfio_pci_bar *b = &vp->bars[bar];
	int i;

	for (i = 0; i < b->layout.nr_mapped; i++) {
		const struct vfio_pci_range *r = &b->layout.mapped[i];

		if (b->slots[i] < 0)
			continue;
		kvm__set_slot(vp->vm, b->slots[i], gpa + r->start,
			      on ? r->end - r->start : 0, b->maps[i]);
	}
	b->in_guest = on;
	b->gpa = gpa;
}

void vfio_pci__bar_update(struct pci_device *d, int bar, bool mapped,
			  uint64_t addr)
{
	struct vfio_pci *vp = d->opaque;

	if (vp->bars[bar].in_guest)
		slots_set(vp, bar, vp->bars[bar].gpa, false);
	if (mapped)
		slots_set(vp, bar, addr, true);
}

static enum pci_bar_type bar_type(struct vfio_pci *vp, int bar, bool *prefetch)
{
	uint32_t v =
		pci_config__get32(&vp->pci.cfg, PCI_BASE_ADDRESS_0 + 4 * bar);

	*prefetch = v & PCI_BASE_ADDRESS_MEM_PREFETCH;
	if (v & PCI_BASE_ADDRESS_SPACE_IO)
		return PCI_BAR_IO;
	if ((v & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
	    PCI_BASE_ADDRESS_MEM_TYPE_64)
		return PCI_BAR_MEM64;
	return PCI_BAR_MEM32;
}

static void msix_place(struct vfio_pci *vp, int bar, struct vfio_msix_place *p)
{
	uint16_t cap = pci_config__find_cap(&vp->pci.cfg, PCI_CAP_ID_MSIX);
	uint32_t table, pba;
	int nr;

	memset(p, 0, sizeof(*p));
	if (!cap)
		return;
	nr = (pci_config__get16(&vp->pci.cfg, cap + PCI_MSIX_FLAGS) &
	      PCI_MSIX_FLAGS_QSIZE) +
	     1;
	table = pci_config__get32(&vp->pci.cfg, cap + PCI_MSIX_TABLE);
	pba = pci_config__get32(&vp->pci.cfg, cap + PCI_MSIX_PBA);
	if ((int)(table & PCI_MSIX_TABLE_BIR) == bar) {
		p->present = true;
		p->table_off = table & PCI_MSIX_TABLE_OFFSET;
		p->table_len = (uint64_t)nr * PCI_MSIX_ENTRY_SIZE;
	}
	if ((int)(pba & PCI_MSIX_PBA_BIR) == bar) {
		p->present = true;
		p->pba_off = pba & PCI_MSIX_PBA_OFFSET;
		p->pba_len = ALIGN_UP((uint64_t)(nr + 63) / 64 * 8, 8ULL);
	}
	/*
	 * Even when VFIO says the table may be mapped (MSIX_MAPPABLE), the
	 * guest must program triovm's table, not the one the host kernel set
	 * up with remapped interrupt handles, and a KVM slot cannot overlay a
	 * trapped range (QEMU overlays the table on the mapping): its pages
	 * stay trapped.
	 */
}

int vfio_pci__bars_init(struct vfio_pci *vp)
{
	uint64_t page = sysconf(_SC_PAGESIZE);
	int bar, i, ret;

	for (bar = 0; bar < PCI_NUM_BARS; bar++) {
		struct vfio_pci_bar *b = &vp->bars[bar];
		const struct vfio_region *r = vfio_device__region(vp->dev, bar);
		struct vfio_pci_range areas[VFIO_PCI_MAX_RANGES];
		struct vfio_msix_place mp;
		enum pci_bar_type type;
		bool prefetch, mmappable;
		int nr_areas = 0;

		for (i = 0; i < VFIO_PCI_MAX_RANGES; i++)
			b->slots[i] = -1;
		if (!r || !r->size)
			continue;
		b->region = r;
		type = bar_type(vp, bar, &prefetch);
		if (!is_power_of_2(r->size)) {
			pr_err("%s: BAR%d is %llu bytes, not a power of two",
			       vp->name, bar, (unsigned long long)r->size);
			return -EINVAL;
		}
		ret = pci_device__add_bar(
			&vp->pci, bar, type,
			max(r->size, type == PCI_BAR_IO ? 4ULL : 16ULL),
			prefetch);
		if (ret) {
			pr_err("%s: BAR%d (%llu bytes) cannot be emulated",
			       vp->name, bar, (unsigned long long)r->size);
			return ret;
		}
		mmappable = type != PCI_BAR_IO &&
			    (r->flags & VFIO_REGION_INFO_FLAG_MMAP);
		if (r->sparse) {
			for (i = 0;
			     i < (int)r->nr_areas && i < VFIO_PCI_MAX_RANGES;
			     i++) {
				areas[i].start = r->areas[i].offset;
				areas[i].end =
					r->areas[i].offset + r->areas[i].size;
			}
			nr_areas = i;
		}
		msix_place(vp, bar, &mp);
		ret = vfio_bar__layout(r->size, mmappable,
				       r->sparse ? areas : NULL, nr_areas, &mp,
				       page, &b->layout);
		if (ret) {
			pr_err("%s: BAR%d's layout has too many pieces",
			       vp->name, bar);
			return ret;
		}
		for (i = 0; i < b->layout.nr_mapped; i++) {
			const struct vfio_pci_range *m = &b->layout.mapped[i];

			b->maps[i] = mmap(NULL, m->end - m->start,
					  PROT_READ | PROT_WRITE, MAP_SHARED,
					  vp->dev->fd, r->offset + m->start);
			if (b->maps[i] == MAP_FAILED) {
				pr_err("%s: cannot mmap BAR%d+0x%llx: %s",
				       vp->name, bar,
				       (unsigned long long)m->start,
				       strerror(errno));
				b->maps[i] = NULL;
				return -EIO;
			}
			b->slots[i] = kvm__alloc_slot(vp->vm);
			if (b->slots[i] < 0) {
				pr_err("%s: out of KVM memory slots", vp->name);
				return -ENOSPC;
			}
		}
		for (i = 0; i < b->layout.nr_trapped; i++) {
			const struct vfio_pci_range *t = &b->layout.trapped[i];

			b->traps[i].vp = vp;
			b->traps[i].bar = bar;
			b->traps[i].base = t->start;
			ret = pci_device__add_bar_region(
				&vp->pci, bar, t->start, t->end - t->start,
				trap_access, &b->traps[i], vp->name);
			if (ret) {
				pr_err("%s: BAR%d has too many trapped pieces",
				       vp->name, bar);
				return ret;
			}
		}
	}
	return 0;
}

void vfio_pci__bars_exit(struct vfio_pci *vp)
{
	int bar, i;

	for (bar = 0; bar < PCI_NUM_BARS; bar++) {
		struct vfio_pci_bar *b = &vp->bars[bar];

		if (b->in_guest)
			slots_set(vp, bar, b->gpa, false);
		for (i = 0; i < b->layout.nr_mapped; i++) {
			if (b->maps[i])
				munmap(b->maps[i],
				       b->layout.mapped[i].end -
					       b->layout.mapped[i].start);
			if (b->slots[i] >= 0)
				kvm__free_slot(vp->vm, b->slots[i]);
			b->maps[i] = NULL;
			b->slots[i] = -1;
		}
	}
}
