// SPDX-License-Identifier: GPL-2.0
/*
 * Passed-through PCI devices of a VM: `--device vfio,host=BDF` checked
 * before KVM is touched, the devices opened in one VFIO container once guest
 * RAM exists (and mapped for their DMA), then each put on the guest's PCI
 * bus as its own function.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/sysfs.h"
#include "triovm/vfio-pci.h"
#include "triovm/vm.h"

static const struct pci_device_ops vfio_pci_ops = {
	.config_read = vfio_pci__config_read,
	.config_write = vfio_pci__config_write,
	.bar_update = vfio_pci__bar_update,
};

static void vfio_pci_destroy(struct vfio_pci *vp)
{
	vfio_pci__req_exit(vp);
	vfio_pci__intx_exit(vp);
	vfio_pci__msi_exit(vp);
	vfio_pci__msix_exit(vp);
	vfio_pci__bars_exit(vp);
	free(vp);
}

static int vfio_pci_create(struct vm *vm, struct vfio_device *dev,
			   struct vfio_pci **out)
{
	struct vfio_pci *vp = calloc(1, sizeof(*vp));
	uint16_t cmd;
	int ret;

	if (!vp)
		return -ENOMEM;
	vp->vm = vm;
	vp->dev = dev;
	vp->intx_fd = vp->intx_unmask_fd = vp->req_fd = -1;
	snprintf(vp->name, sizeof(vp->name), "vfio %s", dev->name);
	ret = vfio_pci__config_init(vp);
	if (ret)
		goto err;
	vp->pci.ops = &vfio_pci_ops;
	ret = vfio_pci__bars_init(vp);
	if (!ret)
		ret = vfio_pci__msix_init(vp);
	if (!ret)
		ret = vfio_pci__msi_init(vp);
	if (!ret)
		ret = pci__register(vm, &vp->pci);
	if (ret)
		goto err;
	/*
	 * pci__register turned decoding on as firmware would; the real
	 * function must agree before the guest touches its mapped BARs.
	 */
	cmd = pci_config__get16(&vp->pci.cfg, PCI_COMMAND);
	vfio_pci__config_write(&vp->pci, PCI_COMMAND, cmd, 2);
	ret = vfio_pci__intx_init(vp);
	if (!ret)
		ret = vfio_pci__req_init(vp);
	if (ret)
		goto err;
	*out = vp;
	return 0;
err:
	pr_err("%s: cannot pass it to the guest", dev->name);
	vfio_pci_destroy(vp);
	return ret;
}

int vfio__vm_prepare(struct vm *vm)
{
	const struct vm_options *o = vm->opts;
	struct vfio_device_spec specs[OPT_MAX_DEVICES];
	struct vfio_vm *vv;
	int n, i, ret;

	if (!o->nr_devices)
		return 0;
	n = vfio_device_specs__parse(o->devices, o->nr_devices, specs,
				     OPT_MAX_DEVICES);
	if (n < 0)
		return n;
	vv = calloc(1, sizeof(*vv));
	if (!vv)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		vv->addrs[i] = specs[i].host;
	vv->nr = n;
	vm->vfio = vv;
	ret = vfio__preflight(SYSFS_ROOT, VFIO_DEV_DIR, vv->addrs, n);
	return ret;
}

int vfio__vm_init(struct vm *vm)
{
	struct vfio_vm *vv = vm->vfio;
	int i, ret;

	if (!vv)
		return 0;
	ret = vfio__open_devices(&vv->container, SYSFS_ROOT, VFIO_DEV_DIR,
				 vm->vm_fd, &vm->mem, vv->addrs, vv->nr,
				 vv->devs);
	if (ret)
		return ret;
	vv->open = true;
	for (i = 0; i < vv->nr; i++) {
		ret = vfio_pci_create(vm, &vv->devs[i], &vv->pcis[i]);
		if (ret)
			return ret;
	}
	return 0;
}

void vfio__vm_exit(struct vm *vm)
{
	struct vfio_vm *vv = vm->vfio;
	int i;

	if (!vv)
		return;
	for (i = 0; i < vv->nr; i++)
		if (vv->pcis[i])
			vfio_pci_destroy(vv->pcis[i]);
	if (vv->open)
		vfio__close_devices(&vv->container, vv->devs, vv->nr);
	free(vv);
	vm->vfio = NULL;
}
