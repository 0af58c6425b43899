// SPDX-License-Identifier: GPL-2.0
/* Registering and removing KVM ioeventfds. */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include "triovm/ioeventfd.h"
#include "triovm/log.h"
#include "triovm/vm.h"

static void fill(struct kvm_ioeventfd *k, const struct ioeventfd *ev)
{
	memset(k, 0, sizeof(*k));
	k->addr = ev->addr;
	k->len = ev->len;
	k->fd = ev->fd;
	k->datamatch = ev->datamatch;
	if (ev->pio)
		k->flags |= KVM_IOEVENTFD_FLAG_PIO;
	if (ev->match)
		k->flags |= KVM_IOEVENTFD_FLAG_DATAMATCH;
}

int ioeventfd__add(struct vm *vm, const struct ioeventfd *ev)
{
	struct kvm_ioeventfd k;

	fill(&k, ev);
	if (ioctl(vm->vm_fd, KVM_IOEVENTFD, &k) < 0) {
		int err = errno;

		pr_err("KVM_IOEVENTFD at %s 0x%llx: %s", ev->pio ? "port" : "",
		       (unsigned long long)ev->addr, strerror(err));
		return -err;
	}
	return 0;
}

void ioeventfd__del(struct vm *vm, const struct ioeventfd *ev)
{
	struct kvm_ioeventfd k;

	fill(&k, ev);
	k.flags |= KVM_IOEVENTFD_FLAG_DEASSIGN;
	if (ioctl(vm->vm_fd, KVM_IOEVENTFD, &k) < 0)
		pr_warn("KVM_IOEVENTFD deassign at 0x%llx: %s",
			(unsigned long long)ev->addr, strerror(errno));
}
