/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM's binary statistics (Documentation/virt/kvm/api.rst, KVM_GET_STATS_FD):
 * exact counts of exits and injections per vCPU and per VM, read from a file
 * descriptor without stopping the vCPU.
 */
#ifndef TRIOVM_KVM_STATS_H
#define TRIOVM_KVM_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct kvm_stats {
	int fd;
	uint32_t name_size;
	uint32_t num_desc;
	uint32_t data_offset;
	uint8_t *descs; /* num_desc descriptors, each followed by its name */
	size_t desc_size;
};

/* Parse the header and descriptors of a stats fd (not taken over). */
int kvm_stats__open(struct kvm_stats *s, int fd);
void kvm_stats__close(struct kvm_stats *s);

/* The scalar statistic `name`: 0 or -ENOENT. */
int kvm_stats__get(struct kvm_stats *s, const char *name, uint64_t *value);

/* Each scalar statistic, in KVM's order. */
int kvm_stats__for_each(struct kvm_stats *s,
			void (*fn)(const char *name, uint64_t value, void *arg),
			void *arg);

#endif
