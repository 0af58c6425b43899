// SPDX-License-Identifier: GPL-2.0
/* /dev/kvm, the VM and its in-kernel interrupt controllers. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "triovm/kvm.h"
#include "triovm/layout.h"
#include "triovm/log.h"
#include "triovm/vm.h"

#define KVM_DEV "/dev/kvm"
#define CPUID_MAX_ENTRIES 256

/* What triovm cannot run without, and why. */
static const struct {
	long cap;
	const char *name;
} required_caps[] = {
	{ KVM_CAP_IRQCHIP, "in-kernel irqchip" },
	{ KVM_CAP_PIT2, "in-kernel PIT" },
	{ KVM_CAP_USER_MEMORY, "user memory slots" },
	{ KVM_CAP_IRQ_ROUTING, "GSI routing (MSI)" },
	{ KVM_CAP_IRQFD, "irqfd" },
	{ KVM_CAP_IOEVENTFD, "ioeventfd" },
	{ KVM_CAP_EXT_CPUID, "KVM_GET_SUPPORTED_CPUID" },
	{ KVM_CAP_IMMEDIATE_EXIT, "immediate exit" },
	{ KVM_CAP_SET_TSS_ADDR, "KVM_SET_TSS_ADDR" },
};

int kvm__check_cap(struct vm *vm, long cap)
{
	int fd = vm->vm_fd >= 0 ? vm->vm_fd : vm->sys_fd;
	int ret = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? 0 : ret;
}

int kvm__open(struct vm *vm)
{
	struct kvm_cpuid2 *cpuid;
	int ret, i;

	vm->vm_fd = -1;
	vm->sys_fd = open(KVM_DEV, O_RDWR | O_CLOEXEC);
	if (vm->sys_fd < 0) {
		int err = errno;

		if (err == ENOENT)
			pr_err("%s does not exist: this machine has no KVM (no VT-x/AMD-V, or kvm_intel/kvm_amd not loaded); run triovm inside the test host: tests/testhost/run -- triovm run ...",
			       KVM_DEV);
		else
			pr_err("cannot open %s: %s", KVM_DEV, strerror(err));
		return -err;
	}
	ret = ioctl(vm->sys_fd, KVM_GET_API_VERSION, 0);
	if (ret != KVM_API_VERSION) {
		pr_err("KVM API version %d, triovm needs %d", ret,
		       KVM_API_VERSION);
		return -EINVAL;
	}
	for (i = 0; i < (int)ARRAY_SIZE(required_caps); i++) {
		if (ioctl(vm->sys_fd, KVM_CHECK_EXTENSION,
			  required_caps[i].cap) <= 0) {
			pr_err("this KVM lacks %s (KVM_CAP %ld)",
			       required_caps[i].name, required_caps[i].cap);
			return -EOPNOTSUPP;
		}
	}
	vm->max_vcpus =
		ioctl(vm->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	if (vm->max_vcpus <= 0)
		vm->max_vcpus = ioctl(vm->sys_fd, KVM_CHECK_EXTENSION,
				      KVM_CAP_NR_VCPUS);
	if (vm->max_vcpus <= 0)
		vm->max_vcpus = 4;

	cpuid = calloc(1, sizeof(*cpuid) + CPUID_MAX_ENTRIES *
						   sizeof(cpuid->entries[0]));
	if (!cpuid)
		return -ENOMEM;
	cpuid->nent = CPUID_MAX_ENTRIES;
	if (ioctl(vm->sys_fd, KVM_GET_SUPPORTED_CPUID, cpuid) < 0) {
		int err = errno;

		free(cpuid);
		pr_err("KVM_GET_SUPPORTED_CPUID: %s", strerror(err));
		return -err;
	}
	vm->supported_cpuid = cpuid;
	return 0;
}

int kvm__create_vm(struct vm *vm)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

	vm->vm_fd = ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		int err = errno;

		pr_err("KVM_CREATE_VM: %s", strerror(err));
		return -err;
	}
	/* Required on Intel before the first vCPU runs; harmless on AMD. */
	if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) < 0) {
		int err = errno;

		pr_err("KVM_SET_TSS_ADDR: %s", strerror(err));
		return -err;
	}
	if (kvm__check_cap(vm, KVM_CAP_SET_IDENTITY_MAP_ADDR)) {
		uint64_t addr = KVM_IDENTITY_MAP_ADDR;

		if (ioctl(vm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &addr) < 0) {
			int err = errno;

			pr_err("KVM_SET_IDENTITY_MAP_ADDR: %s", strerror(err));
			return -err;
		}
	}
	if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
		int err = errno;

		pr_err("KVM_CREATE_IRQCHIP: %s", strerror(err));
		return -err;
	}
	if (ioctl(vm->vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
		int err = errno;

		pr_err("KVM_CREATE_PIT2: %s", strerror(err));
		return -err;
	}
	return 0;
}

#define KVM_SLOTS_TRACKED (8 * 64)

int kvm__alloc_slot(struct vm *vm)
{
	int slot;

	pthread_mutex_lock(&vm->slot_lock);
	for (slot = 0; slot < KVM_SLOTS_TRACKED; slot++) {
		if (!(vm->slots_used[slot / 64] & (1ULL << (slot % 64)))) {
			vm->slots_used[slot / 64] |= 1ULL << (slot % 64);
			pthread_mutex_unlock(&vm->slot_lock);
			return slot;
		}
	}
	pthread_mutex_unlock(&vm->slot_lock);
	return -ENOSPC;
}

void kvm__free_slot(struct vm *vm, int slot)
{
	if (slot < 0 || slot >= KVM_SLOTS_TRACKED)
		return;
	pthread_mutex_lock(&vm->slot_lock);
	vm->slots_used[slot / 64] &= ~(1ULL << (slot % 64));
	pthread_mutex_unlock(&vm->slot_lock);
}

int kvm__set_slot(struct vm *vm, int slot, uint64_t gpa, uint64_t size,
		  void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)hva,
	};

	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0) {
		int err = errno;

		pr_warn("KVM_SET_USER_MEMORY_REGION (slot %d, 0x%llx+0x%llx): %s",
			slot, (unsigned long long)gpa, (unsigned long long)size,
			strerror(err));
		return -err;
	}
	return 0;
}

void kvm__close(struct vm *vm)
{
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->sys_fd >= 0)
		close(vm->sys_fd);
	vm->vm_fd = vm->sys_fd = -1;
	free(vm->supported_cpuid);
	vm->supported_cpuid = NULL;
}
