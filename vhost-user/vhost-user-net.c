// SPDX-License-Identifier: GPL-2.0
/*
 * `--net vhost-user`: a virtio-net PCI function (modern, device 0x1041) whose
 * receive and transmit queues a vhost-user backend serves straight from guest
 * memory. triovm keeps the config space (MAC, link status) and the control
 * queue; notifications go guest -> backend through KVM ioeventfds and
 * backend -> guest through KVM irqfds, so packets never exit to triovm.
 *
 * Threads: vCPUs run the register handlers (under vp.lock) and only poke
 * wake_fd; the event loop does everything that talks to the backend or reads
 * the control queue.
 */
#include <errno.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "triovm/log.h"
#include "triovm/pci.h"
#include "triovm/vm.h"
#include "vhost-user-net.h"

static void vun_config_access(struct virtio_pci *vp, uint64_t off,
			      uint8_t *data, uint32_t len, bool is_write)
{
	struct vhost_user_net *n = vp->opaque;

	/* Modern drivers never write virtio-net's config (5.1.4.2). */
	if (!is_write)
		virtio_net__config_read(&n->net, off, data, len);
}

static bool vun_features_ok(struct virtio_pci *vp, uint64_t f)
{
	uint64_t needs_cvq = BIT_ULL(VIRTIO_NET_F_CTRL_RX) |
			     BIT_ULL(VIRTIO_NET_F_MQ);

	/* Feature dependencies of 5.1.3.1. */
	return !(f & needs_cvq) || (f & BIT_ULL(VIRTIO_NET_F_CTRL_VQ));
}

static void vun_changed(struct virtio_pci *vp, unsigned int events,
			uint16_t queue)
{
	struct vhost_user_net *n = vp->opaque;

	if (events & (VIRTIO_PCI_EV_RESET | VIRTIO_PCI_EV_STATUS |
		      VIRTIO_PCI_EV_QUEUE_VECTOR))
		eventfd_write(n->wake_fd, 1);
}

static const struct virtio_pci_ops vhost_user_net_ops = {
	.config_access = vun_config_access,
	.features_ok = vun_features_ok,
	.changed = vun_changed,
};

static void on_wake(int fd, uint32_t events, void *opaque)
{
	uint64_t cnt;

	if (read(fd, &cnt, sizeof(cnt)) == sizeof(cnt))
		vhost_user_net__sync(opaque);
}

static void ctrl_broken(struct vhost_user_net *n, const char *why)
{
	if (ratelimit_ok(&n->rl))
		pr_warn("%s: control queue: %s; the device needs a reset",
			n->name, why);
	virtio_pci__set_needs_reset(&n->vp);
}

static void ctrl_run(struct vhost_user_net *n)
{
	struct virtio_pci_queue q;
	const char *why = NULL;
	uint64_t features;
	bool interrupt;
	uint8_t status;
	int ret;

	status = virtio_pci__status(&n->vp);
	if (!(status & VIRTIO_CONFIG_S_DRIVER_OK) ||
	    (status & VIRTIO_CONFIG_S_NEEDS_RESET))
		return;
	features = virtio_pci__driver_features(&n->vp);
	if (!n->ctrl_ready) {
		q = virtio_pci__queue(&n->vp, n->ctrl_q);
		if (!q.enabled)
			return;
		ret = virtq__init(&n->ctrl, &n->vm->mem, q.size, q.desc,
				  q.driver, q.device,
				  features & BIT_ULL(VIRTIO_RING_F_EVENT_IDX),
				  &why);
		if (ret) {
			ctrl_broken(n, why);
			return;
		}
		n->ctrl_ready = true;
	}
	ret = virtio_net_ctrl__process(&n->net, &n->ctrl, features, &interrupt,
				       &why);
	if (ret < 0) {
		ctrl_broken(n, why);
		return;
	}
	if (interrupt)
		virtio_pci__notify_queue(&n->vp, n->ctrl_q);
	/* Out of budget: come back after the loop's other work. */
	if (ret == VIRTIO_NET_CTRL_BUDGET)
		eventfd_write(n->vp.notify_fd[n->ctrl_q], 1);
}

static void on_ctrl_kick(int fd, uint32_t events, void *opaque)
{
	struct vhost_user_net *n = opaque;
	uint64_t cnt;

	if (read(fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return;
	n->count.ctrl_notifications++;
	ctrl_run(n);
}

static void on_queue_pairs(void *opaque, uint16_t pairs)
{
	vhost_user_net__set_pairs(opaque, pairs);
}

static void vhost_user_net__destroy(struct vm_extra_device *dev)
{
	struct vhost_user_net *n =
		container_of(dev, struct vhost_user_net, extra);

	vhost_user_net__close_socket(n);
	if (n->wake_fd >= 0) {
		event_loop__del(&n->vm->loop, n->wake_fd);
		close(n->wake_fd);
	}
	if (n->vp.notify_fd[n->ctrl_q] >= 0)
		event_loop__del(&n->vm->loop, n->vp.notify_fd[n->ctrl_q]);
	if (n->stats.list.next)
		list_del(&n->stats.list);
	virtio_pci__exit(&n->vp);
	free(n);
}

static int vhost_user_net__create(struct vm *vm, void *cfgp, int index)
{
	struct vhost_user_net_cfg *cfg = cfgp;
	struct virtio_pci_params p = { 0 };
	struct vhost_user_net *n;
	int q, ret;

	n = calloc(1, sizeof(*n));
	if (!n) {
		free(cfg);
		return -ENOMEM;
	}
	n->vm = vm;
	n->cfg = *cfg;
	free(cfg);
	n->listen_fd = n->wake_fd = n->retry_timer = -1;
	n->rl = (struct ratelimit)RATELIMIT_INIT;
	snprintf(n->name, sizeof(n->name), "vhost-user-net%d", index);
	n->extra.name = n->name;
	n->extra.destroy = vhost_user_net__destroy;
	/* From here on, vm__destroy() undoes whatever got done. */
	vm__add_extra_device(vm, &n->extra);

	vhost_user__init(&n->vu, n->name);
	virtio_net__init(&n->net, n->cfg.mac, n->cfg.pairs);
	n->net.set_queue_pairs = on_queue_pairs;
	n->net.opaque = n;
	n->ctrl_q = virtio_net__ctrl_queue(&n->net);
	n->nr_rings = 2 * n->cfg.pairs;
	for (q = 0; q < VHOST_USER_NET_MAX_RINGS; q++)
		n->ring_call_fd[q] = -1;

	p.name = n->name;
	p.virtio_id = VIRTIO_ID_NET;
	p.class_code = PCI_CLASS_CODE_ETHERNET;
	p.nr_queues = n->nr_rings + 1;
	p.queue_max_size = VIRTIO_NET_QUEUE_SIZE;
	/* One per queue and one for config changes: no sharing needed. */
	p.nr_vectors = n->nr_rings + 2;
	p.device_features = virtio_net__device_features(&n->net);
	p.cfg_size = VIRTIO_NET_CFG_SIZE;
	p.ops = &vhost_user_net_ops;
	p.opaque = n;
	ret = virtio_pci__init(&n->vp, vm, &p);
	if (ret)
		return ret;
	virtio_pci__set_queue_max(&n->vp, n->ctrl_q,
				  VIRTIO_NET_CTRL_QUEUE_SIZE);
	virtio_pci__set_internal(&n->vp, n->ctrl_q);

	n->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (n->wake_fd < 0)
		return -errno;
	ret = event_loop__add(&vm->loop, n->wake_fd, EPOLLIN, on_wake, n);
	if (!ret)
		ret = event_loop__add(&vm->loop, n->vp.notify_fd[n->ctrl_q],
				      EPOLLIN, on_ctrl_kick, n);
	if (ret) {
		pr_err("%s: cannot watch its eventfds: %s", n->name,
		       strerror(-ret));
		return ret;
	}
	ret = virtio_pci__register(&n->vp);
	if (ret)
		return ret;

	n->stats.name = n->name;
	n->stats.write = vhost_user_net__write_stats;
	n->stats.opaque = n;
	stats__add_source(vm, &n->stats);
	return vhost_user_net__open_socket(n);
}

static int vhost_user_net__parse(char *spec, int index, void **cfg)
{
	struct vhost_user_net_cfg *c = malloc(sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	ret = vhost_user_net__parse_cfg(spec, index, c);
	if (ret) {
		free(c);
		return ret;
	}
	*cfg = c;
	return 0;
}

const struct net_model vhost_user_net_model = {
	.name = "vhost-user",
	.parse = vhost_user_net__parse,
	.create = vhost_user_net__create,
	.free_cfg = free,
};
