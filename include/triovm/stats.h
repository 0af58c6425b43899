/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `triovm run --stats FILE`: exits counted by KVM (binary stats) and by triovm
 * (exits it handled in user space, per vCPU and per device range), written as
 * JSON when the VM ends. Devices with counters of their own (packets, bytes)
 * register a stats source.
 */
#ifndef TRIOVM_STATS_H
#define TRIOVM_STATS_H

#include "list.h"

struct vm;
struct json;

struct stats_source {
	struct list_head list;
	const char *name;
	/* Write this device's counters as members of an open JSON object. */
	void (*write)(struct json *j, void *opaque);
	void *opaque;
};

void stats__add_source(struct vm *vm, struct stats_source *src);
int stats__write_json(struct vm *vm, const char *path);

#endif
