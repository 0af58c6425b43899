// SPDX-License-Identifier: GPL-2.0
/*
 * The vhost-user message encoding: a 12-byte header (request, flags, payload
 * size), the payload, and up to 8 file descriptors as SCM_RIGHTS on the
 * first byte. Sockets are non-blocking; every wait has a deadline.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "triovm/util.h"
#include "triovm/vhost-user.h"

static const char *const request_names[] = {
	[VHOST_USER_GET_FEATURES] = "GET_FEATURES",
	[VHOST_USER_SET_FEATURES] = "SET_FEATURES",
	[VHOST_USER_SET_OWNER] = "SET_OWNER",
	[VHOST_USER_RESET_OWNER] = "RESET_OWNER",
	[VHOST_USER_SET_MEM_TABLE] = "SET_MEM_TABLE",
	[VHOST_USER_SET_LOG_BASE] = "SET_LOG_BASE",
	[VHOST_USER_SET_LOG_FD] = "SET_LOG_FD",
	[VHOST_USER_SET_VRING_NUM] = "SET_VRING_NUM",
	[VHOST_USER_SET_VRING_ADDR] = "SET_VRING_ADDR",
	[VHOST_USER_SET_VRING_BASE] = "SET_VRING_BASE",
	[VHOST_USER_GET_VRING_BASE] = "GET_VRING_BASE",
	[VHOST_USER_SET_VRING_KICK] = "SET_VRING_KICK",
	[VHOST_USER_SET_VRING_CALL] = "SET_VRING_CALL",
	[VHOST_USER_SET_VRING_ERR] = "SET_VRING_ERR",
	[VHOST_USER_GET_PROTOCOL_FEATURES] = "GET_PROTOCOL_FEATURES",
	[VHOST_USER_SET_PROTOCOL_FEATURES] = "SET_PROTOCOL_FEATURES",
	[VHOST_USER_GET_QUEUE_NUM] = "GET_QUEUE_NUM",
	[VHOST_USER_SET_VRING_ENABLE] = "SET_VRING_ENABLE",
	[VHOST_USER_SEND_RARP] = "SEND_RARP",
	[VHOST_USER_NET_SET_MTU] = "NET_SET_MTU",
	[VHOST_USER_GET_CONFIG] = "GET_CONFIG",
	[VHOST_USER_SET_CONFIG] = "SET_CONFIG",
	[VHOST_USER_SET_STATUS] = "SET_STATUS",
	[VHOST_USER_GET_STATUS] = "GET_STATUS",
};

const char *vhost_user_msg__name(uint32_t request, char *buf, int len)
{
	if (request < ARRAY_SIZE(request_names) && request_names[request])
		return request_names[request];
	snprintf(buf, len, "request %u", request);
	return buf;
}

void vhost_user_msg__init(struct vhost_user_msg *m, uint32_t request,
			  uint32_t size)
{
	memset(m, 0, sizeof(*m));
	m->hdr.request = request;
	m->hdr.flags = VHOST_USER_VERSION;
	m->hdr.size = size;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for `events` on sock until the deadline: 0, -ETIMEDOUT or -errno. */
static int wait_for(int sock, short events, int64_t deadline)
{
	struct pollfd p = { .fd = sock, .events = events };
	int64_t left;
	int n;

	for (;;) {
		left = deadline - now_ms();
		if (left < 0)
			left = 0;
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return 0; /* ready, or an error the next call reports */
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

int vhost_user_msg__send(int sock, const struct vhost_user_msg *m,
			 const int *fds, int nfds, int timeout_ms)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * VHOST_USER_MAX_FDS)];
		struct cmsghdr align;
	} ctrl;
	size_t total, done = 0;
	int64_t deadline = now_ms() + timeout_ms;
	int ret;

	if (nfds < 0 || nfds > VHOST_USER_MAX_FDS ||
	    m->hdr.size > sizeof(m->payload))
		return -EINVAL;
	total = VHOST_USER_HDR_SIZE + m->hdr.size;
	while (done < total) {
		struct iovec iov = {
			.iov_base = (char *)m + done,
			.iov_len = total - done,
		};
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		/* The descriptors travel with the first byte. */
		if (!done && nfds) {
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
		n = sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			ret = wait_for(sock, POLLOUT, deadline);
			if (ret)
				return ret;
			continue;
		}
		done += n;
	}
	return 0;
}

void vhost_user_msg__close_fds(int *fds, int nfds)
{
	int i;

	for (i = 0; i < nfds; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* Descriptors from one recvmsg: kept up to the limit, the rest closed. */
static bool take_fds(struct msghdr *mh, int *fds, int *nfds)
{
	struct cmsghdr *cm;
	bool fit = true;

	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		int n, i, fd;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int),
			       sizeof(int));
			if (*nfds < VHOST_USER_MAX_FDS) {
				fds[(*nfds)++] = fd;
			} else {
				close(fd);
				fit = false;
			}
		}
	}
	return fit;
}

/* `in_message`: bytes of this message came before (a close is then mid-way). */
static int recv_all(int sock, void *buf, size_t len, int *fds, int *nfds,
		    int64_t deadline, bool in_message, const char **why)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * VHOST_USER_MAX_FDS)];
		struct cmsghdr align;
	} ctrl;
	size_t done = 0;
	int ret;

	while (done < len) {
		struct iovec iov = {
			.iov_base = (char *)buf + done,
			.iov_len = len - done,
		};
		struct msghdr mh = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = ctrl.buf,
			.msg_controllen = sizeof(ctrl.buf),
		};
		ssize_t n;

		n = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				*why = "cannot read from the socket";
				return -errno;
			}
			ret = wait_for(sock, POLLIN, deadline);
			if (ret) {
				*why = ret == -ETIMEDOUT ?
					       "no reply in time (the backend stopped answering)" :
					       "cannot wait on the socket";
				return ret;
			}
			continue;
		}
		if (!take_fds(&mh, fds, nfds) || (mh.msg_flags & MSG_CTRUNC)) {
			*why = "more file descriptors than a message may carry";
			return -EPROTO;
		}
		if (n == 0) {
			*why = done || in_message ?
				       "the connection closed inside a message" :
				       "the connection closed";
			return -ECONNRESET;
		}
		done += n;
	}
	return 0;
}

int vhost_user_msg__recv(int sock, struct vhost_user_msg *m, int *fds,
			 int *nfds, int timeout_ms, const char **why)
{
	int64_t deadline = now_ms() + timeout_ms;
	int ret;

	*nfds = 0;
	memset(&m->hdr, 0, sizeof(m->hdr));
	ret = recv_all(sock, &m->hdr, VHOST_USER_HDR_SIZE, fds, nfds, deadline,
		       false, why);
	if (ret)
		goto err;
	/* Checked before reading: past this point the stream is lost anyway. */
	if (m->hdr.size > sizeof(m->payload)) {
		*why = "the payload size is larger than any message has";
		ret = -EMSGSIZE;
		goto err;
	}
	ret = recv_all(sock, &m->payload, m->hdr.size, fds, nfds, deadline,
		       true, why);
	if (ret)
		goto err;
	return 0;
err:
	vhost_user_msg__close_fds(fds, *nfds);
	*nfds = 0;
	return ret;
}

int vhost_user_msg__check_reply(const struct vhost_user_msg *m, int nfds,
				uint32_t request, uint32_t size, int want_fds,
				const char **why)
{
	if ((m->hdr.flags & VHOST_USER_VERSION_MASK) != VHOST_USER_VERSION)
		*why = "the reply has another protocol version than 1";
	else if (!(m->hdr.flags & VHOST_USER_REPLY_MASK))
		*why = "the reply lacks the REPLY flag";
	else if (m->hdr.request != request)
		*why = "the reply answers another request";
	else if (m->hdr.size != size)
		*why = "the reply has the wrong payload size";
	else if (nfds > want_fds)
		*why = "the reply carries file descriptors it should not";
	else if (nfds < want_fds)
		*why = "the reply lacks the file descriptors it should carry";
	else
		return 0;
	return -EPROTO;
}
