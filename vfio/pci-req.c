// SPDX-License-Identifier: GPL-2.0
/*
 * The host asking for a passed-through device back. When its driver is
 * unbound, or its PF removes the VFs (sriov_numvfs = 0), vfio-pci's remove
 * signals the device's request eventfd and then waits, re-signalling every
 * ten seconds, until the last user closes the device: the writer to sysfs
 * hangs meanwhile. triovm has no PCI hotplug to offer the guest, so it does
 * what a SIGTERM does: stops the VM and lets go of every device.
 */
#include <errno.h>
#include <linux/vfio.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "triovm/exit-status.h"
#include "triovm/log.h"
#include "triovm/vfio-pci.h"
#include "triovm/vm.h"

static void vfio_pci__on_req(int fd, uint32_t events, void *opaque)
{
	struct vfio_pci *vp = opaque;
	eventfd_t n;

	if (eventfd_read(fd, &n) < 0)
		return;
	vp->dev->taken_back = true;
	if (atomic_load(&vp->vm->stopping))
		return;
	pr_warn("%s: the host wants the device back (its driver is unbinding or its VFs are being removed); triovm cannot unplug it from a running guest, so the VM stops",
		vp->name);
	vm__request_stop(vp->vm, VM_STOP_DEVICE_REQUEST, EXIT_GUEST_OFF);
}

int vfio_pci__req_init(struct vfio_pci *vp)
{
	const struct vfio_irq *irq =
		vfio_device__irq(vp->dev, VFIO_PCI_REQ_IRQ_INDEX);
	int ret;

	vp->req_fd = -1;
	/* Older kernels and some vfio drivers have no request channel. */
	if (!irq || !irq->count || !(irq->flags & VFIO_IRQ_INFO_EVENTFD))
		return 0;
	vp->req_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vp->req_fd < 0)
		return -errno;
	ret = vfio_pci__set_irqs(vp, VFIO_PCI_REQ_IRQ_INDEX,
				 VFIO_IRQ_SET_ACTION_TRIGGER, &vp->req_fd, 1);
	if (!ret)
		ret = event_loop__add(&vp->vm->loop, vp->req_fd, EPOLLIN,
				      vfio_pci__on_req, vp);
	if (ret) {
		pr_err("%s: cannot listen for the host's requests to release it: %s",
		       vp->name, strerror(-ret));
		vfio_pci__req_exit(vp);
		return ret;
	}
	vp->req_wired = true;
	return 0;
}

void vfio_pci__req_exit(struct vfio_pci *vp)
{
	if (vp->req_wired) {
		event_loop__del(&vp->vm->loop, vp->req_fd);
		vfio_pci__set_irqs(vp, VFIO_PCI_REQ_IRQ_INDEX,
				   VFIO_IRQ_SET_ACTION_TRIGGER, NULL, 0);
		vp->req_wired = false;
	}
	if (vp->req_fd >= 0)
		close(vp->req_fd);
	vp->req_fd = -1;
}
