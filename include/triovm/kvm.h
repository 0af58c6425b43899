/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TRIOVM_KVM_H
#define TRIOVM_KVM_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

/* Open /dev/kvm, check the API and the capabilities triovm relies on. */
int kvm__open(struct vm *vm);
/* KVM_CREATE_VM, TSS/identity map, in-kernel irqchip and PIT. */
int kvm__create_vm(struct vm *vm);
void kvm__close(struct vm *vm);

/*
 * Memory slots beyond guest RAM (device memory mapped straight into the
 * guest, such as VFIO BARs). Returns a slot number or -ENOSPC.
 */
int kvm__alloc_slot(struct vm *vm);
void kvm__free_slot(struct vm *vm, int slot);
/* Map `size` bytes at `hva` into guest-physical `gpa` (size 0: remove). */
int kvm__set_slot(struct vm *vm, int slot, uint64_t gpa, uint64_t size,
		  void *hva);

/* KVM_CHECK_EXTENSION on the VM (or system) fd: the value, 0 if absent. */
int kvm__check_cap(struct vm *vm, long cap);

#endif
