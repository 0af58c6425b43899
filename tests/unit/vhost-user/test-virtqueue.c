// SPDX-License-Identifier: GPL-2.0
/*
 * The virtqueue reader against well-formed and hostile descriptor chains in
 * real guest RAM: loops, indices out of range, buffers and tables outside
 * RAM, indirect tables that are too long, nested or malformed. Each hostile
 * case must come back as an error, promptly, touching nothing outside RAM.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "triovm/virtqueue.h"
#include "ring.h"

static struct ring r;
static struct virtq vq;

static int setup8(void **state)
{
	const char *why = NULL;

	ring_init(&r, 8);
	assert_int_equal(virtq__init(&vq, &r.mem, 8, RING_DESC, RING_AVAIL,
				     RING_USED, false, &why),
			 0);
	return 0;
}

static int teardown(void **state)
{
	ring_exit(&r);
	return 0;
}

/* Pop, expecting a malformed chain. */
static void expect_bad(void)
{
	struct virtq_elem e;
	const char *why = NULL;

	assert_int_equal(virtq__pop(&vq, &e, &why), -EINVAL);
	assert_non_null(why);
}

static void test_good_chain(void **state)
{
	struct virtq_elem e;
	const char *why = NULL;
	uint32_t id, len;
	uint8_t hdr[2] = { 7, 9 }, got[2], ack = 0x5a;

	memcpy(gpa(&r, RING_BUFS, 2), hdr, 2);
	set_desc(&r, RING_DESC, 3, RING_BUFS, 2, VRING_DESC_F_NEXT, 5);
	set_desc(&r, RING_DESC, 5, RING_BUFS + 0x100, 1, VRING_DESC_F_WRITE, 0);
	assert_int_equal(virtq__pop(&vq, &e, &why), 0); /* nothing yet */
	make_avail(&r, 3);
	assert_int_equal(virtq__pop(&vq, &e, &why), 1);
	assert_int_equal(e.head, 3);
	assert_int_equal(e.nr_out, 1);
	assert_int_equal(e.nr_in, 1);
	assert_int_equal(e.out_len, 2);
	assert_int_equal(e.in_len, 1);
	assert_int_equal(virtq_elem__read(&e, 0, got, 2), 0);
	assert_memory_equal(got, hdr, 2);
	assert_int_equal(virtq_elem__read(&e, 1, got, 2), -EINVAL);
	assert_int_equal(virtq_elem__write(&e, 0, &ack, 1), 0);
	assert_int_equal(virtq_elem__write(&e, 1, &ack, 1), -EINVAL);
	assert_int_equal(*(uint8_t *)gpa(&r, RING_BUFS + 0x100, 1), 0x5a);
	virtq__push(&vq, e.head, 1);
	assert_int_equal(used_idx(&r), 1);
	used_elem(&r, 0, &id, &len);
	assert_int_equal(id, 3);
	assert_int_equal(len, 1);
	assert_int_equal(virtq__pop(&vq, &e, &why), 0);
}

static void test_reads_across_buffers(void **state)
{
	struct virtq_elem e;
	const char *why = NULL;
	uint8_t got[5];

	memcpy(gpa(&r, RING_BUFS, 3), "abc", 3);
	memcpy(gpa(&r, RING_BUFS + 0x100, 3), "def", 3);
	set_desc(&r, RING_DESC, 0, RING_BUFS, 3, VRING_DESC_F_NEXT, 1);
	set_desc(&r, RING_DESC, 1, RING_BUFS + 0x100, 3, 0, 0);
	make_avail(&r, 0);
	assert_int_equal(virtq__pop(&vq, &e, &why), 1);
	assert_int_equal(virtq_elem__read(&e, 1, got, 5), 0);
	assert_memory_equal(got, "bcdef", 5);
	assert_int_equal(virtq_elem__read(&e, UINT64_MAX, got, 2), -EINVAL);
}

static void test_head_out_of_range(void **state)
{
	make_avail(&r, 8);
	expect_bad();
}

static void test_next_out_of_range(void **state)
{
	set_desc(&r, RING_DESC, 0, RING_BUFS, 4, VRING_DESC_F_NEXT, 8);
	make_avail(&r, 0);
	expect_bad();
}

static void test_self_loop(void **state)
{
	set_desc(&r, RING_DESC, 2, RING_BUFS, 4, VRING_DESC_F_NEXT, 2);
	make_avail(&r, 2);
	expect_bad();
}

static void test_loop(void **state)
{
	uint16_t i;

	/* 0 -> 1 -> ... -> 7 -> 0: a cycle through the whole table. */
	for (i = 0; i < 8; i++)
		set_desc(&r, RING_DESC, i, RING_BUFS, 4, VRING_DESC_F_NEXT,
			 (i + 1) % 8);
	make_avail(&r, 0);
	expect_bad();
}

static void test_buffer_outside_ram(void **state)
{
	set_desc(&r, RING_DESC, 0, RING_RAM - 2, 4, 0, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_buffer_wraps_address_space(void **state)
{
	set_desc(&r, RING_DESC, 0, UINT64_MAX - 7, 16, 0, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_buffer_in_pci_hole(void **state)
{
	set_desc(&r, RING_DESC, 0, 0xfee00000ULL, 4, 0, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_readable_after_writable(void **state)
{
	set_desc(&r, RING_DESC, 0, RING_BUFS, 1,
		 VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	set_desc(&r, RING_DESC, 1, RING_BUFS + 0x10, 2, 0, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_avail_idx_jump(void **state)
{
	set_desc(&r, RING_DESC, 0, RING_BUFS, 1, 0, 0);
	set_avail_idx(&r, 9); /* 9 chains in an 8-entry queue */
	expect_bad();
}

static void test_zero_length_buffers_skipped(void **state)
{
	struct virtq_elem e;
	const char *why = NULL;

	set_desc(&r, RING_DESC, 0, 0xdead0000000ULL, 0, VRING_DESC_F_NEXT, 1);
	set_desc(&r, RING_DESC, 1, RING_BUFS, 2, 0, 0);
	make_avail(&r, 0);
	assert_int_equal(virtq__pop(&vq, &e, &why), 1);
	assert_int_equal(e.nr_out, 1);
}

#define INDIRECT (RING_BUFS + 0x8000)

static void test_indirect_good(void **state)
{
	struct virtq_elem e;
	const char *why = NULL;

	set_desc(&r, INDIRECT, 0, RING_BUFS, 2, VRING_DESC_F_NEXT, 1);
	set_desc(&r, INDIRECT, 1, RING_BUFS + 0x10, 1, VRING_DESC_F_WRITE, 0);
	set_desc(&r, RING_DESC, 4, INDIRECT, 32, VRING_DESC_F_INDIRECT, 0);
	make_avail(&r, 4);
	assert_int_equal(virtq__pop(&vq, &e, &why), 1);
	assert_int_equal(e.head, 4);
	assert_int_equal(e.nr_out, 1);
	assert_int_equal(e.nr_in, 1);
}

static void test_indirect_too_long(void **state)
{
	/* Nine entries for an eight-entry queue. */
	set_desc(&r, RING_DESC, 0, INDIRECT, 16 * 9, VRING_DESC_F_INDIRECT, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_indirect_huge(void **state)
{
	set_desc(&r, RING_DESC, 0, INDIRECT, 0xfffffff0U, VRING_DESC_F_INDIRECT,
		 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_indirect_bad_length(void **state)
{
	set_desc(&r, RING_DESC, 0, INDIRECT, 24, VRING_DESC_F_INDIRECT, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_indirect_empty(void **state)
{
	set_desc(&r, RING_DESC, 0, INDIRECT, 0, VRING_DESC_F_INDIRECT, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_indirect_outside_ram(void **state)
{
	set_desc(&r, RING_DESC, 0, RING_RAM - 16, 32, VRING_DESC_F_INDIRECT, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_indirect_nested(void **state)
{
	set_desc(&r, INDIRECT, 0, INDIRECT + 0x100, 16, VRING_DESC_F_INDIRECT,
		 0);
	set_desc(&r, RING_DESC, 0, INDIRECT, 16, VRING_DESC_F_INDIRECT, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_indirect_with_next(void **state)
{
	set_desc(&r, INDIRECT, 0, RING_BUFS, 2, 0, 0);
	set_desc(&r, RING_DESC, 0, INDIRECT, 16,
		 VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
	make_avail(&r, 0);
	expect_bad();
}

static void test_indirect_index_out_of_range(void **state)
{
	set_desc(&r, INDIRECT, 0, RING_BUFS, 2, VRING_DESC_F_NEXT, 2);
	set_desc(&r, RING_DESC, 0, INDIRECT, 32, VRING_DESC_F_INDIRECT, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_indirect_loop(void **state)
{
	set_desc(&r, INDIRECT, 0, RING_BUFS, 2, VRING_DESC_F_NEXT, 1);
	set_desc(&r, INDIRECT, 1, RING_BUFS, 2, VRING_DESC_F_NEXT, 0);
	set_desc(&r, RING_DESC, 0, INDIRECT, 32, VRING_DESC_F_INDIRECT, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_indirect_counts_toward_chain(void **state)
{
	uint16_t i;

	/* Seven direct descriptors, then an indirect table of two: 9 > 8. */
	for (i = 0; i < 7; i++)
		set_desc(&r, RING_DESC, i, RING_BUFS, 1, VRING_DESC_F_NEXT,
			 i + 1);
	set_desc(&r, RING_DESC, 7, INDIRECT, 32, VRING_DESC_F_INDIRECT, 0);
	set_desc(&r, INDIRECT, 0, RING_BUFS, 2, VRING_DESC_F_NEXT, 1);
	set_desc(&r, INDIRECT, 1, RING_BUFS, 2, 0, 0);
	make_avail(&r, 0);
	expect_bad();
}

static void test_rings_checked_at_init(void **state)
{
	const char *why = NULL;
	struct virtq q;

	assert_int_equal(virtq__init(&q, &r.mem, 8, RING_RAM - 64, RING_AVAIL,
				     RING_USED, false, &why),
			 -EINVAL);
	assert_int_equal(virtq__init(&q, &r.mem, 8, RING_DESC, RING_AVAIL,
				     RING_RAM - 8, false, &why),
			 -EINVAL);
	assert_int_equal(virtq__init(&q, &r.mem, 8, RING_DESC + 8, RING_AVAIL,
				     RING_USED, false, &why),
			 -EINVAL);
	assert_int_equal(virtq__init(&q, &r.mem, 8, RING_DESC, RING_AVAIL + 1,
				     RING_USED, false, &why),
			 -EINVAL);
	assert_int_equal(virtq__init(&q, &r.mem, 6, RING_DESC, RING_AVAIL,
				     RING_USED, false, &why),
			 -EINVAL);
	assert_int_equal(virtq__init(&q, &r.mem, 0, RING_DESC, RING_AVAIL,
				     RING_USED, false, &why),
			 -EINVAL);
	assert_int_equal(virtq__init(&q, &r.mem, 8, 0xc0000000ULL, RING_AVAIL,
				     RING_USED, false, &why),
			 -EINVAL);
}

static void test_chain_longer_than_reader(void **state)
{
	const char *why = NULL;
	struct virtq big;
	struct virtq_elem e;
	uint16_t i;

	/* A 128-entry queue, a legal 65-buffer chain: more than it reads. */
	r.size = 128;
	assert_int_equal(virtq__init(&big, &r.mem, 128, RING_DESC, RING_AVAIL,
				     RING_USED, false, &why),
			 0);
	for (i = 0; i < VIRTQ_MAX_IOV + 1; i++)
		set_desc(&r, RING_DESC, i, RING_BUFS, 1,
			 i < VIRTQ_MAX_IOV ? VRING_DESC_F_NEXT : 0, i + 1);
	make_avail(&r, 0);
	assert_int_equal(virtq__pop(&big, &e, &why), -EINVAL);
}

static void test_interrupt_suppression(void **state)
{
	struct virtq_elem e;
	const char *why = NULL;
	uint16_t old;

	set_desc(&r, RING_DESC, 0, RING_BUFS, 1, 0, 0);
	make_avail(&r, 0);
	assert_int_equal(virtq__pop(&vq, &e, &why), 1);
	old = vq.used_idx;
	assert_false(virtq__needs_interrupt(&vq, old));
	virtq__push(&vq, e.head, 0);
	assert_true(virtq__needs_interrupt(&vq, old));
	*(uint16_t *)gpa(&r, RING_AVAIL, 2) = VRING_AVAIL_F_NO_INTERRUPT;
	assert_false(virtq__needs_interrupt(&vq, old));
}

static void test_event_idx(void **state)
{
	const char *why = NULL;
	struct virtq_elem e;
	uint16_t old;

	assert_int_equal(virtq__init(&vq, &r.mem, 8, RING_DESC, RING_AVAIL,
				     RING_USED, true, &why),
			 0);
	set_desc(&r, RING_DESC, 0, RING_BUFS, 1, 0, 0);
	make_avail(&r, 0);
	assert_int_equal(virtq__pop(&vq, &e, &why), 1);
	/* The driver is told to notify for the chain after this one. */
	assert_false(virtq__enable_notify(&vq));
	assert_int_equal(*(uint16_t *)gpa(&r, RING_USED + 4 + 8 * 8, 2), 1);
	old = vq.used_idx;
	virtq__push(&vq, e.head, 0);
	/* used_event 0: the driver wants to hear when entry 0 is used. */
	*(uint16_t *)gpa(&r, RING_AVAIL + 4 + 2 * 8, 2) = 0;
	assert_true(virtq__needs_interrupt(&vq, old));
	*(uint16_t *)gpa(&r, RING_AVAIL + 4 + 2 * 8, 2) = 5;
	assert_false(virtq__needs_interrupt(&vq, old));
	make_avail(&r, 0);
	assert_true(virtq__enable_notify(&vq));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup8, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_good_chain),
		T(test_reads_across_buffers),
		T(test_head_out_of_range),
		T(test_next_out_of_range),
		T(test_self_loop),
		T(test_loop),
		T(test_buffer_outside_ram),
		T(test_buffer_wraps_address_space),
		T(test_buffer_in_pci_hole),
		T(test_readable_after_writable),
		T(test_avail_idx_jump),
		T(test_zero_length_buffers_skipped),
		T(test_indirect_good),
		T(test_indirect_too_long),
		T(test_indirect_huge),
		T(test_indirect_bad_length),
		T(test_indirect_empty),
		T(test_indirect_outside_ram),
		T(test_indirect_nested),
		T(test_indirect_with_next),
		T(test_indirect_index_out_of_range),
		T(test_indirect_loop),
		T(test_indirect_counts_toward_chain),
		T(test_rings_checked_at_init),
		T(test_chain_longer_than_reader),
		T(test_interrupt_suppression),
		T(test_event_idx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
