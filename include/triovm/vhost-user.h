/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vhost-user protocol, frontend side (QEMU's docs/interop/vhost-user.rst):
 * the message encoding, and the requests triovm makes of a backend.
 *
 * Everything a backend sends is checked before use: a reply must carry the
 * REPLY flag and version 1, the id of the request it answers, exactly the
 * payload size that request's reply has and no file descriptors. Replies are
 * waited for with a timeout, so a backend that stops answering costs a few
 * seconds and a disconnect, never a hung VMM.
 */
#ifndef TRIOVM_VHOST_USER_H
#define TRIOVM_VHOST_USER_H

#include <stdbool.h>
#include <stdint.h>

struct guest_mem;

enum vhost_user_request {
	VHOST_USER_NONE = 0,
	VHOST_USER_GET_FEATURES = 1,
	VHOST_USER_SET_FEATURES = 2,
	VHOST_USER_SET_OWNER = 3,
	VHOST_USER_RESET_OWNER = 4,
	VHOST_USER_SET_MEM_TABLE = 5,
	VHOST_USER_SET_LOG_BASE = 6,
	VHOST_USER_SET_LOG_FD = 7,
	VHOST_USER_SET_VRING_NUM = 8,
	VHOST_USER_SET_VRING_ADDR = 9,
	VHOST_USER_SET_VRING_BASE = 10,
	VHOST_USER_GET_VRING_BASE = 11,
	VHOST_USER_SET_VRING_KICK = 12,
	VHOST_USER_SET_VRING_CALL = 13,
	VHOST_USER_SET_VRING_ERR = 14,
	VHOST_USER_GET_PROTOCOL_FEATURES = 15,
	VHOST_USER_SET_PROTOCOL_FEATURES = 16,
	VHOST_USER_GET_QUEUE_NUM = 17,
	VHOST_USER_SET_VRING_ENABLE = 18,
	VHOST_USER_SEND_RARP = 19,
	VHOST_USER_NET_SET_MTU = 20,
	VHOST_USER_GET_CONFIG = 24,
	VHOST_USER_SET_CONFIG = 25,
	VHOST_USER_SET_STATUS = 39,
	VHOST_USER_GET_STATUS = 40,
};

/* Feature bit 30 (of GET_FEATURES) says protocol features exist. */
#define VHOST_USER_F_PROTOCOL_FEATURES 30

enum vhost_user_protocol_feature {
	VHOST_USER_PROTOCOL_F_MQ = 0,
	VHOST_USER_PROTOCOL_F_LOG_SHMFD = 1,
	VHOST_USER_PROTOCOL_F_RARP = 2,
	VHOST_USER_PROTOCOL_F_REPLY_ACK = 3,
	VHOST_USER_PROTOCOL_F_NET_MTU = 4,
	VHOST_USER_PROTOCOL_F_CONFIG = 9,
	VHOST_USER_PROTOCOL_F_STATUS = 16,
};

#define VHOST_USER_VERSION 0x1
#define VHOST_USER_VERSION_MASK 0x3
#define VHOST_USER_REPLY_MASK (0x1 << 2)
#define VHOST_USER_NEED_REPLY_MASK (0x1 << 3)
/* SET_VRING_KICK/CALL: the ring index, and "no fd follows". */
#define VHOST_USER_VRING_IDX_MASK 0xff
#define VHOST_USER_VRING_NOFD_MASK (0x1 << 8)

#define VHOST_USER_MAX_FDS 8
/* Without CONFIGURE_MEM_SLOTS (DPDK 22.11 has none) a table has 8 regions. */
#define VHOST_USER_MAX_REGIONS 8
/* A backend's reply must come within this. */
#define VHOST_USER_REPLY_TIMEOUT_MS 5000

struct vhost_user_hdr {
	uint32_t request;
	uint32_t flags;
	uint32_t size; /* of the payload that follows */
} __attribute__((packed));

struct vhost_user_vring_state {
	uint32_t index;
	uint32_t num;
} __attribute__((packed));

struct vhost_user_vring_addr {
	uint32_t index;
	uint32_t flags;
	uint64_t desc; /* the frontend's own virtual addresses */
	uint64_t used;
	uint64_t avail;
	uint64_t log;
} __attribute__((packed));

struct vhost_user_region {
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
	uint64_t mmap_offset;
} __attribute__((packed));

struct vhost_user_memory {
	uint32_t nregions;
	uint32_t padding;
	struct vhost_user_region regions[VHOST_USER_MAX_REGIONS];
} __attribute__((packed));

union vhost_user_payload {
	uint64_t u64;
	struct vhost_user_vring_state state;
	struct vhost_user_vring_addr addr;
	struct vhost_user_memory memory;
};

struct vhost_user_msg {
	struct vhost_user_hdr hdr;
	union vhost_user_payload payload;
} __attribute__((packed));

#define VHOST_USER_HDR_SIZE sizeof(struct vhost_user_hdr)
#define VHOST_USER_MEMORY_SIZE(n) \
	(2 * sizeof(uint32_t) + (n) * sizeof(struct vhost_user_region))

/* The message encoding (vhost-user-msg.c). */

/* "GET_FEATURES", ... or "request N". */
const char *vhost_user_msg__name(uint32_t request, char *buf, int len);
/* A request with version 1 and a payload of `size` bytes (zeroed). */
void vhost_user_msg__init(struct vhost_user_msg *m, uint32_t request,
			  uint32_t size);
/*
 * Send one message with `nfds` (at most 8) descriptors attached, waiting up
 * to `timeout_ms` for room on a full socket. Returns 0 or a negative errno.
 */
int vhost_user_msg__send(int sock, const struct vhost_user_msg *m,
			 const int *fds, int nfds, int timeout_ms);
/*
 * Receive one message within `timeout_ms`: the header, then at most a
 * payload's worth. Descriptors that came with it are stored in fds (room for
 * VHOST_USER_MAX_FDS) and counted in *nfds; the caller owns them. Returns 0,
 * or a negative errno with *why saying what was wrong: -ETIMEDOUT,
 * -ECONNRESET (closed, also mid-message), -EMSGSIZE (a size larger than any
 * payload), -EPROTO (truncated control data, too many descriptors).
 */
int vhost_user_msg__recv(int sock, struct vhost_user_msg *m, int *fds,
			 int *nfds, int timeout_ms, const char **why);
/*
 * Check that `m`, which came with `nfds` descriptors, is a well-formed reply
 * to `request` with a payload of exactly `size` bytes and exactly `want_fds`
 * descriptors. Returns 0 or -EPROTO with *why set.
 */
int vhost_user_msg__check_reply(const struct vhost_user_msg *m, int nfds,
				uint32_t request, uint32_t size, int want_fds,
				const char **why);
void vhost_user_msg__close_fds(int *fds, int nfds);

/* The frontend's requests (vhost-user-frontend.c). */

struct vhost_user_counters {
	uint64_t sent; /* messages */
	uint64_t replies; /* well-formed replies and acks received */
	uint64_t errors; /* failed requests, malformed replies included */
};

/* One connection to a backend. */
struct vhost_user {
	const char *name; /* for messages: the device's name */
	int sock; /* -1 when not connected */
	int timeout_ms;
	uint64_t features; /* what GET_FEATURES offered */
	uint64_t protocol_features; /* negotiated (acked) */
	uint64_t queue_pairs; /* GET_QUEUE_NUM, 1 without MQ */
	struct vhost_user_counters count;
};

/* A ring as the backend is given it. */
struct vhost_user_vring {
	uint32_t index;
	uint32_t num;
	uint16_t base;
	uint64_t desc, avail, used; /* triovm's virtual addresses */
	int kick_fd, call_fd;
};

void vhost_user__init(struct vhost_user *u, const char *name);

/*
 * After connecting: GET_FEATURES, GET_PROTOCOL_FEATURES,
 * SET_PROTOCOL_FEATURES (the wanted ones the backend offers; `need` are
 * required), GET_QUEUE_NUM with MQ (at least `pairs`), SET_OWNER and
 * SET_VRING_CALL for each of `nr_rings` rings. Returns 0 or a negative errno
 * after printing why.
 */
int vhost_user__negotiate(struct vhost_user *u, uint64_t want_protocol,
			  uint64_t need_protocol, uint16_t pairs,
			  const int *call_fds, int nr_rings);
int vhost_user__set_features(struct vhost_user *u, uint64_t features);
/* One region per guest RAM region, each with the fd that backs it. */
int vhost_user__set_mem_table(struct vhost_user *u,
			      const struct guest_mem *mem);
/* SET_VRING_NUM, SET_VRING_BASE, SET_VRING_ADDR, SET_VRING_KICK, SET_VRING_CALL. */
int vhost_user__setup_vring(struct vhost_user *u,
			    const struct vhost_user_vring *r);
int vhost_user__set_vring_call(struct vhost_user *u, uint32_t index, int fd);
int vhost_user__set_vring_enable(struct vhost_user *u, uint32_t index,
				 bool enable);
int vhost_user__get_vring_base(struct vhost_user *u, uint32_t index,
			       uint16_t *base);
/* With protocol features: rings start disabled and need SET_VRING_ENABLE. */
bool vhost_user__has_protocol_features(const struct vhost_user *u);

/* The socket (vhost-user-socket.c). */

/*
 * Listen on `path` for the backend. A stale socket (nobody accepting) is
 * removed first; a live one, or a file that is not a socket, is an error.
 * Returns a non-blocking listening socket or a negative errno (printed).
 */
int vhost_user_socket__listen(const char *path);
/* Connect to a backend listening on `path`: a socket or a negative errno. */
int vhost_user_socket__connect(const char *path);
/* Accept one connection: a non-blocking socket or a negative errno. */
int vhost_user_socket__accept(int listen_fd);

#endif
