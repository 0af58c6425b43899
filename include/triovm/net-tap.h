/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TAP device as the backend of an emulated NIC: frames from the guest are
 * written to it, frames read from it go to the NIC. Non-blocking and on the
 * event loop; when the NIC has no receive buffers the reader pauses and keeps
 * the frame in hand instead of dropping it.
 */
#ifndef TRIOVM_NET_TAP_H
#define TRIOVM_NET_TAP_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_loop;

#define NET_TAP_FRAME_MAX 65536

/*
 * Deliver one frame to the NIC: 0 when taken (or dropped), -ENOSPC when the
 * NIC cannot take it now; the tap then waits for net_tap__resume().
 */
typedef int (*net_tap_rx_fn)(void *opaque, const uint8_t *frame, size_t len);

struct net_tap {
	int fd;
	int wake_fd; /* eventfd: resume requests from vCPU threads */
	char ifname[IFNAMSIZ];
	struct event_loop *loop;
	net_tap_rx_fn rx;
	void *opaque;
	bool paused;
	uint8_t held[NET_TAP_FRAME_MAX];
	size_t held_len; /* a frame read but not yet taken */
	uint64_t tx_dropped;
};

int net_tap__open(struct net_tap *t, const char *ifname,
		  struct event_loop *loop, net_tap_rx_fn rx, void *opaque);
void net_tap__close(struct net_tap *t);
/* Send one frame; dropped (and counted) if the TAP queue is full. */
void net_tap__send(struct net_tap *t, const uint8_t *frame, size_t len);
/* The NIC has room again. Safe from any thread. */
void net_tap__resume(struct net_tap *t);

#endif
