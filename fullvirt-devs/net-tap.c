// SPDX-License-Identifier: GPL-2.0
/* The TAP backend of emulated NICs. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "triovm/event-loop.h"
#include "triovm/log.h"
#include "triovm/net-tap.h"

#define TUN_DEV "/dev/net/tun"
/* Frames read per wake-up, so one busy TAP cannot starve the loop. */
#define RX_BUDGET 64

static void tap_readable(int fd, uint32_t events, void *opaque);

/* Offer the held frame, then read until the budget or the NIC is full. */
static void tap_drain(struct net_tap *t)
{
	int i;

	for (i = 0; i < RX_BUDGET; i++) {
		if (!t->held_len) {
			ssize_t n = read(t->fd, t->held, sizeof(t->held));

			if (n <= 0)
				return;
			t->held_len = n;
		}
		if (t->rx(t->opaque, t->held, t->held_len) == -ENOSPC) {
			/* Wait for the guest's buffers rather than drop. */
			if (!t->paused) {
				t->paused = true;
				event_loop__modify(t->loop, t->fd, 0);
			}
			return;
		}
		t->held_len = 0;
	}
}

static void tap_readable(int fd, uint32_t events, void *opaque)
{
	(void)fd;
	(void)events;
	tap_drain(opaque);
}

static void tap_wake(int fd, uint32_t events, void *opaque)
{
	struct net_tap *t = opaque;
	uint64_t v;

	(void)events;
	if (read(fd, &v, sizeof(v)) < 0)
		return;
	if (t->paused) {
		t->paused = false;
		event_loop__modify(t->loop, t->fd, EPOLLIN);
	}
	tap_drain(t);
}

int net_tap__open(struct net_tap *t, const char *ifname,
		  struct event_loop *loop, net_tap_rx_fn rx, void *opaque)
{
	struct ifreq ifr;
	int err;

	memset(t, 0, sizeof(*t));
	t->fd = t->wake_fd = -1;
	if (strlen(ifname) >= IFNAMSIZ) {
		pr_err("tap=%s: interface names have at most %d characters",
		       ifname, IFNAMSIZ - 1);
		return -EINVAL;
	}
	t->fd = open(TUN_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		err = errno;
		pr_err("cannot open %s: %s%s", TUN_DEV, strerror(err),
		       err == ENOENT ? " (modprobe tun)" : "");
		return -err;
	}
	memset(&ifr, 0, sizeof(ifr));
	/* No packet information header, no vnet header: e1000 has no offload
	 * metadata to exchange with the host. */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
		err = errno;
		pr_err("tap=%s: TUNSETIFF: %s%s", ifname, strerror(err),
		       err == EBUSY ?
			       " (another process has it open)" :
		       err == EPERM ?
			       " (needs CAP_NET_ADMIN, or a TAP owned by this user)" :
			       "");
		net_tap__close(t);
		return -err;
	}
	strcpy(t->ifname, ifr.ifr_name);
	t->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (t->wake_fd < 0) {
		err = errno;
		net_tap__close(t);
		return -err;
	}
	t->loop = loop;
	t->rx = rx;
	t->opaque = opaque;
	err = event_loop__add(loop, t->fd, EPOLLIN, tap_readable, t);
	if (!err)
		err = event_loop__add(loop, t->wake_fd, EPOLLIN, tap_wake, t);
	if (err) {
		pr_err("tap=%s: cannot watch it: %s", ifname, strerror(-err));
		net_tap__close(t);
		return err;
	}
	return 0;
}

void net_tap__close(struct net_tap *t)
{
	if (t->loop) {
		if (t->fd >= 0)
			event_loop__del(t->loop, t->fd);
		if (t->wake_fd >= 0)
			event_loop__del(t->loop, t->wake_fd);
	}
	if (t->fd >= 0)
		close(t->fd);
	if (t->wake_fd >= 0)
		close(t->wake_fd);
	t->fd = t->wake_fd = -1;
	t->loop = NULL;
}

void net_tap__send(struct net_tap *t, const uint8_t *frame, size_t len)
{
	if (write(t->fd, frame, len) != (ssize_t)len)
		t->tx_dropped++;
}

void net_tap__resume(struct net_tap *t)
{
	uint64_t one = 1;

	if (write(t->wake_fd, &one, sizeof(one)) < 0)
		(void)0; /* the counter is saturated: a wake-up is pending */
}
