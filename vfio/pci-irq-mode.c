// SPDX-License-Identifier: GPL-2.0
/*
 * Which interrupt VFIO delivers for a passed-through device. vfio-pci takes
 * one kind at a time (vfio_pci_set_irqs_ioctl refuses MSI while INTx is
 * set up), so switching goes through "off": INTx off before MSI or MSI-X,
 * INTx back when the guest turns them off.
 */
#include <errno.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "triovm/log.h"
#include "triovm/vfio-pci.h"

int vfio_pci__set_irqs(struct vfio_pci *vp, uint32_t index, uint32_t action,
		       const int *fds, int count)
{
	size_t sz = sizeof(struct vfio_irq_set) + count * sizeof(int32_t);
	struct vfio_irq_set *set = calloc(1, sz);
	int ret = 0;

	if (!set)
		return -ENOMEM;
	set->argsz = sz;
	set->index = index;
	set->start = 0;
	set->count = count;
	set->flags = action | (count ? VFIO_IRQ_SET_DATA_EVENTFD :
				       VFIO_IRQ_SET_DATA_NONE);
	if (count)
		memcpy(set->data, fds, count * sizeof(int32_t));
	if (ioctl(vp->dev->fd, VFIO_DEVICE_SET_IRQS, set) < 0) {
		ret = -errno;
		pr_warn_ratelimited(
			"%s: VFIO_DEVICE_SET_IRQS (index %u, %d vectors): %s",
			vp->name, index, count, strerror(-ret));
	}
	free(set);
	return ret;
}

static int mode_off(struct vfio_pci *vp)
{
	switch (vp->irq_mode) {
	case VFIO_IRQ_INTX:
		vfio_pci__set_irqs(vp, VFIO_PCI_INTX_IRQ_INDEX,
				   VFIO_IRQ_SET_ACTION_TRIGGER, NULL, 0);
		break;
	case VFIO_IRQ_MSI:
		vfio_pci__set_irqs(vp, VFIO_PCI_MSI_IRQ_INDEX,
				   VFIO_IRQ_SET_ACTION_TRIGGER, NULL, 0);
		vp->msi_enabled = 0;
		break;
	case VFIO_IRQ_MSIX:
		vfio_pci__set_irqs(vp, VFIO_PCI_MSIX_IRQ_INDEX,
				   VFIO_IRQ_SET_ACTION_TRIGGER, NULL, 0);
		break;
	case VFIO_IRQ_OFF:
		break;
	}
	vp->irq_mode = VFIO_IRQ_OFF;
	return 0;
}

static int intx_on(struct vfio_pci *vp)
{
	int ret;

	if (!vp->intx_wired)
		return 0;
	ret = vfio_pci__set_irqs(vp, VFIO_PCI_INTX_IRQ_INDEX,
				 VFIO_IRQ_SET_ACTION_TRIGGER, &vp->intx_fd, 1);
	if (!ret)
		ret = vfio_pci__set_irqs(vp, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK,
					 &vp->intx_unmask_fd, 1);
	if (!ret)
		vp->irq_mode = VFIO_IRQ_INTX;
	return ret;
}

int vfio_pci__set_irq_mode(struct vfio_pci *vp, enum vfio_irq_mode mode,
			   int count)
{
	int ret = 0;

	if (mode == vp->irq_mode &&
	    (mode != VFIO_IRQ_MSI || count == vp->msi_enabled))
		return 0;
	mode_off(vp);
	switch (mode) {
	case VFIO_IRQ_MSIX:
		ret = vfio_pci__set_irqs(vp, VFIO_PCI_MSIX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_TRIGGER,
					 vp->msix_fds, vp->nr_msix);
		if (!ret)
			vp->irq_mode = VFIO_IRQ_MSIX;
		break;
	case VFIO_IRQ_MSI:
		ret = vfio_pci__set_irqs(vp, VFIO_PCI_MSI_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_TRIGGER,
					 vp->msi_fds, count);
		if (!ret) {
			vp->irq_mode = VFIO_IRQ_MSI;
			vp->msi_enabled = count;
		}
		break;
	case VFIO_IRQ_INTX:
		/* Neither MSI kind: INTx is the device's interrupt again. */
		ret = intx_on(vp);
		break;
	case VFIO_IRQ_OFF:
		break;
	}
	return ret;
}
