/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The switch's forwarding database: which port each MAC address was last seen
 * on, and the forwarding decision for a burst of frames. Plain C on MACs and
 * port numbers, so that it is tested without DPDK. One data core owns it.
 */
#ifndef TRIOVM_VSWITCH_FDB_H
#define TRIOVM_VSWITCH_FDB_H

#include <stddef.h>
#include <stdint.h>

/* Ports are bits in a uint64_t mask. */
#define FDB_MAX_PORTS 64
#define FDB_WAYS 4
#define ETH_HDR_LEN 14

struct fdb_entry {
	uint64_t mac; /* 48 bits; 0 marks a free way */
	uint64_t seen; /* when last learned, in the caller's time unit */
	uint16_t port;
};

struct fdb {
	struct fdb_entry *buckets; /* nr_buckets * FDB_WAYS */
	unsigned int nr_buckets; /* a power of two */
	uint64_t max_age; /* an entry not refreshed for longer is gone */
	unsigned int count; /* entries in use, expired ones included */
};

/*
 * `capacity` (rounded up to a multiple of FDB_WAYS and a power of two) entries
 * that live `max_age` time units. 0 or -EINVAL/-ENOMEM.
 */
int fdb__init(struct fdb *fdb, unsigned int capacity, uint64_t max_age);
void fdb__exit(struct fdb *fdb);

/* Records that `mac` sent from `port`; group and all-zero addresses are not. */
void fdb__learn(struct fdb *fdb, const uint8_t mac[6], unsigned int port,
		uint64_t now);
/* The port `mac` was last seen on, or -ENOENT (unknown or aged out). */
int fdb__lookup(const struct fdb *fdb, const uint8_t mac[6], uint64_t now);
/* Drops every entry that points at `port` (it went down). */
void fdb__forget_port(struct fdb *fdb, unsigned int port);
/* Frees aged-out entries; returns how many are left. */
unsigned int fdb__expire(struct fdb *fdb, uint64_t now);

/*
 * One frame from `in_port`: learns its source and returns the ports it goes
 * out of, a mask within `ports_up` that never holds `in_port`. Group and
 * unknown destinations flood; 0 means drop (a runt, or a destination on the
 * ingress port's own segment, or nowhere else to go).
 */
uint64_t fdb__forward(struct fdb *fdb, unsigned int in_port,
		      const uint8_t *frame, size_t len, uint64_t ports_up,
		      uint64_t now);

/* The same for a burst: out[i] for frames[i] of lens[i] bytes. */
void fdb__forward_burst(struct fdb *fdb, unsigned int in_port,
			const uint8_t *const *frames, const uint32_t *lens,
			unsigned int n, uint64_t ports_up, uint64_t now,
			uint64_t *out);

#endif
