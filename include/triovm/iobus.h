/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two buses a vCPU exit lands on: port I/O and MMIO. A device registers
 * the ranges it decodes; the vCPU loop looks the address up and calls the
 * device, counting the exit against it.
 */
#ifndef TRIOVM_IOBUS_H
#define TRIOVM_IOBUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/*
 * `addr` is the offset from the start of the registered range; `len` is 1, 2,
 * 4 or 8. A read handler fills data[0..len).
 */
typedef void (*iobus_fn)(void *opaque, uint64_t addr, uint8_t *data,
			 uint32_t len, bool is_write);

struct iobus_range {
	uint64_t base;
	uint64_t len;
	iobus_fn fn;
	void *opaque;
	const char *name;
	/* Exits handled for this range (atomic: vCPUs count concurrently). */
	uint64_t exits;
};

struct iobus {
	const char *name;
	pthread_rwlock_t lock;
	struct iobus_range *ranges; /* sorted by base, never overlapping */
	int nr, cap;
	uint64_t unhandled;
};

void iobus__init(struct iobus *bus, const char *name);
void iobus__exit(struct iobus *bus);

/* -EEXIST if the range overlaps one already registered. */
int iobus__register(struct iobus *bus, uint64_t base, uint64_t len, iobus_fn fn,
		    void *opaque, const char *name);
/* Remove the range registered at `base` for `opaque`; -ENOENT if none. */
int iobus__unregister(struct iobus *bus, uint64_t base, void *opaque);

/*
 * Dispatch one access. Returns false when nothing decodes `addr`: the caller
 * then reads all-ones (as a real bus floats) and drops writes.
 */
bool iobus__access(struct iobus *bus, uint64_t addr, uint8_t *data,
		   uint32_t len, bool is_write);

/* Call fn for each range, in address order (for --stats). */
void iobus__for_each(struct iobus *bus,
		     void (*fn)(const struct iobus_range *r, void *arg),
		     void *arg);

#endif
