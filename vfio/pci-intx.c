// SPDX-License-Identifier: GPL-2.0
/*
 * INTx of a passed-through device: VFIO signals a trigger eventfd and masks
 * the line until the guest's EOI, which KVM reports on a resample eventfd
 * that VFIO takes as the unmask. Both stay in the kernel (KVM_IRQFD with
 * KVM_IRQFD_FLAG_RESAMPLE); triovm only wires them up.
 */
#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "triovm/irq.h"
#include "triovm/log.h"
#include "triovm/vfio-pci.h"

int vfio_pci__intx_init(struct vfio_pci *vp)
{
	int ret;

	vp->intx_fd = vp->intx_unmask_fd = -1;
	if (!vp->pci.intx_pin)
		return 0;
	vp->intx_fd = eventfd(0, EFD_CLOEXEC);
	vp->intx_unmask_fd = eventfd(0, EFD_CLOEXEC);
	if (vp->intx_fd < 0 || vp->intx_unmask_fd < 0)
		return -errno;
	ret = irq__irqfd_add(vp->vm, vp->intx_fd, vp->pci.intx_gsi,
			     vp->intx_unmask_fd);
	if (ret)
		return ret;
	vp->intx_wired = true;
	/* The device starts on INTx, as a function does out of reset. */
	return vfio_pci__set_irq_mode(vp, VFIO_IRQ_INTX, 0);
}

void vfio_pci__intx_exit(struct vfio_pci *vp)
{
	if (vp->intx_wired) {
		vfio_pci__set_irq_mode(vp, VFIO_IRQ_OFF, 0);
		irq__irqfd_del(vp->vm, vp->intx_fd, vp->pci.intx_gsi);
		vp->intx_wired = false;
	}
	if (vp->intx_fd >= 0)
		close(vp->intx_fd);
	if (vp->intx_unmask_fd >= 0)
		close(vp->intx_unmask_fd);
	vp->intx_fd = vp->intx_unmask_fd = -1;
}
