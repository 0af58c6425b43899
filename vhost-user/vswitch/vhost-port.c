// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-user ports on librte_vhost: one driver (socket) per port, a client of
 * the frontend by default. DPDK owns the protocol; we only learn when a
 * device is ready (new_device) and when it goes (destroy_device).
 */
#include <errno.h>
#include <linux/virtio_net.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_vhost.h>

#include "log.h"
#include "switch.h"

/*
 * librte_vhost's callbacks carry only a vid, and the library itself is one
 * per process, so the sockets it serves are looked up in one table too.
 */
static struct vsw_port *by_socket[VSW_MAX_PORTS];

/*
 * Offloads would hand one port's partial checksums and TSO frames to another
 * (or to an uplink) that may not do them: the guests do their own. A single
 * queue pair is served.
 */
#define VSW_DISABLED_FEATURES                                                  \
	((1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_CSUM) |     \
	 (1ULL << VIRTIO_NET_F_GUEST_TSO4) |                                   \
	 (1ULL << VIRTIO_NET_F_GUEST_TSO6) |                                   \
	 (1ULL << VIRTIO_NET_F_GUEST_ECN) | (1ULL << VIRTIO_NET_F_GUEST_UFO) | \
	 (1ULL << VIRTIO_NET_F_HOST_TSO4) | (1ULL << VIRTIO_NET_F_HOST_TSO6) | \
	 (1ULL << VIRTIO_NET_F_HOST_ECN) | (1ULL << VIRTIO_NET_F_HOST_UFO) |   \
	 (1ULL << VIRTIO_NET_F_MQ))

static struct vsw_port *port_of(int vid)
{
	char path[PATH_MAX];
	unsigned int i;

	if (rte_vhost_get_ifname(vid, path, sizeof(path)))
		return NULL;
	for (i = 0; i < VSW_MAX_PORTS; i++) {
		struct vsw_port *p =
			__atomic_load_n(&by_socket[i], __ATOMIC_ACQUIRE);

		if (p && !strcmp(p->spec->path, path))
			return p;
	}
	return NULL;
}

static int new_device(int vid)
{
	struct vsw_port *p = port_of(vid);

	if (!p) {
		vsw_err("vhost-user device %d on a socket we do not serve",
			vid);
		return -ENODEV;
	}
	/* A server socket accepts more than one frontend; a port has one. */
	if (__atomic_load_n(&p->up, __ATOMIC_ACQUIRE)) {
		vsw_warn("port %s: refusing a second frontend (device %d)",
			 p->spec->name, vid);
		return -EBUSY;
	}
	/*
	 * The data core polls: the frontend need not kick us (an eventfd write
	 * per burst, or a VM exit for a guest) when it adds buffers.
	 */
	rte_vhost_enable_guest_notification(vid, VIRTIO_RXQ, 0);
	rte_vhost_enable_guest_notification(vid, VIRTIO_TXQ, 0);
	p->vid = vid;
	vsw_port__up(p);
	vsw_info("port %s: up (%s, device %d)", p->spec->name, p->spec->path,
		 vid);
	return 0;
}

static void destroy_device(int vid)
{
	struct vsw_port *p = port_of(vid);

	if (!p || !__atomic_load_n(&p->up, __ATOMIC_ACQUIRE) || p->vid != vid)
		return;
	vsw_port__down(p);
	vsw_info("port %s: down", p->spec->name);
}

static int vring_state_changed(int vid, uint16_t queue, int enable)
{
	struct vsw_port *p = port_of(vid);

	/*
	 * DPDK skips disabled rings itself; a change while the device runs
	 * is the guest's driver stopping or restarting a queue, worth a line.
	 */
	if (p && __atomic_load_n(&p->up, __ATOMIC_ACQUIRE) && p->vid == vid)
		vsw_info("port %s: ring %u %s", p->spec->name, queue,
			 enable ? "enabled" : "disabled");
	return 0;
}

static const struct rte_vhost_device_ops vsw_vhost_ops = {
	.new_device = new_device,
	.destroy_device = destroy_device,
	.vring_state_changed = vring_state_changed,
};

int vhost_port__register(struct vsw_port *p)
{
	const char *path = p->spec->path;
	uint64_t flags = p->spec->server ? 0 : RTE_VHOST_USER_CLIENT;

	if (rte_vhost_driver_register(path, flags)) {
		vsw_err("port %s: cannot register vhost-user socket %s",
			p->spec->name, path);
		return -EINVAL;
	}
	p->registered = true;
	__atomic_store_n(&by_socket[p->id], p, __ATOMIC_RELEASE);
	if (rte_vhost_driver_disable_features(path, VSW_DISABLED_FEATURES) ||
	    rte_vhost_driver_callback_register(path, &vsw_vhost_ops)) {
		vsw_err("port %s: cannot set up vhost-user socket %s",
			p->spec->name, path);
		return -EINVAL;
	}
	return 0;
}

/*
 * A socket file left by a server that died refuses connections and makes
 * bind() fail; QEMU and OVS remove it too. A live listener is left alone.
 */
static void remove_stale_socket(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, err;

	if (stat(path, &st) || !S_ISSOCK(st.st_mode) ||
	    strlen(path) >= sizeof(sun.sun_path))
		return;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	err = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ? errno : 0;
	close(fd);
	if (err == ECONNREFUSED && !unlink(path))
		vsw_info("removed stale socket %s", path);
}

int vhost_port__start(struct vsw_port *p)
{
	if (p->spec->server)
		remove_stale_socket(p->spec->path);
	/* A client that finds no listener retries every second by itself. */
	if (rte_vhost_driver_start(p->spec->path)) {
		vsw_err("port %s: cannot %s %s", p->spec->name,
			p->spec->server ? "listen on" : "connect to",
			p->spec->path);
		return -EIO;
	}
	vsw_info("port %s: %s %s", p->spec->name,
		 p->spec->server ? "listening on" : "connecting to",
		 p->spec->path);
	return 0;
}

void vhost_port__unregister(struct vsw_port *p)
{
	if (!p->registered)
		return;
	/* Destroys a connected device first: destroy_device runs from here. */
	if (rte_vhost_driver_unregister(p->spec->path))
		vsw_warn("port %s: cannot unregister %s", p->spec->name,
			 p->spec->path);
	p->registered = false;
	/* The other ports' callbacks may be looking at the table. */
	__atomic_store_n(&by_socket[p->id], NULL, __ATOMIC_RELEASE);
}
