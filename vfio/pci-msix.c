// SPDX-License-Identifier: GPL-2.0
/*
 * MSI-X of a passed-through device. The guest programs triovm's emulated
 * table (core-vmm/pci/msix.c, at the device's own capability offset); each
 * vector's VFIO eventfd is attached to it once, so while the guest leaves a
 * vector unmasked the device's interrupt goes eventfd -> KVM irqfd -> guest
 * with no exit. When the guest enables or disables MSI-X, VFIO is told.
 */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "triovm/log.h"
#include "triovm/pci-msi.h"
#include "triovm/vfio-pci.h"

/* Called with the MSI-X lock held: only VFIO calls here. */
static void msix_update(void *opaque, int vector)
{
	struct vfio_pci *vp = opaque;
	struct pci_msix *m = vp->pci.msix;

	(void)vector;
	if (m->enabled && vp->irq_mode != VFIO_IRQ_MSIX)
		vfio_pci__set_irq_mode(vp, VFIO_IRQ_MSIX, m->nr);
	else if (!m->enabled && vp->irq_mode == VFIO_IRQ_MSIX)
		vfio_pci__set_irq_mode(vp, VFIO_IRQ_INTX, 0);
}

int vfio_pci__msix_init(struct vfio_pci *vp)
{
	struct pci_config *c = &vp->pci.cfg;
	uint16_t cap = pci_config__find_cap(c, PCI_CAP_ID_MSIX);
	const struct vfio_irq *irq =
		vfio_device__irq(vp->dev, VFIO_PCI_MSIX_IRQ_INDEX);
	uint32_t table, pba;
	int nr, i, ret;

	if (!cap || !irq || !irq->count)
		return 0;
	nr = (pci_config__get16(c, cap + PCI_MSIX_FLAGS) &
	      PCI_MSIX_FLAGS_QSIZE) +
	     1;
	table = pci_config__get32(c, cap + PCI_MSIX_TABLE);
	pba = pci_config__get32(c, cap + PCI_MSIX_PBA);
	if ((table & PCI_MSIX_TABLE_BIR) != (pba & PCI_MSIX_PBA_BIR)) {
		/* The core keeps table and PBA in one BAR; so do most devices. */
		pr_err("%s: MSI-X table and PBA in different BARs are not supported",
		       vp->name);
		return -EOPNOTSUPP;
	}
	vfio_pci__set_emulated(vp, cap, PCI_CAP_MSIX_SIZEOF);
	ret = pci_msix__init_at(&vp->pci, cap, nr, table & PCI_MSIX_TABLE_BIR,
				table & PCI_MSIX_TABLE_OFFSET,
				pba & PCI_MSIX_PBA_OFFSET);
	if (ret) {
		pr_err("%s: cannot emulate its MSI-X capability: %s", vp->name,
		       strerror(-ret));
		return ret;
	}
	vp->msix_fds = calloc(nr, sizeof(int));
	if (!vp->msix_fds)
		return -ENOMEM;
	vp->nr_msix = nr;
	for (i = 0; i < nr; i++)
		vp->msix_fds[i] = -1;
	for (i = 0; i < nr; i++) {
		vp->msix_fds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (vp->msix_fds[i] < 0)
			return -errno;
		ret = pci_msix__set_irqfd(vp->pci.msix, i, vp->msix_fds[i]);
		if (ret)
			return ret;
	}
	vp->pci.msix->update = msix_update;
	vp->pci.msix->update_opaque = vp;
	return 0;
}

void vfio_pci__msix_exit(struct vfio_pci *vp)
{
	int i;

	if (vp->irq_mode == VFIO_IRQ_MSIX)
		vfio_pci__set_irq_mode(vp, VFIO_IRQ_OFF, 0);
	if (vp->pci.msix)
		pci_msix__exit(&vp->pci);
	for (i = 0; i < vp->nr_msix; i++)
		if (vp->msix_fds[i] >= 0)
			close(vp->msix_fds[i]);
	free(vp->msix_fds);
	vp->msix_fds = NULL;
	vp->nr_msix = 0;
}
