// SPDX-License-Identifier: GPL-2.0
/*
 * The frontend's requests against a scripted backend on a socketpair: the
 * order and flags of the negotiation, one descriptor per memory region, and
 * hostile or silent backends turned into errors, never a hang or a crash.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "triovm/memory.h"
#include "triovm/util.h"
#include "triovm/vhost-user.h"

#define OK_FLAGS (VHOST_USER_VERSION | VHOST_USER_REPLY_MASK)
#define F_PROTO BIT_ULL(VHOST_USER_F_PROTOCOL_FEATURES)
#define P_ACK BIT_ULL(VHOST_USER_PROTOCOL_F_REPLY_ACK)
#define P_MQ BIT_ULL(VHOST_USER_PROTOCOL_F_MQ)
#define P_CONFIG BIT_ULL(VHOST_USER_PROTOCOL_F_CONFIG)

static int sv[2];
static struct vhost_user u;

static int setup(void **state)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			 0);
	vhost_user__init(&u, "test");
	u.sock = sv[0];
	u.timeout_ms = 200;
	return 0;
}

static int teardown(void **state)
{
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	return 0;
}

/* The backend's next reply, queued before the frontend asks. */
static void script(uint32_t request, uint32_t flags, uint32_t size, uint64_t a,
		   uint64_t b)
{
	struct vhost_user_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.request = request;
	m.hdr.flags = flags;
	m.hdr.size = size;
	if (size == 8 && request == VHOST_USER_GET_VRING_BASE) {
		m.payload.state.index = a;
		m.payload.state.num = b;
	} else {
		m.payload.u64 = a;
	}
	assert_int_equal(write(sv[1], &m, VHOST_USER_HDR_SIZE + size),
			 (ssize_t)(VHOST_USER_HDR_SIZE + size));
}

static void ack(uint32_t request)
{
	script(request, OK_FLAGS, 8, 0, 0);
}

/* What the frontend sent next. */
static void expect(uint32_t request, bool need_reply, int nfds,
		   struct vhost_user_msg *out)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], n;
	const char *why = NULL;

	assert_int_equal(vhost_user_msg__recv(sv[1], &m, fds, &n, 200, &why),
			 0);
	assert_int_equal(m.hdr.request, request);
	assert_int_equal(m.hdr.flags & VHOST_USER_VERSION_MASK,
			 VHOST_USER_VERSION);
	assert_false(m.hdr.flags & VHOST_USER_REPLY_MASK);
	assert_int_equal(!!(m.hdr.flags & VHOST_USER_NEED_REPLY_MASK),
			 need_reply);
	assert_int_equal(n, nfds);
	vhost_user_msg__close_fds(fds, n);
	if (out)
		*out = m;
}

static void test_negotiate(void **state)
{
	int calls[2] = { eventfd(0, EFD_CLOEXEC), eventfd(0, EFD_CLOEXEC) };
	struct vhost_user_msg m;

	script(VHOST_USER_GET_FEATURES, OK_FLAGS, 8, F_PROTO | 0x100000000ULL,
	       0);
	script(VHOST_USER_GET_PROTOCOL_FEATURES, OK_FLAGS, 8,
	       P_ACK | P_MQ | P_CONFIG | BIT_ULL(2), 0);
	script(VHOST_USER_GET_QUEUE_NUM, OK_FLAGS, 8, 4, 0);
	ack(VHOST_USER_SET_OWNER);
	ack(VHOST_USER_SET_VRING_CALL);
	ack(VHOST_USER_SET_VRING_CALL);
	assert_int_equal(
		vhost_user__negotiate(&u, P_ACK | P_MQ, P_MQ, 2, calls, 2), 0);
	assert_int_equal(u.protocol_features, P_ACK | P_MQ);
	assert_int_equal(u.queue_pairs, 4);

	expect(VHOST_USER_GET_FEATURES, false, 0, NULL);
	expect(VHOST_USER_GET_PROTOCOL_FEATURES, false, 0, NULL);
	/* Only what was wanted and offered: never CONFIG unasked. */
	expect(VHOST_USER_SET_PROTOCOL_FEATURES, false, 0, &m);
	assert_int_equal(m.payload.u64, P_ACK | P_MQ);
	expect(VHOST_USER_GET_QUEUE_NUM, false, 0, NULL);
	expect(VHOST_USER_SET_OWNER, true, 0, NULL);
	expect(VHOST_USER_SET_VRING_CALL, true, 1, &m);
	assert_int_equal(m.payload.u64, 0);
	expect(VHOST_USER_SET_VRING_CALL, true, 1, &m);
	assert_int_equal(m.payload.u64, 1);
	assert_int_equal(u.count.errors, 0);
	close(calls[0]);
	close(calls[1]);
}

static void test_negotiate_without_protocol_features(void **state)
{
	int call = -1;

	script(VHOST_USER_GET_FEATURES, OK_FLAGS, 8, 0x100000000ULL, 0);
	assert_int_equal(vhost_user__negotiate(&u, P_ACK, 0, 1, &call, 1), 0);
	expect(VHOST_USER_GET_FEATURES, false, 0, NULL);
	/* No acks without REPLY_ACK; no fd is a flag, not a descriptor. */
	expect(VHOST_USER_SET_OWNER, false, 0, NULL);
	expect(VHOST_USER_SET_VRING_CALL, false, 0, NULL);
	assert_false(vhost_user__has_protocol_features(&u));
}

static void test_negotiate_needs_mq(void **state)
{
	script(VHOST_USER_GET_FEATURES, OK_FLAGS, 8, F_PROTO, 0);
	script(VHOST_USER_GET_PROTOCOL_FEATURES, OK_FLAGS, 8, P_ACK, 0);
	assert_int_equal(vhost_user__negotiate(&u, P_ACK | P_MQ, P_MQ, 2, NULL,
					       0),
			 -EPROTONOSUPPORT);
}

static void test_negotiate_too_few_queues(void **state)
{
	script(VHOST_USER_GET_FEATURES, OK_FLAGS, 8, F_PROTO, 0);
	script(VHOST_USER_GET_PROTOCOL_FEATURES, OK_FLAGS, 8, P_ACK | P_MQ, 0);
	script(VHOST_USER_GET_QUEUE_NUM, OK_FLAGS, 8, 1, 0);
	assert_int_equal(vhost_user__negotiate(&u, P_ACK | P_MQ, P_MQ, 2, NULL,
					       0),
			 -ERANGE);
}

static void test_hostile_feature_reply(void **state)
{
	/* A reply to the wrong request. */
	script(VHOST_USER_GET_PROTOCOL_FEATURES, OK_FLAGS, 8, F_PROTO, 0);
	assert_int_equal(vhost_user__negotiate(&u, P_ACK, 0, 1, NULL, 0),
			 -EPROTO);
	assert_int_equal(u.count.errors, 1);
}

static void test_silent_backend(void **state)
{
	/* Asked, and never answered: an error after the timeout. */
	assert_int_equal(vhost_user__negotiate(&u, P_ACK, 0, 1, NULL, 0),
			 -ETIMEDOUT);
}

static void test_backend_gone(void **state)
{
	close(sv[1]);
	sv[1] = -1;
	assert_true(vhost_user__negotiate(&u, P_ACK, 0, 1, NULL, 0) < 0);
}

static void test_set_features(void **state)
{
	struct vhost_user_msg m;

	u.features = F_PROTO | 0x100000000ULL;
	u.protocol_features = P_ACK;
	/* Never a bit the backend did not offer (DPDK would hang up). */
	assert_int_equal(vhost_user__set_features(&u, F_PROTO | 1), -EINVAL);
	ack(VHOST_USER_SET_FEATURES);
	assert_int_equal(vhost_user__set_features(&u, u.features), 0);
	expect(VHOST_USER_SET_FEATURES, true, 0, &m);
	assert_int_equal(m.payload.u64, u.features);
}

static void test_refused_ack(void **state)
{
	u.protocol_features = P_ACK;
	script(VHOST_USER_SET_VRING_ENABLE, OK_FLAGS, 8, 1, 0);
	assert_int_equal(vhost_user__set_vring_enable(&u, 0, true), -EIO);
}

static void test_ack_for_another_request(void **state)
{
	u.protocol_features = P_ACK;
	ack(VHOST_USER_SET_VRING_NUM);
	assert_int_equal(vhost_user__set_vring_enable(&u, 0, true), -EPROTO);
}

static void test_mem_table(void **state)
{
	struct guest_mem mem;
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], n, i;
	const char *why = NULL;

	/* Past 3 GiB: two regions around the PCI hole, one memfd. */
	assert_int_equal(
		guest_mem__init(&mem, (3ULL << 30) + (64 << 20), false), 0);
	assert_int_equal(mem.nr_regions, 2);
	u.protocol_features = P_ACK;
	ack(VHOST_USER_SET_MEM_TABLE);
	assert_int_equal(vhost_user__set_mem_table(&u, &mem), 0);
	assert_int_equal(vhost_user_msg__recv(sv[1], &m, fds, &n, 200, &why),
			 0);
	assert_int_equal(m.hdr.request, VHOST_USER_SET_MEM_TABLE);
	assert_true(m.hdr.flags & VHOST_USER_NEED_REPLY_MASK);
	assert_int_equal(m.hdr.size, VHOST_USER_MEMORY_SIZE(2));
	/* One descriptor per region, however many files back them. */
	assert_int_equal(n, 2);
	assert_int_equal(m.payload.memory.nregions, 2);
	for (i = 0; i < 2; i++) {
		struct vhost_user_region *r = &m.payload.memory.regions[i];

		assert_int_equal(r->guest_phys_addr, mem.regions[i].gpa);
		assert_int_equal(r->memory_size, mem.regions[i].size);
		assert_int_equal(r->userspace_addr,
				 (uintptr_t)mem.regions[i].hva);
		assert_int_equal(r->mmap_offset, mem.regions[i].fd_offset);
	}
	assert_int_equal(m.payload.memory.regions[1].mmap_offset, 3ULL << 30);
	vhost_user_msg__close_fds(fds, n);
	guest_mem__exit(&mem);
}

static void test_setup_vring(void **state)
{
	struct vhost_user_vring r = {
		.index = 1,
		.num = 256,
		.base = 17,
		.desc = 0x1000,
		.avail = 0x2000,
		.used = 0x3000,
		.kick_fd = eventfd(0, EFD_CLOEXEC),
		.call_fd = eventfd(0, EFD_CLOEXEC),
	};
	struct vhost_user_msg m;

	u.protocol_features = P_ACK;
	ack(VHOST_USER_SET_VRING_NUM);
	ack(VHOST_USER_SET_VRING_BASE);
	ack(VHOST_USER_SET_VRING_ADDR);
	ack(VHOST_USER_SET_VRING_KICK);
	ack(VHOST_USER_SET_VRING_CALL);
	assert_int_equal(vhost_user__setup_vring(&u, &r), 0);
	expect(VHOST_USER_SET_VRING_NUM, true, 0, &m);
	assert_int_equal(m.payload.state.index, 1);
	assert_int_equal(m.payload.state.num, 256);
	expect(VHOST_USER_SET_VRING_BASE, true, 0, &m);
	assert_int_equal(m.payload.state.num, 17);
	expect(VHOST_USER_SET_VRING_ADDR, true, 0, &m);
	assert_int_equal(m.payload.addr.desc, 0x1000);
	assert_int_equal(m.payload.addr.avail, 0x2000);
	assert_int_equal(m.payload.addr.used, 0x3000);
	expect(VHOST_USER_SET_VRING_KICK, true, 1, &m);
	assert_int_equal(m.payload.u64, 1);
	expect(VHOST_USER_SET_VRING_CALL, true, 1, &m);
	close(r.kick_fd);
	close(r.call_fd);
}

static void test_get_vring_base(void **state)
{
	uint16_t base = 0;

	script(VHOST_USER_GET_VRING_BASE, OK_FLAGS, 8, 1, 4242);
	assert_int_equal(vhost_user__get_vring_base(&u, 1, &base), 0);
	assert_int_equal(base, 4242);
	/* The reply is about another ring. */
	script(VHOST_USER_GET_VRING_BASE, OK_FLAGS, 8, 0, 1);
	assert_int_equal(vhost_user__get_vring_base(&u, 1, &base), -EPROTO);
	/* An index a split ring cannot have. */
	script(VHOST_USER_GET_VRING_BASE, OK_FLAGS, 8, 1, 0x10000);
	assert_int_equal(vhost_user__get_vring_base(&u, 1, &base), -EPROTO);
	/* A u64 where a vring state belongs. */
	script(VHOST_USER_GET_VRING_BASE, OK_FLAGS, 4, 1, 0);
	assert_int_equal(vhost_user__get_vring_base(&u, 1, &base), -EPROTO);
	assert_int_equal(base, 4242);
}

static void test_not_connected(void **state)
{
	u.sock = -1;
	assert_int_equal(vhost_user__set_vring_enable(&u, 0, true), -ENOTCONN);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_negotiate),
		T(test_negotiate_without_protocol_features),
		T(test_negotiate_needs_mq),
		T(test_negotiate_too_few_queues),
		T(test_hostile_feature_reply),
		T(test_silent_backend),
		T(test_backend_gone),
		T(test_set_features),
		T(test_refused_ack),
		T(test_ack_for_another_request),
		T(test_mem_table),
		T(test_setup_vring),
		T(test_get_vring_base),
		T(test_not_connected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
