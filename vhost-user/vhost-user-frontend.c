// SPDX-License-Identifier: GPL-2.0
/*
 * The requests a vhost-user frontend makes, in the order DPDK 22.11, QEMU
 * and Cloud Hypervisor agree on (../shared/notes/vhost-user.md). Each either
 * succeeds or prints one line saying which request failed and why; the
 * caller then drops the connection.
 *
 * With REPLY_ACK every request that has no reply of its own asks for an ack:
 * DPDK closes the connection on a failed request that did not.
 */
#include <errno.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/memory.h"
#include "triovm/util.h"
#include "triovm/vhost-user.h"

void vhost_user__init(struct vhost_user *u, const char *name)
{
	memset(u, 0, sizeof(*u));
	u->name = name;
	u->sock = -1;
	u->timeout_ms = VHOST_USER_REPLY_TIMEOUT_MS;
	u->queue_pairs = 1;
}

bool vhost_user__has_protocol_features(const struct vhost_user *u)
{
	return u->features & BIT_ULL(VHOST_USER_F_PROTOCOL_FEATURES);
}

static int fail(struct vhost_user *u, uint32_t request, int ret,
		const char *why)
{
	char buf[32];

	u->count.errors++;
	pr_err("%s: vhost-user %s: %s", u->name,
	       vhost_user_msg__name(request, buf, sizeof(buf)), why);
	return ret;
}

static int get_reply(struct vhost_user *u, uint32_t request, uint32_t size,
		     struct vhost_user_msg *reply)
{
	int fds[VHOST_USER_MAX_FDS], nfds, ret;
	const char *why = NULL;

	ret = vhost_user_msg__recv(u->sock, reply, fds, &nfds, u->timeout_ms,
				   &why);
	if (ret)
		return fail(u, request, ret, why);
	ret = vhost_user_msg__check_reply(reply, nfds, request, size, 0, &why);
	vhost_user_msg__close_fds(fds, nfds);
	if (ret)
		return fail(u, request, ret, why);
	u->count.replies++;
	return 0;
}

static int send_msg(struct vhost_user *u, struct vhost_user_msg *m,
		    const int *fds, int nfds)
{
	int ret;

	if (u->sock < 0)
		return fail(u, m->hdr.request, -ENOTCONN, "not connected");
	ret = vhost_user_msg__send(u->sock, m, fds, nfds, u->timeout_ms);
	if (ret)
		return fail(u, m->hdr.request, ret,
			    ret == -ETIMEDOUT ?
				    "the backend stopped reading its socket" :
				    strerror(-ret));
	u->count.sent++;
	return 0;
}

/* A request without a reply of its own: acked when REPLY_ACK is on. */
static int request(struct vhost_user *u, struct vhost_user_msg *m,
		   const int *fds, int nfds)
{
	bool ack = u->protocol_features &
		   BIT_ULL(VHOST_USER_PROTOCOL_F_REPLY_ACK);
	struct vhost_user_msg reply;
	int ret;

	if (ack)
		m->hdr.flags |= VHOST_USER_NEED_REPLY_MASK;
	ret = send_msg(u, m, fds, nfds);
	if (ret || !ack)
		return ret;
	ret = get_reply(u, m->hdr.request, sizeof(uint64_t), &reply);
	if (ret)
		return ret;
	if (reply.payload.u64)
		return fail(u, m->hdr.request, -EIO,
			    "the backend refused it (its ack is not 0)");
	return 0;
}

static int get_u64(struct vhost_user *u, uint32_t req, uint64_t *val)
{
	struct vhost_user_msg m, reply;
	int ret;

	vhost_user_msg__init(&m, req, 0);
	ret = send_msg(u, &m, NULL, 0);
	if (!ret)
		ret = get_reply(u, req, sizeof(uint64_t), &reply);
	if (!ret)
		*val = reply.payload.u64;
	return ret;
}

static int set_u64(struct vhost_user *u, uint32_t req, uint64_t val)
{
	struct vhost_user_msg m;

	vhost_user_msg__init(&m, req, sizeof(uint64_t));
	m.payload.u64 = val;
	return request(u, &m, NULL, 0);
}

static int set_state(struct vhost_user *u, uint32_t req, uint32_t index,
		     uint32_t num)
{
	struct vhost_user_msg m;

	vhost_user_msg__init(&m, req, sizeof(m.payload.state));
	m.payload.state.index = index;
	m.payload.state.num = num;
	return request(u, &m, NULL, 0);
}

static int set_vring_fd(struct vhost_user *u, uint32_t req, uint32_t index,
			int fd)
{
	struct vhost_user_msg m;

	vhost_user_msg__init(&m, req, sizeof(uint64_t));
	m.payload.u64 = index & VHOST_USER_VRING_IDX_MASK;
	if (fd < 0) {
		m.payload.u64 |= VHOST_USER_VRING_NOFD_MASK;
		return request(u, &m, NULL, 0);
	}
	return request(u, &m, &fd, 1);
}

int vhost_user__negotiate(struct vhost_user *u, uint64_t want_protocol,
			  uint64_t need_protocol, uint16_t pairs,
			  const int *call_fds, int nr_rings)
{
	struct vhost_user_msg m;
	uint64_t offered = 0, acked;
	int i, ret;

	u->features = 0;
	u->protocol_features = 0;
	u->queue_pairs = 1;
	ret = get_u64(u, VHOST_USER_GET_FEATURES, &u->features);
	if (ret)
		return ret;
	if (vhost_user__has_protocol_features(u)) {
		ret = get_u64(u, VHOST_USER_GET_PROTOCOL_FEATURES, &offered);
		if (ret)
			return ret;
	}
	if (need_protocol & ~offered) {
		pr_err("%s: the vhost-user backend lacks protocol features 0x%llx (it offers 0x%llx)",
		       u->name, (unsigned long long)(need_protocol & ~offered),
		       (unsigned long long)offered);
		u->count.errors++;
		return -EPROTONOSUPPORT;
	}
	if (vhost_user__has_protocol_features(u)) {
		acked = offered & want_protocol;
		/* Acks start after this message, not with it. */
		ret = set_u64(u, VHOST_USER_SET_PROTOCOL_FEATURES, acked);
		if (ret)
			return ret;
		u->protocol_features = acked;
	}
	if (u->protocol_features & BIT_ULL(VHOST_USER_PROTOCOL_F_MQ)) {
		ret = get_u64(u, VHOST_USER_GET_QUEUE_NUM, &u->queue_pairs);
		if (ret)
			return ret;
	}
	if (u->queue_pairs < pairs) {
		pr_err("%s: the vhost-user backend has %llu queue pairs, the device %u",
		       u->name, (unsigned long long)u->queue_pairs, pairs);
		u->count.errors++;
		return -ERANGE;
	}
	vhost_user_msg__init(&m, VHOST_USER_SET_OWNER, 0);
	ret = request(u, &m, NULL, 0);
	for (i = 0; !ret && i < nr_rings; i++)
		ret = set_vring_fd(u, VHOST_USER_SET_VRING_CALL, i,
				   call_fds[i]);
	return ret;
}

int vhost_user__set_features(struct vhost_user *u, uint64_t features)
{
	/* A bit the backend did not offer makes DPDK drop the connection. */
	if (features & ~u->features) {
		pr_err("%s: vhost-user SET_FEATURES: 0x%llx were not offered",
		       u->name, (unsigned long long)(features & ~u->features));
		u->count.errors++;
		return -EINVAL;
	}
	return set_u64(u, VHOST_USER_SET_FEATURES, features);
}

int vhost_user__set_mem_table(struct vhost_user *u, const struct guest_mem *mem)
{
	int fds[VHOST_USER_MAX_REGIONS];
	struct vhost_user_msg m;
	int i, n = mem->nr_regions;

	if (n > VHOST_USER_MAX_REGIONS)
		return fail(u, VHOST_USER_SET_MEM_TABLE, -E2BIG,
			    "more guest RAM regions than a table holds");
	vhost_user_msg__init(&m, VHOST_USER_SET_MEM_TABLE,
			     VHOST_USER_MEMORY_SIZE(n));
	m.payload.memory.nregions = n;
	for (i = 0; i < n; i++) {
		const struct guest_mem_region *r = &mem->regions[i];
		struct vhost_user_region *vr = &m.payload.memory.regions[i];

		vr->guest_phys_addr = r->gpa;
		vr->memory_size = r->size;
		vr->userspace_addr = (uint64_t)(uintptr_t)r->hva;
		vr->mmap_offset = r->fd_offset;
		fds[i] = r->fd;
	}
	return request(u, &m, fds, n);
}

int vhost_user__setup_vring(struct vhost_user *u,
			    const struct vhost_user_vring *r)
{
	struct vhost_user_msg m;
	int ret;

	ret = set_state(u, VHOST_USER_SET_VRING_NUM, r->index, r->num);
	if (!ret)
		ret = set_state(u, VHOST_USER_SET_VRING_BASE, r->index,
				r->base);
	if (ret)
		return ret;
	vhost_user_msg__init(&m, VHOST_USER_SET_VRING_ADDR,
			     sizeof(m.payload.addr));
	m.payload.addr.index = r->index;
	m.payload.addr.desc = r->desc;
	m.payload.addr.avail = r->avail;
	m.payload.addr.used = r->used;
	ret = request(u, &m, NULL, 0);
	if (!ret)
		ret = set_vring_fd(u, VHOST_USER_SET_VRING_KICK, r->index,
				   r->kick_fd);
	if (!ret)
		ret = set_vring_fd(u, VHOST_USER_SET_VRING_CALL, r->index,
				   r->call_fd);
	return ret;
}

int vhost_user__set_vring_call(struct vhost_user *u, uint32_t index, int fd)
{
	return set_vring_fd(u, VHOST_USER_SET_VRING_CALL, index, fd);
}

int vhost_user__set_vring_enable(struct vhost_user *u, uint32_t index,
				 bool enable)
{
	return set_state(u, VHOST_USER_SET_VRING_ENABLE, index, enable);
}

int vhost_user__get_vring_base(struct vhost_user *u, uint32_t index,
			       uint16_t *base)
{
	struct vhost_user_msg m, reply;
	int ret;

	vhost_user_msg__init(&m, VHOST_USER_GET_VRING_BASE,
			     sizeof(m.payload.state));
	m.payload.state.index = index;
	ret = send_msg(u, &m, NULL, 0);
	if (!ret)
		ret = get_reply(u, VHOST_USER_GET_VRING_BASE,
				sizeof(reply.payload.state), &reply);
	if (ret)
		return ret;
	if (reply.payload.state.index != index)
		return fail(u, VHOST_USER_GET_VRING_BASE, -EPROTO,
			    "the reply is for another ring");
	/* A split ring's index is 16 bits wide. */
	if (reply.payload.state.num > 0xffff)
		return fail(u, VHOST_USER_GET_VRING_BASE, -EPROTO,
			    "the ring index in the reply does not fit 16 bits");
	*base = reply.payload.state.num;
	return 0;
}
