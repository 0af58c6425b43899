/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM_IOEVENTFD: a guest write to an address signals an eventfd inside KVM,
 * with no exit to triovm (virtio queue notifications go to a vhost-user
 * backend this way).
 */
#ifndef TRIOVM_IOEVENTFD_H
#define TRIOVM_IOEVENTFD_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

struct ioeventfd {
	uint64_t addr;
	uint32_t len; /* 0 (any width, MMIO only), 1, 2, 4 or 8 */
	bool pio;
	bool match; /* only when the written value equals `datamatch` */
	uint64_t datamatch;
	int fd;
};

int ioeventfd__add(struct vm *vm, const struct ioeventfd *ev);
void ioeventfd__del(struct vm *vm, const struct ioeventfd *ev);

#endif
