// SPDX-License-Identifier: GPL-2.0
/*
 * The vhost-user message encoding over a real socketpair: messages and file
 * descriptors (SCM_RIGHTS) arrive intact, and every malformed reply a backend
 * could send is rejected with an error: short header, size too big, wrong
 * request id, unexpected or missing descriptors, REPLY flag missing, wrong
 * version, a closed or silent peer. No descriptor is leaked on any path.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "triovm/util.h"
#include "triovm/vhost-user.h"

#define SHORT_MS 200

static int sv[2]; /* [0] triovm's end, [1] the "backend" */

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static int setup(void **state)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			 0);
	*state = (void *)(intptr_t)open_fds();
	return 0;
}

static int teardown(void **state)
{
	if (sv[1] >= 0)
		close(sv[1]);
	close(sv[0]);
	return 0;
}

static void no_leak(void **state)
{
	assert_int_equal(open_fds(), (int)(intptr_t)*state);
}

/* What a backend writes: raw bytes, maybe with descriptors. */
static void peer_send(const void *buf, size_t len, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 16)];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (nfds) {
		struct cmsghdr *cm;

		memset(&ctrl, 0, sizeof(ctrl));
		mh.msg_control = ctrl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	assert_int_equal(sendmsg(sv[1], &mh, 0), (ssize_t)len);
}

static void peer_reply(uint32_t request, uint32_t flags, uint32_t size,
		       uint64_t val)
{
	struct vhost_user_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.request = request;
	m.hdr.flags = flags;
	m.hdr.size = size;
	m.payload.u64 = val;
	peer_send(&m, VHOST_USER_HDR_SIZE + min(size, 8), NULL, 0);
}

static int recv0(struct vhost_user_msg *m, int *fds, int *nfds,
		 const char **why)
{
	return vhost_user_msg__recv(sv[0], m, fds, nfds, SHORT_MS, why);
}

static void test_roundtrip(void **state)
{
	struct vhost_user_msg m, got;
	int fds[VHOST_USER_MAX_FDS], nfds;
	const char *why = NULL;

	vhost_user_msg__init(&m, VHOST_USER_SET_VRING_ADDR,
			     sizeof(m.payload.addr));
	m.payload.addr.index = 1;
	m.payload.addr.desc = 0x7f0000001000ULL;
	m.payload.addr.used = 0x7f0000003000ULL;
	m.payload.addr.avail = 0x7f0000002000ULL;
	assert_int_equal(vhost_user_msg__send(sv[0], &m, NULL, 0, SHORT_MS), 0);
	assert_int_equal(vhost_user_msg__recv(sv[1], &got, fds, &nfds, SHORT_MS,
					      &why),
			 0);
	assert_int_equal(nfds, 0);
	assert_int_equal(got.hdr.request, VHOST_USER_SET_VRING_ADDR);
	assert_int_equal(got.hdr.flags, VHOST_USER_VERSION);
	assert_int_equal(got.hdr.size, 40);
	assert_memory_equal(&got.payload.addr, &m.payload.addr, 40);
	no_leak(state);
}

static void test_fd_passing(void **state)
{
	struct vhost_user_msg m, got;
	int fds[VHOST_USER_MAX_FDS], nfds, mine[2], i;
	const char *why = NULL;
	struct stat a, b;
	uint64_t v;

	mine[0] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	mine[1] = memfd_create("test-ram", MFD_CLOEXEC);
	assert_true(mine[0] >= 0 && mine[1] >= 0);
	vhost_user_msg__init(&m, VHOST_USER_SET_MEM_TABLE,
			     VHOST_USER_MEMORY_SIZE(2));
	m.payload.memory.nregions = 2;
	m.payload.memory.regions[1].mmap_offset = 0xc0000000ULL;
	assert_int_equal(vhost_user_msg__send(sv[0], &m, mine, 2, SHORT_MS), 0);
	assert_int_equal(vhost_user_msg__recv(sv[1], &got, fds, &nfds, SHORT_MS,
					      &why),
			 0);
	assert_int_equal(nfds, 2);
	assert_int_equal(got.hdr.size, 8 + 2 * 32);
	assert_int_equal(got.payload.memory.regions[1].mmap_offset,
			 0xc0000000ULL);
	/* The same objects, not copies: same inode, and an eventfd works. */
	for (i = 0; i < 2; i++) {
		assert_int_equal(fstat(mine[i], &a), 0);
		assert_int_equal(fstat(fds[i], &b), 0);
		assert_int_equal(a.st_ino, b.st_ino);
		assert_int_not_equal(fds[i], mine[i]);
	}
	assert_int_equal(eventfd_write(fds[0], 5), 0);
	assert_int_equal(eventfd_read(mine[0], &v), 0);
	assert_int_equal(v, 5);
	vhost_user_msg__close_fds(fds, nfds);
	close(mine[0]);
	close(mine[1]);
	no_leak(state);
}

static void test_fd_limit(void **state)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS + 1] = { 0 };

	vhost_user_msg__init(&m, VHOST_USER_SET_MEM_TABLE, 8);
	assert_int_equal(vhost_user_msg__send(sv[0], &m, fds,
					      VHOST_USER_MAX_FDS + 1, SHORT_MS),
			 -EINVAL);
	m.hdr.size = sizeof(m.payload) + 1;
	assert_int_equal(vhost_user_msg__send(sv[0], &m, NULL, 0, SHORT_MS),
			 -EINVAL);
}

static void test_good_reply(void **state)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], nfds;
	const char *why = NULL;

	peer_reply(VHOST_USER_GET_FEATURES,
		   VHOST_USER_VERSION | VHOST_USER_REPLY_MASK, 8, 0x1234);
	assert_int_equal(recv0(&m, fds, &nfds, &why), 0);
	assert_int_equal(vhost_user_msg__check_reply(
				 &m, nfds, VHOST_USER_GET_FEATURES, 8, 0, &why),
			 0);
	assert_int_equal(m.payload.u64, 0x1234);
}

static void test_short_header_then_close(void **state)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], nfds;
	const char *why = NULL;
	uint8_t half[6] = { 1, 0, 0, 0, 5, 0 };

	peer_send(half, sizeof(half), NULL, 0);
	close(sv[1]);
	sv[1] = -1;
	assert_int_equal(recv0(&m, fds, &nfds, &why), -ECONNRESET);
	assert_non_null(strstr(why, "inside a message"));
}

static void test_short_header_then_silence(void **state)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], nfds;
	const char *why = NULL;
	uint8_t half[6] = { 1, 0, 0, 0, 5, 0 };

	peer_send(half, sizeof(half), NULL, 0);
	assert_int_equal(recv0(&m, fds, &nfds, &why), -ETIMEDOUT);
}

static void test_silent_peer(void **state)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], nfds;
	const char *why = NULL;

	assert_int_equal(recv0(&m, fds, &nfds, &why), -ETIMEDOUT);
	assert_non_null(why);
}

static void test_closed_peer(void **state)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], nfds;
	const char *why = NULL;

	close(sv[1]);
	sv[1] = -1;
	assert_int_equal(recv0(&m, fds, &nfds, &why), -ECONNRESET);
	assert_string_equal(why, "the connection closed");
}

static void test_size_too_big(void **state)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], nfds, efd;
	const char *why = NULL;
	struct vhost_user_hdr h = {
		.request = VHOST_USER_GET_FEATURES,
		.flags = VHOST_USER_VERSION | VHOST_USER_REPLY_MASK,
		.size = 0x10000,
	};

	/* With a descriptor too: it must not stay open. */
	efd = eventfd(0, EFD_CLOEXEC);
	peer_send(&h, sizeof(h), &efd, 1);
	close(efd);
	assert_int_equal(recv0(&m, fds, &nfds, &why), -EMSGSIZE);
	assert_int_equal(nfds, 0);
	h.size = 0xffffffff;
	peer_send(&h, sizeof(h), NULL, 0);
	assert_int_equal(recv0(&m, fds, &nfds, &why), -EMSGSIZE);
	no_leak(state);
}

static void test_truncated_payload(void **state)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], nfds;
	const char *why = NULL;
	uint8_t buf[12 + 4] = { VHOST_USER_GET_VRING_BASE,
				0,
				0,
				0,
				VHOST_USER_VERSION | VHOST_USER_REPLY_MASK,
				0,
				0,
				0,
				8 };

	peer_send(buf, sizeof(buf), NULL, 0);
	close(sv[1]);
	sv[1] = -1;
	assert_int_equal(recv0(&m, fds, &nfds, &why), -ECONNRESET);
	assert_non_null(strstr(why, "inside a message"));
}

static void test_too_many_fds(void **state)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], nfds, many[12], i;
	const char *why = NULL;
	struct vhost_user_hdr h = {
		.request = VHOST_USER_GET_FEATURES,
		.flags = VHOST_USER_VERSION | VHOST_USER_REPLY_MASK,
		.size = 0,
	};

	for (i = 0; i < 12; i++)
		many[i] = eventfd(0, EFD_CLOEXEC);
	peer_send(&h, sizeof(h), many, 12);
	for (i = 0; i < 12; i++)
		close(many[i]);
	assert_int_equal(recv0(&m, fds, &nfds, &why), -EPROTO);
	assert_int_equal(nfds, 0);
	no_leak(state);
}

/* A reply that arrives intact but is wrong in one way. */
static void check_bad(uint32_t req, uint32_t flags, uint32_t size,
		      uint32_t want_req, uint32_t want_size, int want_fds,
		      int send_fds, const char *what)
{
	struct vhost_user_msg m;
	int fds[VHOST_USER_MAX_FDS], nfds, efd = -1;
	const char *why = NULL;
	uint8_t raw[12 + 8] = { 0 };
	struct vhost_user_hdr h = { req, flags, size };

	memcpy(raw, &h, 12);
	if (send_fds)
		efd = eventfd(0, EFD_CLOEXEC);
	peer_send(raw, 12 + size, &efd, send_fds);
	if (efd >= 0)
		close(efd);
	assert_int_equal(recv0(&m, fds, &nfds, &why), 0);
	assert_int_equal(nfds, send_fds);
	assert_int_equal(vhost_user_msg__check_reply(&m, nfds, want_req,
						     want_size, want_fds, &why),
			 -EPROTO);
	assert_non_null(strstr(why, what));
	vhost_user_msg__close_fds(fds, nfds);
}

#define OK_FLAGS (VHOST_USER_VERSION | VHOST_USER_REPLY_MASK)

static void test_wrong_request_id(void **state)
{
	check_bad(VHOST_USER_GET_PROTOCOL_FEATURES, OK_FLAGS, 8,
		  VHOST_USER_GET_FEATURES, 8, 0, 0, "another request");
}

static void test_wrong_size(void **state)
{
	check_bad(VHOST_USER_GET_VRING_BASE, OK_FLAGS, 4,
		  VHOST_USER_GET_VRING_BASE, 8, 0, 0, "payload size");
	check_bad(VHOST_USER_GET_FEATURES, OK_FLAGS, 0, VHOST_USER_GET_FEATURES,
		  8, 0, 0, "payload size");
}

static void test_unexpected_fds(void **state)
{
	check_bad(VHOST_USER_GET_FEATURES, OK_FLAGS, 8, VHOST_USER_GET_FEATURES,
		  8, 0, 1, "should not");
	no_leak(state);
}

static void test_missing_fds(void **state)
{
	check_bad(VHOST_USER_GET_FEATURES, OK_FLAGS, 8, VHOST_USER_GET_FEATURES,
		  8, 1, 0, "lacks the file");
}

static void test_reply_flag_missing(void **state)
{
	check_bad(VHOST_USER_GET_FEATURES, VHOST_USER_VERSION, 8,
		  VHOST_USER_GET_FEATURES, 8, 0, 0, "REPLY flag");
	check_bad(VHOST_USER_GET_FEATURES,
		  VHOST_USER_VERSION | VHOST_USER_NEED_REPLY_MASK, 8,
		  VHOST_USER_GET_FEATURES, 8, 0, 0, "REPLY flag");
}

static void test_wrong_version(void **state)
{
	check_bad(VHOST_USER_GET_FEATURES, 0x2 | VHOST_USER_REPLY_MASK, 8,
		  VHOST_USER_GET_FEATURES, 8, 0, 0, "version");
	check_bad(VHOST_USER_GET_FEATURES, VHOST_USER_REPLY_MASK, 8,
		  VHOST_USER_GET_FEATURES, 8, 0, 0, "version");
}

static void test_names(void **state)
{
	char buf[32];

	assert_string_equal(vhost_user_msg__name(VHOST_USER_GET_VRING_BASE, buf,
						 sizeof(buf)),
			    "GET_VRING_BASE");
	assert_string_equal(vhost_user_msg__name(1000, buf, sizeof(buf)),
			    "request 1000");
	assert_string_equal(vhost_user_msg__name(21, buf, sizeof(buf)),
			    "request 21");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_roundtrip),
		T(test_fd_passing),
		T(test_fd_limit),
		T(test_good_reply),
		T(test_short_header_then_close),
		T(test_short_header_then_silence),
		T(test_silent_peer),
		T(test_closed_peer),
		T(test_size_too_big),
		T(test_truncated_payload),
		T(test_too_many_fds),
		T(test_wrong_request_id),
		T(test_wrong_size),
		T(test_unexpected_fds),
		T(test_missing_fds),
		T(test_reply_flag_missing),
		T(test_wrong_version),
		T(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
