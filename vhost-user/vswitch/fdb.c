// SPDX-License-Identifier: GPL-2.0
/*
 * A set-associative MAC table: each address hashes to one bucket of FDB_WAYS
 * entries. Lookups and learning cost a bounded few compares per frame, aging
 * needs no timer (an old entry reads as absent and is reused), and a full
 * bucket evicts its stalest entry rather than refusing to learn.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "fdb.h"

#define FDB_MAX_BUCKETS (1U << 24)

static uint64_t mac_key(const uint8_t mac[6])
{
	return (uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 |
	       (uint64_t)mac[2] << 24 | (uint64_t)mac[3] << 16 |
	       (uint64_t)mac[4] << 8 | mac[5];
}

static bool mac_is_group(const uint8_t mac[6])
{
	return mac[0] & 1;
}

static struct fdb_entry *bucket_of(const struct fdb *fdb, uint64_t key)
{
	/* Fibonacci hashing: locally administered MACs differ in low bytes. */
	uint64_t h = (key * 0x9e3779b97f4a7c15ULL) >> 32;

	return &fdb->buckets[(h & (fdb->nr_buckets - 1)) * FDB_WAYS];
}

static bool expired(const struct fdb *fdb, const struct fdb_entry *e,
		    uint64_t now)
{
	return now - e->seen > fdb->max_age;
}

int fdb__init(struct fdb *fdb, unsigned int capacity, uint64_t max_age)
{
	unsigned int want = (capacity + FDB_WAYS - 1) / FDB_WAYS;
	unsigned int n = 1;

	if (!capacity || want > FDB_MAX_BUCKETS)
		return -EINVAL;
	while (n < want)
		n <<= 1;
	fdb->buckets = calloc((size_t)n * FDB_WAYS, sizeof(*fdb->buckets));
	if (!fdb->buckets)
		return -ENOMEM;
	fdb->nr_buckets = n;
	fdb->max_age = max_age;
	fdb->count = 0;
	return 0;
}

void fdb__exit(struct fdb *fdb)
{
	free(fdb->buckets);
	fdb->buckets = NULL;
	fdb->nr_buckets = 0;
	fdb->count = 0;
}

void fdb__learn(struct fdb *fdb, const uint8_t mac[6], unsigned int port,
		uint64_t now)
{
	uint64_t key = mac_key(mac);
	struct fdb_entry *b, *victim = NULL;
	int i;

	if (!key || mac_is_group(mac) || port >= FDB_MAX_PORTS)
		return;
	b = bucket_of(fdb, key);
	for (i = 0; i < FDB_WAYS; i++) {
		if (b[i].mac == key) {
			/* Refreshes, and follows a station that moved. */
			b[i].port = port;
			b[i].seen = now;
			return;
		}
	}
	for (i = 0; i < FDB_WAYS; i++) {
		if (!b[i].mac || expired(fdb, &b[i], now)) {
			victim = &b[i];
			break;
		}
		if (!victim || now - b[i].seen > now - victim->seen)
			victim = &b[i];
	}
	if (!victim->mac)
		fdb->count++;
	victim->mac = key;
	victim->port = port;
	victim->seen = now;
}

int fdb__lookup(const struct fdb *fdb, const uint8_t mac[6], uint64_t now)
{
	uint64_t key = mac_key(mac);
	const struct fdb_entry *b;
	int i;

	if (!key)
		return -ENOENT;
	b = bucket_of(fdb, key);
	for (i = 0; i < FDB_WAYS; i++)
		if (b[i].mac == key)
			return expired(fdb, &b[i], now) ? -ENOENT : b[i].port;
	return -ENOENT;
}

void fdb__forget_port(struct fdb *fdb, unsigned int port)
{
	size_t i, n = (size_t)fdb->nr_buckets * FDB_WAYS;

	for (i = 0; i < n; i++) {
		if (fdb->buckets[i].mac && fdb->buckets[i].port == port) {
			fdb->buckets[i].mac = 0;
			fdb->count--;
		}
	}
}

unsigned int fdb__expire(struct fdb *fdb, uint64_t now)
{
	size_t i, n = (size_t)fdb->nr_buckets * FDB_WAYS;

	for (i = 0; i < n; i++) {
		if (fdb->buckets[i].mac &&
		    expired(fdb, &fdb->buckets[i], now)) {
			fdb->buckets[i].mac = 0;
			fdb->count--;
		}
	}
	return fdb->count;
}

uint64_t fdb__forward(struct fdb *fdb, unsigned int in_port,
		      const uint8_t *frame, size_t len, uint64_t ports_up,
		      uint64_t now)
{
	uint64_t others;
	int port;

	if (len < ETH_HDR_LEN || in_port >= FDB_MAX_PORTS)
		return 0;
	others = ports_up & ~(1ULL << in_port);
	fdb__learn(fdb, frame + 6, in_port, now);
	if (mac_is_group(frame))
		return others;
	port = fdb__lookup(fdb, frame, now);
	if (port < 0)
		return others;
	if ((unsigned int)port == in_port)
		return 0;
	/* Learned on a port that has since gone down: unknown again. */
	if (!(others & (1ULL << port)))
		return others;
	return 1ULL << port;
}

void fdb__forward_burst(struct fdb *fdb, unsigned int in_port,
			const uint8_t *const *frames, const uint32_t *lens,
			unsigned int n, uint64_t ports_up, uint64_t now,
			uint64_t *out)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		out[i] = fdb__forward(fdb, in_port, frames[i], lens[i],
				      ports_up, now);
}
