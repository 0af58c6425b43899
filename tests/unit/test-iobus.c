// SPDX-License-Identifier: GPL-2.0
/* Range registration and dispatch on the port I/O and MMIO buses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "triovm/iobus.h"

struct hits {
	uint64_t last_addr;
	uint32_t last_len;
	bool last_write;
	int count;
};

static void handler(void *opaque, uint64_t addr, uint8_t *data, uint32_t len,
		    bool is_write)
{
	struct hits *h = opaque;

	h->last_addr = addr;
	h->last_len = len;
	h->last_write = is_write;
	h->count++;
	if (!is_write)
		memset(data, 0x5a, len);
}

static void test_dispatch(void **state)
{
	struct hits a = { 0 }, b = { 0 };
	struct iobus bus;
	uint8_t data[8];

	iobus__init(&bus, "test");
	assert_int_equal(iobus__register(&bus, 0x3f8, 8, handler, &a, "a"), 0);
	assert_int_equal(iobus__register(&bus, 0x100, 4, handler, &b, "b"), 0);
	assert_true(iobus__access(&bus, 0x3fd, data, 1, false));
	assert_int_equal(a.last_addr, 5);
	assert_int_equal(data[0], 0x5a);
	assert_true(iobus__access(&bus, 0x100, data, 4, true));
	assert_int_equal(b.count, 1);
	assert_true(b.last_write);
	/* Straddling the end of a range is not decoded. */
	assert_false(iobus__access(&bus, 0x3fe, data, 4, false));
	assert_memory_equal(data, "\xff\xff\xff\xff", 4);
	assert_false(iobus__access(&bus, 0x400, data, 1, true));
	assert_int_equal(bus.unhandled, 2);
	iobus__exit(&bus);
}

static void test_overlap_and_unregister(void **state)
{
	struct hits a = { 0 };
	struct iobus bus;
	uint8_t data[4];

	iobus__init(&bus, "test");
	assert_int_equal(iobus__register(&bus, 0x1000, 0x100, handler, &a, "a"),
			 0);
	assert_int_equal(iobus__register(&bus, 0x10ff, 1, handler, &a, "b"),
			 -EEXIST);
	assert_int_equal(iobus__register(&bus, 0xf00, 0x101, handler, &a, "c"),
			 -EEXIST);
	assert_int_equal(iobus__register(&bus, 0x1100, 0x10, handler, &a, "d"),
			 0);
	assert_int_equal(iobus__register(&bus, ~0ULL, 2, handler, &a, "e"),
			 -EINVAL);
	assert_int_equal(iobus__unregister(&bus, 0x1000, &a), 0);
	assert_int_equal(iobus__unregister(&bus, 0x1000, &a), -ENOENT);
	assert_false(iobus__access(&bus, 0x1000, data, 1, false));
	assert_true(iobus__access(&bus, 0x1100, data, 1, false));
	iobus__exit(&bus);
}

static void test_many_ranges(void **state)
{
	struct hits h[64];
	struct iobus bus;
	uint8_t data[1];
	int i;

	memset(h, 0, sizeof(h));
	iobus__init(&bus, "test");
	/* Registered out of order; lookups still find each one. */
	for (i = 63; i >= 0; i--)
		assert_int_equal(iobus__register(&bus, i * 0x10, 8, handler,
						 &h[i], "r"),
				 0);
	for (i = 0; i < 64; i++) {
		assert_true(iobus__access(&bus, i * 0x10 + 7, data, 1, false));
		assert_false(iobus__access(&bus, i * 0x10 + 8, data, 1, false));
		assert_int_equal(h[i].count, 1);
	}
	iobus__exit(&bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_overlap_and_unregister),
		cmocka_unit_test(test_many_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
