/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TRIOVM_KVM_CPU_H
#define TRIOVM_KVM_CPU_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

struct vm;
struct kvm_run;

/* Exits triovm itself handled in user space, by kind. */
struct vcpu_exit_counts {
	uint64_t io;
	uint64_t mmio;
	uint64_t other;
};

struct vcpu {
	struct vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_t thread;
	bool thread_started;
	int stats_fd; /* KVM's binary statistics, -1 if unsupported */
	struct vcpu_exit_counts exits;
};

int vcpu__create(struct vm *vm, int id, struct vcpu **out);
void vcpu__destroy(struct vcpu *vcpu);

/* CPUID: KVM's supported set, with the topology of this VM. */
int vcpu__setup_cpuid(struct vcpu *vcpu);
/* LAPIC LINT0/LINT1 as firmware leaves them (ExtINT, NMI). */
int vcpu__setup_lapic(struct vcpu *vcpu);

int vcpu__start(struct vcpu *vcpu);
/* Kick the vCPU out of KVM_RUN and make it leave its loop; then join. */
void vcpu__stop(struct vcpu *vcpu);
void vcpu__join(struct vcpu *vcpu);

/* Handle one KVM exit; returns false when the vCPU must stop. */
bool vcpu__handle_exit(struct vcpu *vcpu);

#endif
