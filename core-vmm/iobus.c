// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O and MMIO dispatch. Ranges live in a sorted array searched by
 * bisection under a read lock: lookups happen on every exit from every vCPU,
 * changes only when the guest moves a BAR.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/iobus.h"
#include "triovm/log.h"

void iobus__init(struct iobus *bus, const char *name)
{
	memset(bus, 0, sizeof(*bus));
	bus->name = name;
	pthread_rwlock_init(&bus->lock, NULL);
}

void iobus__exit(struct iobus *bus)
{
	free(bus->ranges);
	bus->ranges = NULL;
	bus->nr = bus->cap = 0;
	pthread_rwlock_destroy(&bus->lock);
}

/* Index of the first range whose end is above addr. */
static int iobus__search(const struct iobus *bus, uint64_t addr)
{
	int lo = 0, hi = bus->nr;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		const struct iobus_range *r = &bus->ranges[mid];

		if (r->base + r->len <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int iobus__register(struct iobus *bus, uint64_t base, uint64_t len, iobus_fn fn,
		    void *opaque, const char *name)
{
	struct iobus_range *r;
	int i, ret = 0;

	if (!len || base + len < base)
		return -EINVAL;

	pthread_rwlock_wrlock(&bus->lock);
	i = iobus__search(bus, base);
	if (i < bus->nr && ranges_overlap(base, len, bus->ranges[i].base,
					  bus->ranges[i].len)) {
		pr_err("%s: %s at 0x%llx+0x%llx overlaps %s", bus->name, name,
		       (unsigned long long)base, (unsigned long long)len,
		       bus->ranges[i].name);
		ret = -EEXIST;
		goto out;
	}
	if (bus->nr == bus->cap) {
		int cap = bus->cap ? bus->cap * 2 : 16;

		r = realloc(bus->ranges, cap * sizeof(*r));
		if (!r) {
			ret = -ENOMEM;
			goto out;
		}
		bus->ranges = r;
		bus->cap = cap;
	}
	memmove(&bus->ranges[i + 1], &bus->ranges[i],
		(bus->nr - i) * sizeof(*r));
	bus->ranges[i] = (struct iobus_range){
		.base = base,
		.len = len,
		.fn = fn,
		.opaque = opaque,
		.name = name,
	};
	bus->nr++;
out:
	pthread_rwlock_unlock(&bus->lock);
	return ret;
}

int iobus__unregister(struct iobus *bus, uint64_t base, void *opaque)
{
	int i, ret = -ENOENT;

	pthread_rwlock_wrlock(&bus->lock);
	i = iobus__search(bus, base);
	if (i < bus->nr && bus->ranges[i].base == base &&
	    bus->ranges[i].opaque == opaque) {
		memmove(&bus->ranges[i], &bus->ranges[i + 1],
			(bus->nr - i - 1) * sizeof(bus->ranges[0]));
		bus->nr--;
		ret = 0;
	}
	pthread_rwlock_unlock(&bus->lock);
	return ret;
}

bool iobus__access(struct iobus *bus, uint64_t addr, uint8_t *data,
		   uint32_t len, bool is_write)
{
	struct iobus_range *r;
	iobus_fn fn;
	void *opaque;
	uint64_t off;
	int i;

	pthread_rwlock_rdlock(&bus->lock);
	i = iobus__search(bus, addr);
	if (i >= bus->nr ||
	    !range_within(addr, len, bus->ranges[i].base, bus->ranges[i].len)) {
		pthread_rwlock_unlock(&bus->lock);
		__atomic_fetch_add(&bus->unhandled, 1, __ATOMIC_RELAXED);
		if (log_get_level() >= LOG_DEBUG)
			pr_debug("%s: unhandled %s of %u bytes at 0x%llx",
				 bus->name, is_write ? "write" : "read", len,
				 (unsigned long long)addr);
		if (!is_write)
			memset(data, 0xff, len);
		return false;
	}
	r = &bus->ranges[i];
	fn = r->fn;
	opaque = r->opaque;
	off = addr - r->base;
	__atomic_fetch_add(&r->exits, 1, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&bus->lock);
	/*
	 * The handler runs without the lock: a config-space write may move a
	 * BAR, which re-registers ranges on this very bus. Devices are freed
	 * only after every vCPU has stopped, so `opaque` stays valid.
	 */
	fn(opaque, off, data, len, is_write);
	return true;
}

void iobus__for_each(struct iobus *bus,
		     void (*fn)(const struct iobus_range *r, void *arg),
		     void *arg)
{
	int i;

	pthread_rwlock_rdlock(&bus->lock);
	for (i = 0; i < bus->nr; i++)
		fn(&bus->ranges[i], arg);
	pthread_rwlock_unlock(&bus->lock);
}
