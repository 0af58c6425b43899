// SPDX-License-Identifier: GPL-2.0
/* The switch's MAC table: learning, aging, eviction, forwarding decisions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "fdb.h"

#define AGE 100
#define ALL_UP 0xfULL /* ports 0-3 */

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t mac_c[6] = { 0x02, 0, 0, 0, 0, 0x0c };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t zero[6] = { 0 };

/* A 64-byte frame from `src` to `dst`. */
static uint8_t *frame(uint8_t *buf, const uint8_t *dst, const uint8_t *src)
{
	memset(buf, 0, 64);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = 0x08;
	return buf;
}

static int setup(void **state)
{
	static struct fdb fdb;

	if (fdb__init(&fdb, 64, AGE))
		return -1;
	*state = &fdb;
	return 0;
}

static int teardown(void **state)
{
	fdb__exit(*state);
	return 0;
}

static void test_init_limits(void **state)
{
	struct fdb fdb;

	assert_int_equal(fdb__init(&fdb, 0, AGE), -EINVAL);
	assert_int_equal(fdb__init(&fdb, 1, AGE), 0);
	assert_int_equal(fdb.nr_buckets, 1);
	fdb__exit(&fdb);
	assert_int_equal(fdb__init(&fdb, 100, AGE), 0);
	assert_int_equal(fdb.nr_buckets, 32); /* 25 rounded up */
	fdb__exit(&fdb);
}

static void test_learn_lookup(void **state)
{
	struct fdb *fdb = *state;

	assert_int_equal(fdb__lookup(fdb, mac_a, 0), -ENOENT);
	fdb__learn(fdb, mac_a, 1, 0);
	fdb__learn(fdb, mac_b, 2, 0);
	assert_int_equal(fdb__lookup(fdb, mac_a, 10), 1);
	assert_int_equal(fdb__lookup(fdb, mac_b, 10), 2);
	assert_int_equal(fdb__lookup(fdb, mac_c, 10), -ENOENT);
	assert_int_equal(fdb->count, 2);
	/* Relearning refreshes without a second entry. */
	fdb__learn(fdb, mac_a, 1, 5);
	assert_int_equal(fdb->count, 2);
}

static void test_never_learns_group_or_zero(void **state)
{
	struct fdb *fdb = *state;

	fdb__learn(fdb, bcast, 1, 0);
	fdb__learn(fdb, mcast, 1, 0);
	fdb__learn(fdb, zero, 1, 0);
	fdb__learn(fdb, mac_a, FDB_MAX_PORTS, 0);
	assert_int_equal(fdb->count, 0);
	assert_int_equal(fdb__lookup(fdb, mcast, 0), -ENOENT);
	assert_int_equal(fdb__lookup(fdb, mac_a, 0), -ENOENT);
}

static void test_station_moves(void **state)
{
	struct fdb *fdb = *state;

	fdb__learn(fdb, mac_a, 1, 0);
	fdb__learn(fdb, mac_a, 3, 1);
	assert_int_equal(fdb__lookup(fdb, mac_a, 2), 3);
	assert_int_equal(fdb->count, 1);
}

static void test_aging(void **state)
{
	struct fdb *fdb = *state;

	fdb__learn(fdb, mac_a, 1, 1000);
	fdb__learn(fdb, mac_b, 2, 1050);
	assert_int_equal(fdb__lookup(fdb, mac_a, 1000 + AGE), 1);
	assert_int_equal(fdb__lookup(fdb, mac_a, 1000 + AGE + 1), -ENOENT);
	assert_int_equal(fdb__lookup(fdb, mac_b, 1000 + AGE + 1), 2);
	assert_int_equal(fdb__expire(fdb, 1000 + AGE + 1), 1);
	assert_int_equal(fdb__expire(fdb, 1050 + AGE + 1), 0);
	/* An expired address is learned again as new. */
	fdb__learn(fdb, mac_a, 3, 2000);
	assert_int_equal(fdb__lookup(fdb, mac_a, 2000), 3);
	assert_int_equal(fdb->count, 1);
}

static void test_full_bucket_evicts_stalest(void **state)
{
	uint8_t macs[FDB_WAYS + 1][6];
	struct fdb fdb;
	int i;

	/* One bucket: every address lands in it. */
	assert_int_equal(fdb__init(&fdb, FDB_WAYS, 1000), 0);
	for (i = 0; i <= FDB_WAYS; i++) {
		memcpy(macs[i], mac_a, 6);
		macs[i][5] = i + 1;
	}
	for (i = 0; i < FDB_WAYS; i++)
		fdb__learn(&fdb, macs[i], i, 10 + i);
	/* Refresh the oldest: the second oldest becomes the victim. */
	fdb__learn(&fdb, macs[0], 0, 20);
	fdb__learn(&fdb, macs[FDB_WAYS], 9, 21);
	assert_int_equal(fdb.count, FDB_WAYS);
	assert_int_equal(fdb__lookup(&fdb, macs[0], 22), 0);
	assert_int_equal(fdb__lookup(&fdb, macs[1], 22), -ENOENT);
	for (i = 2; i < FDB_WAYS; i++)
		assert_int_equal(fdb__lookup(&fdb, macs[i], 22), i);
	assert_int_equal(fdb__lookup(&fdb, macs[FDB_WAYS], 22), 9);
	fdb__exit(&fdb);
}

static void test_forget_port(void **state)
{
	struct fdb *fdb = *state;

	fdb__learn(fdb, mac_a, 1, 0);
	fdb__learn(fdb, mac_b, 1, 0);
	fdb__learn(fdb, mac_c, 2, 0);
	fdb__forget_port(fdb, 1);
	assert_int_equal(fdb->count, 1);
	assert_int_equal(fdb__lookup(fdb, mac_a, 0), -ENOENT);
	assert_int_equal(fdb__lookup(fdb, mac_b, 0), -ENOENT);
	assert_int_equal(fdb__lookup(fdb, mac_c, 0), 2);
}

static void test_forward(void **state)
{
	struct fdb *fdb = *state;
	uint8_t f[64];

	/* Unknown unicast floods, never back out of the ingress port. */
	assert_int_equal(fdb__forward(fdb, 0, frame(f, mac_b, mac_a), 64,
				      ALL_UP, 0),
			 0xe);
	assert_int_equal(fdb__lookup(fdb, mac_a, 0), 0);
	/* The reply goes to where A was learned only. */
	assert_int_equal(fdb__forward(fdb, 2, frame(f, mac_a, mac_b), 64,
				      ALL_UP, 1),
			 0x1);
	assert_int_equal(fdb__forward(fdb, 0, frame(f, mac_b, mac_a), 64,
				      ALL_UP, 2),
			 0x4);
	/* Broadcast and multicast flood to the ports that are up. */
	assert_int_equal(fdb__forward(fdb, 1, frame(f, bcast, mac_c), 64,
				      ALL_UP, 3),
			 0xd);
	assert_int_equal(
		fdb__forward(fdb, 1, frame(f, mcast, mac_c), 64, 0x3, 3), 0x1);
	/* A destination on the ingress port's own segment is filtered. */
	assert_int_equal(
		fdb__forward(fdb, 2, frame(f, mac_b, mac_c), 64, ALL_UP, 4), 0);
	assert_int_equal(fdb__lookup(fdb, mac_c, 4), 2);
}

static void test_forward_port_down(void **state)
{
	struct fdb *fdb = *state;
	uint8_t f[64];

	fdb__learn(fdb, mac_b, 2, 0);
	/* B's port went down: B is unknown again, and floods. */
	assert_int_equal(
		fdb__forward(fdb, 0, frame(f, mac_b, mac_a), 64, 0xb, 1), 0xa);
	/* Nowhere else to go. */
	assert_int_equal(
		fdb__forward(fdb, 0, frame(f, bcast, mac_a), 64, 0x1, 1), 0);
}

static void test_forward_runt(void **state)
{
	struct fdb *fdb = *state;
	uint8_t f[64];

	frame(f, bcast, mac_a);
	assert_int_equal(fdb__forward(fdb, 0, f, ETH_HDR_LEN - 1, ALL_UP, 0),
			 0);
	/* A runt teaches nothing either. */
	assert_int_equal(fdb__lookup(fdb, mac_a, 0), -ENOENT);
	assert_int_equal(fdb__forward(fdb, 0, f, ETH_HDR_LEN, ALL_UP, 0), 0xe);
}

static void test_forward_burst(void **state)
{
	struct fdb *fdb = *state;
	uint8_t f[5][64];
	const uint8_t *frames[5] = { f[0], f[1], f[2], f[3], f[4] };
	uint32_t lens[5] = { 64, 64, 64, 10, 64 };
	uint64_t out[5];

	fdb__learn(fdb, mac_c, 3, 0);
	frame(f[0], mac_b, mac_a); /* unknown: flood */
	frame(f[1], mac_c, mac_b); /* known on 3 */
	frame(f[2], mac_a, mac_b); /* A was learned on this very port */
	frame(f[3], mac_c, mac_a); /* runt */
	frame(f[4], bcast, mac_b);
	fdb__forward_burst(fdb, 1, frames, lens, 5, ALL_UP, 1, out);
	assert_int_equal(out[0], 0xd);
	assert_int_equal(out[1], 0x8);
	assert_int_equal(out[2], 0);
	assert_int_equal(out[3], 0);
	assert_int_equal(out[4], 0xd);
	assert_int_equal(fdb__lookup(fdb, mac_a, 1), 1);
	assert_int_equal(fdb__lookup(fdb, mac_b, 1), 1);
}

static void test_many_addresses(void **state)
{
	struct fdb fdb;
	uint8_t mac[6] = { 0x02, 0x11, 0, 0, 0, 0 };
	unsigned int i, found = 0;

	assert_int_equal(fdb__init(&fdb, 4096, 1000), 0);
	for (i = 0; i < 2048; i++) {
		mac[4] = i >> 8;
		mac[5] = i;
		fdb__learn(&fdb, mac, i % FDB_MAX_PORTS, 0);
	}
	for (i = 0; i < 2048; i++) {
		mac[4] = i >> 8;
		mac[5] = i;
		found += fdb__lookup(&fdb, mac, 0) == (int)(i % FDB_MAX_PORTS);
	}
	/* Half full: the hash spreads sequential MACs, none is evicted. */
	assert_int_equal(found, 2048);
	assert_int_equal(fdb.count, found);
	fdb__exit(&fdb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_limits),
		cmocka_unit_test_setup_teardown(test_learn_lookup, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_never_learns_group_or_zero,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_station_moves, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_aging, setup, teardown),
		cmocka_unit_test(test_full_bucket_evicts_stalest),
		cmocka_unit_test_setup_teardown(test_forget_port, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forward_port_down, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_forward_runt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_forward_burst, setup,
						teardown),
		cmocka_unit_test(test_many_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
