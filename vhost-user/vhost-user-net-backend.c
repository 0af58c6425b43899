// SPDX-License-Identifier: GPL-2.0
/*
 * A vhost-user-net device's session with its backend, on the event loop
 * thread: connecting (or accepting), negotiating, handing the rings over at
 * DRIVER_OK, taking them back at a reset, and surviving the backend's loss.
 *
 * The backend can go at any time. Then the guest sees the link go down,
 * triovm waits for (or retries) a new connection, negotiates again, gives the
 * new backend everything and restores each ring at the used index the guest
 * sees (QEMU's virtio_queue_restore_last_avail_idx): buffers the old backend
 * took but never returned are taken again, none is skipped.
 */
#include <errno.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "triovm/log.h"
#include "triovm/vm.h"
#include "vhost-user-net.h"

#define USED_IDX_OFF 2

static void attach(struct vhost_user_net *n, int sock);

void vhost_user_net__set_link(struct vhost_user_net *n, bool up, bool notify)
{
	bool changed, driver_ok;

	pthread_mutex_lock(&n->vp.lock);
	changed = !!(n->net.status & VIRTIO_NET_S_LINK_UP) != up;
	if (changed) {
		n->net.status ^= VIRTIO_NET_S_LINK_UP;
		n->vp.common.generation++;
	}
	driver_ok = n->vp.common.status & VIRTIO_CONFIG_S_DRIVER_OK;
	pthread_mutex_unlock(&n->vp.lock);
	if (!changed)
		return;
	n->count.link_changes++;
	pr_info("%s: link %s", n->name, up ? "up" : "down");
	/* No config notifications before DRIVER_OK (2.1.2). */
	if (notify && driver_ok)
		virtio_pci__notify_config(&n->vp);
}

static void retry_tick(void *opaque)
{
	struct vhost_user_net *n = opaque;
	int sock;

	if (n->connected)
		return;
	sock = vhost_user_socket__connect(n->cfg.path);
	if (sock < 0)
		return; /* not there yet: next second */
	event_loop__cancel_timer(&n->vm->loop, n->retry_timer);
	n->retry_timer = -1;
	attach(n, sock);
}

static void start_retrying(struct vhost_user_net *n)
{
	int id;

	if (n->retry_timer >= 0)
		return;
	/* Forever: a backend may take its time to come back. */
	id = event_loop__add_timer(&n->vm->loop, VHOST_USER_NET_RETRY_MS,
				   VHOST_USER_NET_RETRY_MS, retry_tick, n);
	if (id < 0)
		pr_err("%s: cannot arm the reconnect timer: %s", n->name,
		       strerror(-id));
	else
		n->retry_timer = id;
}

static void disconnect(struct vhost_user_net *n, const char *why)
{
	int q;

	if (!n->connected)
		return;
	pr_warn("%s: %s; link down until a backend connects to %s again",
		n->name, why, n->cfg.path);
	event_loop__del(&n->vm->loop, n->vu.sock);
	close(n->vu.sock);
	n->vu.sock = -1;
	n->connected = n->negotiated = n->running = false;
	n->mismatch = false;
	for (q = 0; q < n->nr_rings; q++) {
		n->ring_on[q] = n->ring_enabled[q] = false;
		n->ring_call_fd[q] = -1;
	}
	n->count.disconnects++;
	vhost_user_net__set_link(n, false, true);
	if (n->cfg.client)
		start_retrying(n);
}

/* Readable while idle: the backend hung up or says something unasked. */
static void on_socket(int fd, uint32_t events, void *opaque)
{
	struct vhost_user_net *n = opaque;
	char c;
	ssize_t r;

	r = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	if (r < 0 && (errno == EAGAIN || errno == EINTR) &&
	    !(events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)))
		return;
	disconnect(n,
		   r > 0 ? "the backend sent a message triovm did not ask for" :
			   "the backend closed the connection");
}

static void attach(struct vhost_user_net *n, int sock)
{
	int call_fds[VHOST_USER_NET_MAX_RINGS];
	uint64_t want, need = 0;
	int q, ret;

	n->vu.sock = sock;
	n->connected = true;
	n->count.connections++;
	ret = event_loop__add(&n->vm->loop, sock, EPOLLIN | EPOLLRDHUP,
			      on_socket, n);
	if (ret) {
		pr_err("%s: cannot watch the vhost-user socket: %s", n->name,
		       strerror(-ret));
		close(sock);
		n->vu.sock = -1;
		n->connected = false;
		if (n->cfg.client)
			start_retrying(n);
		return;
	}
	pr_info("%s: vhost-user backend connected on %s", n->name, n->cfg.path);
	want = BIT_ULL(VHOST_USER_PROTOCOL_F_REPLY_ACK);
	if (n->net.max_pairs > 1) {
		want |= BIT_ULL(VHOST_USER_PROTOCOL_F_MQ);
		need |= BIT_ULL(VHOST_USER_PROTOCOL_F_MQ);
	}
	for (q = 0; q < n->nr_rings; q++)
		call_fds[q] = n->ring_call_fd[q] =
			virtio_pci__queue_irqfd(&n->vp, q);
	ret = vhost_user__negotiate(&n->vu, want, need, n->net.max_pairs,
				    call_fds, n->nr_rings);
	if (ret) {
		disconnect(n, "negotiation with the backend failed");
		return;
	}
	n->negotiated = true;
	vhost_user_net__sync(n);
}

static void on_listen(int fd, uint32_t events, void *opaque)
{
	struct vhost_user_net *n = opaque;
	int sock = vhost_user_socket__accept(fd);

	if (sock < 0)
		return;
	if (n->connected) {
		/* One backend per device; the first one keeps it. */
		if (ratelimit_ok(&n->rl))
			pr_warn("%s: refused a second backend connection on %s",
				n->name, n->cfg.path);
		close(sock);
		return;
	}
	attach(n, sock);
}

int vhost_user_net__open_socket(struct vhost_user_net *n)
{
	int sock, ret;

	if (!n->cfg.client) {
		n->listen_fd = vhost_user_socket__listen(n->cfg.path);
		if (n->listen_fd < 0)
			return n->listen_fd;
		ret = event_loop__add(&n->vm->loop, n->listen_fd, EPOLLIN,
				      on_listen, n);
		if (ret) {
			pr_err("%s: cannot watch %s: %s", n->name, n->cfg.path,
			       strerror(-ret));
			return ret;
		}
		pr_info("%s: waiting for a vhost-user backend on %s", n->name,
			n->cfg.path);
		return 0;
	}
	sock = vhost_user_socket__connect(n->cfg.path);
	if (sock >= 0) {
		attach(n, sock);
		return 0;
	}
	pr_info("%s: no vhost-user backend on %s yet (%s); retrying every second",
		n->name, n->cfg.path, strerror(-sock));
	start_retrying(n);
	return 0;
}

void vhost_user_net__close_socket(struct vhost_user_net *n)
{
	if (n->retry_timer >= 0)
		event_loop__cancel_timer(&n->vm->loop, n->retry_timer);
	n->retry_timer = -1;
	if (n->connected) {
		/* The VM is going: nothing to take back from the backend. */
		event_loop__del(&n->vm->loop, n->vu.sock);
		close(n->vu.sock);
		n->vu.sock = -1;
		n->connected = false;
	}
	if (n->listen_fd >= 0) {
		event_loop__del(&n->vm->loop, n->listen_fd);
		close(n->listen_fd);
		unlink(n->cfg.path);
		n->listen_fd = -1;
	}
}

/* A ring's three areas as triovm's own addresses, or false. */
static bool map_ring(struct vhost_user_net *n, uint16_t q,
		     struct vhost_user_vring *r)
{
	struct virtio_pci_queue vq = virtio_pci__queue(&n->vp, q);
	const struct guest_mem *mem = &n->vm->mem;
	void *desc, *avail, *used;

	if (vq.desc % 16 || vq.driver % 2 || vq.device % 4)
		return false;
	desc = guest_mem__ptr(mem, vq.desc, 16ULL * vq.size);
	avail = guest_mem__ptr(mem, vq.driver, 6 + 2ULL * vq.size);
	used = guest_mem__ptr(mem, vq.device, 6 + 8ULL * vq.size);
	if (!desc || !avail || !used)
		return false;
	r->index = q;
	r->num = vq.size;
	r->desc = (uint64_t)(uintptr_t)desc;
	r->avail = (uint64_t)(uintptr_t)avail;
	r->used = (uint64_t)(uintptr_t)used;
	/*
	 * A new backend resumes where the guest has seen used buffers, not
	 * where the old one had read to: what it took and never returned is
	 * taken again.
	 */
	r->base = n->started_once ?
			  __atomic_load_n(
				  (uint16_t *)((uint8_t *)used + USED_IDX_OFF),
				  __ATOMIC_ACQUIRE) :
			  0;
	r->kick_fd = n->vp.notify_fd[q];
	r->call_fd = virtio_pci__queue_irqfd(&n->vp, q);
	return true;
}

static void start(struct vhost_user_net *n)
{
	struct vhost_user_vring rings[VHOST_USER_NET_MAX_RINGS];
	bool on[VHOST_USER_NET_MAX_RINGS] = { false };
	uint64_t acked, want, missing;
	bool restart = n->started_once;
	int q, ret;

	acked = virtio_pci__driver_features(&n->vp);
	want = acked & ~virtio_net__emulated_features();
	missing = want & ~n->vu.features;
	if (missing) {
		n->mismatch = true;
		pr_err("%s: the backend does not offer features 0x%llx that the guest uses (it offers 0x%llx); the link stays down until a backend that does connects",
		       n->name, (unsigned long long)missing,
		       (unsigned long long)n->vu.features);
		return;
	}
	if (vhost_user__has_protocol_features(&n->vu))
		want |= BIT_ULL(VHOST_USER_F_PROTOCOL_FEATURES);

	/* Every ring checked before the backend hears of any. */
	for (q = 0; q < n->nr_rings; q++) {
		if (!virtio_pci__queue(&n->vp, q).enabled)
			continue;
		if (!map_ring(n, q, &rings[q])) {
			if (ratelimit_ok(&n->rl))
				pr_warn("%s: queue %d lies outside guest RAM or is misaligned; the device needs a reset",
					n->name, q);
			virtio_pci__set_needs_reset(&n->vp);
			return;
		}
		on[q] = true;
	}

	ret = vhost_user__set_features(&n->vu, want);
	if (!ret)
		ret = vhost_user__set_mem_table(&n->vu, &n->vm->mem);
	for (q = 0; !ret && q < n->nr_rings; q++) {
		if (!on[q])
			continue;
		ret = vhost_user__setup_vring(&n->vu, &rings[q]);
		if (ret)
			break;
		n->ring_on[q] = true;
		n->ring_call_fd[q] = rings[q].call_fd;
		if (vhost_user__has_protocol_features(&n->vu) &&
		    q < 2 * n->net.active_pairs) {
			ret = vhost_user__set_vring_enable(&n->vu, q, true);
			n->ring_enabled[q] = !ret;
		}
	}
	if (ret) {
		disconnect(n, "starting the backend failed");
		return;
	}
	n->features_sent = want;
	n->running = true;
	n->started_once = true;
	n->count.starts++;
	/*
	 * The old backend may have returned buffers without the interrupt
	 * reaching the guest: one spurious interrupt per ring costs nothing.
	 */
	if (restart)
		for (q = 0; q < n->nr_rings; q++)
			if (n->ring_on[q])
				eventfd_write(n->ring_call_fd[q], 1);
	vhost_user_net__set_link(n, true, true);
}

/* Take the rings back (DPDK stops the device at the first). */
static void stop(struct vhost_user_net *n)
{
	uint16_t base;
	int q;

	for (q = 0; q < n->nr_rings; q++) {
		if (!n->ring_on[q])
			continue;
		if (vhost_user__get_vring_base(&n->vu, q, &base)) {
			disconnect(n, "stopping the backend failed");
			return;
		}
		n->ring_on[q] = n->ring_enabled[q] = false;
	}
	n->running = false;
}

/* A driver that moved a vector after DRIVER_OK: the backend follows. */
static void refresh_calls(struct vhost_user_net *n)
{
	int q, fd;

	for (q = 0; q < n->nr_rings && n->running; q++) {
		if (!n->ring_on[q])
			continue;
		fd = virtio_pci__queue_irqfd(&n->vp, q);
		if (fd == n->ring_call_fd[q])
			continue;
		if (vhost_user__set_vring_call(&n->vu, q, fd)) {
			disconnect(n, "moving an interrupt failed");
			return;
		}
		n->ring_call_fd[q] = fd;
	}
}

void vhost_user_net__set_pairs(struct vhost_user_net *n, uint16_t pairs)
{
	bool want;
	int q;

	if (!n->running || !vhost_user__has_protocol_features(&n->vu))
		return;
	for (q = 0; q < n->nr_rings; q++) {
		want = n->ring_on[q] && q < 2 * pairs;
		if (want == n->ring_enabled[q])
			continue;
		if (vhost_user__set_vring_enable(&n->vu, q, want)) {
			disconnect(n, "switching queue pairs failed");
			return;
		}
		n->ring_enabled[q] = want;
	}
}

static void reset(struct vhost_user_net *n)
{
	if (n->running)
		stop(n);
	n->started_once = false;
	n->mismatch = false;
	n->ctrl_ready = false;
	n->net.active_pairs = 1;
	/* The driver is gone: no notification, it reads the link anew. */
	vhost_user_net__set_link(n, false, false);
	virtio_pci__reset_done(&n->vp);
}

void vhost_user_net__sync(struct vhost_user_net *n)
{
	bool reset_pending;
	uint8_t status;

	pthread_mutex_lock(&n->vp.lock);
	reset_pending = n->vp.common.reset_pending;
	status = n->vp.common.status;
	pthread_mutex_unlock(&n->vp.lock);

	if (reset_pending) {
		reset(n);
		return;
	}
	if (!(status & VIRTIO_CONFIG_S_DRIVER_OK) ||
	    (status & VIRTIO_CONFIG_S_NEEDS_RESET))
		return;
	if (n->running)
		refresh_calls(n);
	else if (n->negotiated && !n->mismatch)
		start(n);
}
