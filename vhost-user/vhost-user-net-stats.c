// SPDX-License-Identifier: GPL-2.0
/*
 * A vhost-user-net device's counters for --stats. What matters is what
 * triovm itself had to do once the queues run: the notify exits KVM did not
 * absorb, the control queue's wakeups of the event loop, the INTx fallback,
 * and the interrupts triovm injected (config changes, control queue, and
 * vectors that fired while the guest had them masked).
 */
#include <linux/virtio_net.h>

#include "triovm/json.h"
#include "vhost-user-net.h"

static uint64_t load(const uint64_t *v)
{
	return __atomic_load_n(v, __ATOMIC_RELAXED);
}

void vhost_user_net__write_stats(struct json *j, void *opaque)
{
	struct vhost_user_net *n = opaque;
	const struct virtio_pci_stats *s = &n->vp.stats;
	uint16_t status;

	pthread_mutex_lock(&n->vp.lock);
	status = n->net.status;
	pthread_mutex_unlock(&n->vp.lock);

	json_string(j, "socket", n->cfg.path);
	json_string(j, "mode", n->cfg.client ? "client" : "server");
	json_bool(j, "connected", n->connected);
	json_bool(j, "running", n->running);
	json_bool(j, "link_up", status & VIRTIO_NET_S_LINK_UP);
	json_u64(j, "queue_pairs", n->net.max_pairs);
	json_u64(j, "active_pairs", n->net.active_pairs);
	json_u64(j, "connections", n->count.connections);
	json_u64(j, "disconnects", n->count.disconnects);
	json_u64(j, "starts", n->count.starts);
	json_u64(j, "link_changes", n->count.link_changes);
	json_u64(j, "messages_sent", n->vu.count.sent);
	json_u64(j, "replies_received", n->vu.count.replies);
	json_u64(j, "request_errors", n->vu.count.errors);
	json_u64(j, "backend_features", n->vu.features);
	json_u64(j, "protocol_features", n->vu.protocol_features);
	json_u64(j, "features_sent", n->features_sent);
	json_u64(j, "ctrl_commands", n->net.ctrl_commands);
	json_u64(j, "ctrl_notifications", n->count.ctrl_notifications);
	json_u64(j, "notify_exits", load(&s->notify_exits));
	json_u64(j, "intx_wakeups", load(&s->intx_wakeups));
	json_u64(j, "msix_injected", load(&s->msix_injected));
	/* Work on triovm's own thread that no vCPU exit counter shows. */
	json_u64(j, "loop_events",
		 n->count.ctrl_notifications + load(&s->intx_wakeups));
}
