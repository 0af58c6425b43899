/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `--net vhost-user`: a virtio-net PCI function whose queues a vhost-user
 * backend serves. Private to vhost-user/.
 */
#ifndef TRIOVM_VHOST_USER_NET_PRIV_H
#define TRIOVM_VHOST_USER_NET_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/un.h>

#include "triovm/log.h"
#include "triovm/net.h"
#include "triovm/stats.h"
#include "triovm/vhost-user.h"
#include "triovm/virtio-net.h"
#include "triovm/virtio-pci.h"
#include "triovm/virtqueue.h"

struct json;
struct vm;

/* What the command line asked for. */
struct vhost_user_net_cfg {
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	bool client;
	uint8_t mac[ETH_ALEN];
	uint16_t pairs;
};

#define VHOST_USER_NET_MAX_RINGS (2 * VIRTIO_NET_MAX_PAIRS)
/* A client retries this often, for as long as it takes. */
#define VHOST_USER_NET_RETRY_MS 1000

struct vhost_user_net_counters {
	uint64_t connections;
	uint64_t disconnects;
	uint64_t starts;
	uint64_t link_changes;
	uint64_t ctrl_notifications; /* wakeups of the loop by the control queue */
};

struct vhost_user_net {
	struct vm *vm;
	char name[32];
	struct vhost_user_net_cfg cfg;
	struct virtio_pci vp;
	/* Its status (link) is read by vCPUs: written under vp.lock. */
	struct virtio_net net;
	uint16_t ctrl_q;
	uint16_t nr_rings; /* the backend's: 2 per pair */

	/* Everything below belongs to the event loop thread. */
	struct vhost_user vu;
	int listen_fd;
	int retry_timer; /* client: the reconnect timer, or -1 */
	int wake_fd; /* vCPUs: the status changed */
	struct virtq ctrl;
	bool ctrl_ready;
	bool connected, negotiated;
	bool running; /* the backend has the rings */
	/* Since the last reset: the rings ran, restore from the used index. */
	bool started_once;
	/* The backend offers less than the guest uses: no start, link down. */
	bool mismatch;
	bool ring_on[VHOST_USER_NET_MAX_RINGS];
	bool ring_enabled[VHOST_USER_NET_MAX_RINGS];
	int ring_call_fd[VHOST_USER_NET_MAX_RINGS];
	uint64_t features_sent;
	struct vhost_user_net_counters count;
	struct ratelimit rl;

	struct stats_source stats;
	struct vm_extra_device extra;
};

/* The backend session (vhost-user-net-backend.c), event loop only. */
int vhost_user_net__open_socket(struct vhost_user_net *n);
void vhost_user_net__close_socket(struct vhost_user_net *n);
/* Bring the backend in line with the device status (reset, DRIVER_OK). */
void vhost_user_net__sync(struct vhost_user_net *n);
/* The driver chose how many queue pairs run (VQ_PAIRS_SET). */
void vhost_user_net__set_pairs(struct vhost_user_net *n, uint16_t pairs);
void vhost_user_net__set_link(struct vhost_user_net *n, bool up, bool notify);

int vhost_user_net__parse_cfg(char *spec, int index,
			      struct vhost_user_net_cfg *cfg);
void vhost_user_net__write_stats(struct json *j, void *opaque);

extern const struct net_model vhost_user_net_model;

#endif
