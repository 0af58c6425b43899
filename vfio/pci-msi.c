// SPDX-License-Identifier: GPL-2.0
/*
 * MSI of a passed-through device (QEMU's edu, for one). As for MSI-X: the
 * capability is emulated at the device's offset, one VFIO eventfd per vector
 * feeds a KVM irqfd, and VFIO learns how many vectors the guest enabled.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "triovm/log.h"
#include "triovm/pci-msi.h"
#include "triovm/vfio-pci.h"

static void msi_update(void *opaque, int vector)
{
	struct vfio_pci *vp = opaque;
	struct pci_msi *m = vp->pci.msi;

	(void)vector;
	if (m->enabled)
		vfio_pci__set_irq_mode(vp, VFIO_IRQ_MSI, m->nr_enabled);
	else if (vp->irq_mode == VFIO_IRQ_MSI)
		vfio_pci__set_irq_mode(vp, VFIO_IRQ_INTX, 0);
}

int vfio_pci__msi_init(struct vfio_pci *vp)
{
	struct pci_config *c = &vp->pci.cfg;
	uint16_t cap = pci_config__find_cap(c, PCI_CAP_ID_MSI), flags;
	const struct vfio_irq *irq =
		vfio_device__irq(vp->dev, VFIO_PCI_MSI_IRQ_INDEX);
	bool is64, maskable;
	int nr, i, ret;

	for (i = 0; i < PCI_MSI_MAX_VECTORS; i++)
		vp->msi_fds[i] = -1;
	if (!cap || !irq || !irq->count)
		return 0;
	flags = pci_config__get16(c, cap + PCI_MSI_FLAGS);
	is64 = flags & PCI_MSI_FLAGS_64BIT;
	maskable = flags & PCI_MSI_FLAGS_MASKBIT;
	nr = 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1);
	if (nr > (int)irq->count)
		nr = irq->count;
	if (nr > PCI_MSI_MAX_VECTORS)
		nr = PCI_MSI_MAX_VECTORS;
	vfio_pci__set_emulated(vp, cap,
			       maskable ? (is64 ? 24 : 20) : (is64 ? 14 : 10));
	ret = pci_msi__init_at(&vp->pci, cap, nr, is64, maskable);
	if (ret) {
		pr_err("%s: cannot emulate its MSI capability: %s", vp->name,
		       strerror(-ret));
		return ret;
	}
	vp->nr_msi = nr;
	for (i = 0; i < nr; i++) {
		vp->msi_fds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (vp->msi_fds[i] < 0)
			return -errno;
		ret = pci_msi__set_irqfd(vp->pci.msi, i, vp->msi_fds[i]);
		if (ret)
			return ret;
	}
	vp->pci.msi->update = msi_update;
	vp->pci.msi->update_opaque = vp;
	return 0;
}

void vfio_pci__msi_exit(struct vfio_pci *vp)
{
	int i;

	if (vp->irq_mode == VFIO_IRQ_MSI)
		vfio_pci__set_irq_mode(vp, VFIO_IRQ_OFF, 0);
	if (vp->pci.msi)
		pci_msi__exit(&vp->pci);
	for (i = 0; i < PCI_MSI_MAX_VECTORS; i++) {
		if (vp->msi_fds[i] >= 0)
			close(vp->msi_fds[i]);
		vp->msi_fds[i] = -1;
	}
	vp->nr_msi = 0;
}
