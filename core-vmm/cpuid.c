// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's CPUID: what KVM supports on this host, with the topology fields
 * made to describe this VM (one thread per core, one core per vCPU) so that the
 * guest's APIC IDs match the MADT.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "triovm/kvm-cpu.h"
#include "triovm/log.h"
#include "triovm/vm.h"

#define CPUID_1_ECX_HYPERVISOR (1U << 31)
#define CPUID_1_EDX_HTT (1U << 28)

int vcpu__setup_cpuid(struct vcpu *vcpu)
{
	const struct kvm_cpuid2 *sup = vcpu->vm->supported_cpuid;
	struct kvm_cpuid2 *cpuid;
	size_t size = sizeof(*cpuid) + sup->nent * sizeof(sup->entries[0]);
	uint32_t apic_id = vcpu->id;
	uint32_t i, core_shift = 0;
	int ret = 0;

	while ((1U << core_shift) < (uint32_t)vcpu->vm->nr_vcpus)
		core_shift++;

	cpuid = malloc(size);
	if (!cpuid)
		return -ENOMEM;
	memcpy(cpuid, sup, size);

	for (i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		switch (e->function) {
		case 1:
			/* EBX: initial APIC ID and logical CPUs per package. */
			e->ebx &= 0x0000ffff;
			e->ebx |= apic_id << 24;
			e->ebx |= (1U << core_shift) << 16;
			if (vcpu->vm->nr_vcpus > 1)
				e->edx |= CPUID_1_EDX_HTT;
			e->ecx |= CPUID_1_ECX_HYPERVISOR;
			break;
		case 0xb:
		case 0x1f:
			/* Extended topology: SMT level of one thread, core level
			 * of nr_vcpus cores, then the end of the list. */
			if (e->index == 0) {
				e->eax = 0;
				e->ebx = 1;
				e->ecx = (1 << 8) | e->index;
			} else if (e->index == 1) {
				e->eax = core_shift;
				e->ebx = vcpu->vm->nr_vcpus;
				e->ecx = (2 << 8) | e->index;
			} else {
				e->eax = e->ebx = 0;
				e->ecx = e->index;
			}
			e->edx = apic_id;
			break;
		case 4:
			/* Cores per package share nothing: one core each. */
			e->eax &= 0x03ffffff;
			break;
		default:
			break;
		}
	}
	if (ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid) < 0) {
		ret = -errno;
		pr_err("vCPU %d: KVM_SET_CPUID2: %s", vcpu->id, strerror(-ret));
	}
	free(cpuid);
	return ret;
}
