// SPDX-License-Identifier: GPL-2.0
/*
 * How a passed-through BAR is split between KVM slots (guest accesses reach
 * the device with no exit) and trapped ranges (forwarded by triovm): the
 * MSI-X table and PBA never reach the guest through a slot, only whole pages
 * become slots, and a layout with too many pieces is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>

#include "triovm/vfio-pci.h"

#define PAGE 0x1000ULL

static void assert_range(const struct vfio_pci_range *r, uint64_t start,
			 uint64_t end)
{
	assert_int_equal(r->start, start);
	assert_int_equal(r->end, end);
}

static void whole_bar_mapped(void **state)
{
	struct vfio_bar_layout l;

	assert_int_equal(
		vfio_bar__layout(0x20000, true, NULL, 0, NULL, PAGE, &l), 0);
	assert_int_equal(l.nr_mapped, 1);
	assert_range(&l.mapped[0], 0, 0x20000);
	assert_int_equal(l.nr_trapped, 0);
}

static void not_mmappable_all_trapped(void **state)
{
	struct vfio_bar_layout l;

	assert_int_equal(vfio_bar__layout(0x20, false, NULL, 0, NULL, PAGE, &l),
			 0);
	assert_int_equal(l.nr_mapped, 0);
	assert_int_equal(l.nr_trapped, 1);
	assert_range(&l.trapped[0], 0, 0x20);
}

/* e1000e's BAR3: a 16 KiB BAR with the table at 0 and the PBA at 0x2000. */
static void msix_pages_never_mapped(void **state)
{
	struct vfio_msix_place m = {
		.present = true,
		.table_off = 0,
		.table_len = 5 * 16,
		.pba_off = 0x2000,
		.pba_len = 8,
	};
	struct vfio_bar_layout l;

	assert_int_equal(vfio_bar__layout(0x4000, true, NULL, 0, &m, PAGE, &l),
			 0);
	/* The pages of the table and the PBA are out of the slots... */
	assert_int_equal(l.nr_mapped, 2);
	assert_range(&l.mapped[0], 0x1000, 0x2000);
	assert_range(&l.mapped[1], 0x3000, 0x4000);
	/* ...the rest of those pages is forwarded, the table itself is not. */
	assert_int_equal(l.nr_trapped, 2);
	assert_range(&l.trapped[0], 0x50, 0x1000);
	assert_range(&l.trapped[1], 0x2008, 0x3000);
}

/* A table that ends mid-page still takes its whole last page out. */
static void msix_table_straddling_pages(void **state)
{
	struct vfio_msix_place m = {
		.present = true,
		.table_off = 0xf00,
		.table_len = 64 * 16,
		.pba_off = 0x1300,
		.pba_len = 8,
	};
	struct vfio_bar_layout l;
	int i;

	assert_int_equal(vfio_bar__layout(0x8000, true, NULL, 0, &m, PAGE, &l),
			 0);
	assert_int_equal(l.nr_mapped, 1);
	assert_range(&l.mapped[0], 0x2000, 0x8000);
	for (i = 0; i < l.nr_trapped; i++) {
		/* Nothing of the table or PBA is forwarded to the device. */
		assert_false(l.trapped[i].start < 0x1300 &&
			     l.trapped[i].end > 0xf00);
		assert_false(l.trapped[i].start < 0x1308 &&
			     l.trapped[i].end > 0x1300);
	}
	assert_int_equal(l.nr_trapped, 2);
	assert_range(&l.trapped[0], 0, 0xf00);
	assert_range(&l.trapped[1], 0x1308, 0x2000);
}

/* Sparse areas: only the whole pages inside both area and BAR are slots. */
static void sparse_areas_page_aligned(void **state)
{
	struct vfio_pci_range areas[] = {
		{ 0x100, 0x2800 },
		{ 0x3000, 0x9000 }, /* runs past the BAR */
		{ 0x10000, 0x11000 }, /* entirely outside */
	};
	struct vfio_bar_layout l;

	assert_int_equal(
		vfio_bar__layout(0x8000, true, areas, 3, NULL, PAGE, &l), 0);
	assert_int_equal(l.nr_mapped, 2);
	assert_range(&l.mapped[0], 0x1000, 0x2000);
	assert_range(&l.mapped[1], 0x3000, 0x8000);
	assert_int_equal(l.nr_trapped, 2);
	assert_range(&l.trapped[0], 0, 0x1000);
	assert_range(&l.trapped[1], 0x2000, 0x3000);
}

static void too_many_pieces_refused(void **state)
{
	struct vfio_pci_range areas[VFIO_PCI_MAX_RANGES + 1];
	struct vfio_bar_layout l;
	int i;

	/* Every other page: more slots than a BAR may have. */
	for (i = 0; i < VFIO_PCI_MAX_RANGES + 1; i++) {
		areas[i].start = 2 * i * PAGE;
		areas[i].end = areas[i].start + PAGE;
	}
	assert_int_equal(vfio_bar__layout(0x40000, true, areas,
					  VFIO_PCI_MAX_RANGES + 1, NULL, PAGE,
					  &l),
			 -E2BIG);
	/* One fewer fits. */
	assert_int_equal(vfio_bar__layout(0x40000, true, areas,
					  VFIO_PCI_MAX_RANGES - 1, NULL, PAGE,
					  &l),
			 0);
	assert_int_equal(l.nr_mapped, VFIO_PCI_MAX_RANGES - 1);
	assert_int_equal(l.nr_trapped, VFIO_PCI_MAX_RANGES - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_bar_mapped),
		cmocka_unit_test(not_mmappable_all_trapped),
		cmocka_unit_test(msix_pages_never_mapped),
		cmocka_unit_test(msix_table_straddling_pages),
		cmocka_unit_test(sparse_areas_page_aligned),
		cmocka_unit_test(too_many_pieces_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
