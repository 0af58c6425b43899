/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio over PCI, the modern (virtio 1.x) transport (virtio v1.2, 4.1).
 *
 * The transport is generic: a device type (virtio-net, ...) fills a
 * `struct virtio_pci_params` with its IDs, queues, features and an ops table
 * for its config space, and gets the vendor capabilities, feature
 * negotiation, queue setup, status/reset, MSI-X and the notify area.
 *
 * Queue notifications never reach triovm: each queue has its own notify
 * address (notify_off = queue index) registered as a KVM ioeventfd on an
 * eventfd the device hands to whoever serves the queue (a vhost-user backend,
 * or triovm's event loop for a queue it serves itself). Interrupts of queues
 * served elsewhere go through per-vector eventfds wired to KVM irqfds.
 */
#ifndef TRIOVM_VIRTIO_PCI_H
#define TRIOVM_VIRTIO_PCI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "log.h"
#include "pci.h"

struct vm;

#define VIRTIO_PCI_VENDOR_ID 0x1af4
/* Non-transitional devices: 0x1040 + the virtio device ID. */
#define VIRTIO_PCI_DEVICE_ID_BASE 0x1040
/* Non-transitional devices want a subsystem ID of 0x40 or more (4.1.2.1). */
#define VIRTIO_PCI_SUBSYSTEM_ID 0x1100
#define VIRTIO_PCI_REVISION 1

#define VIRTIO_PCI_MAX_QUEUES 64
#define VIRTIO_PCI_MAX_VECTORS 128
#define VIRTIO_PCI_NO_VECTOR 0xffff

/* ISR status bits (4.1.4.5). */
#define VIRTIO_PCI_ISR_QUEUE_INT 0x1
#define VIRTIO_PCI_ISR_CONFIG_INT 0x2

/* The size of the common configuration structure, virtio 1.2 fields included. */
#define VIRTIO_PCI_COMMON_CFG_SIZE 0x3c

/* One queue as the driver configured it through the common config. */
struct virtio_pci_queue {
	uint16_t max_size;
	uint16_t size;
	uint16_t msix_vector;
	bool enabled;
	uint64_t desc, driver, device; /* guest-physical, unchecked */
};

/* What a common-config write changed, for the transport and the device. */
enum {
	VIRTIO_PCI_EV_RESET = 1 << 0, /* the driver wrote 0 to device_status */
	VIRTIO_PCI_EV_STATUS = 1 << 1, /* device_status gained bits */
	VIRTIO_PCI_EV_CONFIG_VECTOR = 1 << 2,
	VIRTIO_PCI_EV_QUEUE_VECTOR = 1 << 3,
	VIRTIO_PCI_EV_QUEUE_ENABLE = 1 << 4,
	/* The driver wrote 0 while status was 0: reset done already. */
	VIRTIO_PCI_EV_RESET_DONE = 1 << 5,
};

/*
 * The common configuration structure's semantics, with no I/O attached (so
 * that it is testable on its own): feature windows, status sequencing, queue
 * setup and reset.
 */
struct virtio_pci_common {
	uint64_t device_features;
	uint64_t driver_features;
	uint32_t device_feature_select, driver_feature_select;
	uint16_t msix_config;
	uint16_t nr_vectors; /* MSI-X table size: larger vectors read back NO_VECTOR */
	uint8_t status;
	uint8_t generation;
	uint16_t queue_select;
	uint16_t nr_queues;
	/*
	 * The driver wrote 0 to a non-zero status: device_status keeps
	 * reading non-zero until the device has stopped using the queues and
	 * calls virtio_pci_common__reset(); drivers wait for 0 (virtio 1.2,
	 * 4.1.4.3.2). Writes meanwhile are ignored.
	 */
	bool reset_pending;
	struct virtio_pci_queue queues[VIRTIO_PCI_MAX_QUEUES];
	/* Optional device check of the driver's features at FEATURES_OK. */
	bool (*features_ok)(void *opaque, uint64_t features);
	void *features_ok_opaque;
};

void virtio_pci_common__init(struct virtio_pci_common *c, uint16_t nr_queues,
			     uint16_t max_size, uint16_t nr_vectors,
			     uint64_t device_features);
/* Back to the state after power-on (finishes a pending reset). */
void virtio_pci_common__reset(struct virtio_pci_common *c);
/* Any access inside the structure; bytes outside it read as 0. */
void virtio_pci_common__read(const struct virtio_pci_common *c, uint64_t off,
			     uint8_t *data, uint32_t len);
/*
 * Apply a driver write; returns VIRTIO_PCI_EV_* for what changed and the
 * selected queue in *queue. Writes of the wrong width, to read-only fields or
 * against the rules of 4.1.4.3 are ignored.
 */
unsigned int virtio_pci_common__write(struct virtio_pci_common *c, uint64_t off,
				      const uint8_t *data, uint32_t len,
				      uint16_t *queue);

struct virtio_pci;

struct virtio_pci_ops {
	/* Device-specific configuration, `off` + `len` within cfg_size. */
	void (*config_access)(struct virtio_pci *vp, uint64_t off,
			      uint8_t *data, uint32_t len, bool is_write);
	/* Optional: refuse a feature set at FEATURES_OK. */
	bool (*features_ok)(struct virtio_pci *vp, uint64_t features);
	/*
	 * Optional: a common-config write changed something (events are
	 * VIRTIO_PCI_EV_*). Runs on a vCPU thread with vp->lock held: it
	 * must not block. A reset is finished by virtio_pci__reset_done().
	 */
	void (*changed)(struct virtio_pci *vp, unsigned int events,
			uint16_t queue);
};

struct virtio_pci_params {
	const char *name;
	uint16_t virtio_id;
	uint32_t class_code;
	uint16_t nr_queues;
	uint16_t queue_max_size;
	uint16_t nr_vectors;
	uint64_t device_features;
	uint32_t cfg_size;
	const struct virtio_pci_ops *ops;
	void *opaque;
};

/* Counters for --stats (atomics: vCPU threads and the loop update them). */
struct virtio_pci_stats {
	uint64_t notify_exits; /* notify writes KVM did not catch */
	uint64_t intx_wakeups; /* a backend signalled a queue with no vector */
	uint64_t msix_injected; /* messages triovm itself injected */
};

struct virtio_pci {
	struct pci_device pci;
	struct vm *vm;
	const struct virtio_pci_ops *ops;
	void *opaque;
	/* Common config, ISR and device config; taken by vCPUs and the loop. */
	pthread_mutex_t lock;
	struct virtio_pci_common common;
	uint8_t isr;
	uint32_t cfg_size;
	/* Serialises deciding the INTx level with driving it. */
	pthread_mutex_t intx_lock;
	/* Queues triovm serves itself get no irqfd routing. */
	bool internal[VIRTIO_PCI_MAX_QUEUES];
	/* One eventfd per queue, signalled by KVM on a notify write. */
	int notify_fd[VIRTIO_PCI_MAX_QUEUES];
	uint64_t notify_addr; /* where the ioeventfds are, 0 when none */
	/* Per MSI-X vector: an eventfd KVM turns into that vector. */
	int vector_fd[VIRTIO_PCI_MAX_VECTORS];
	bool vector_wired[VIRTIO_PCI_MAX_VECTORS];
	/* Signalled for queues without a vector: ISR and INTx, by triovm. */
	int intx_fd;
	uint16_t cfg_cap; /* the PCI-cfg access capability */
	struct virtio_pci_stats stats;
	struct ratelimit rl;
	char region_names[4][48];
};

int virtio_pci__init(struct virtio_pci *vp, struct vm *vm,
		     const struct virtio_pci_params *p);
/* Put the function on the PCI bus (after the device finished its setup). */
int virtio_pci__register(struct virtio_pci *vp);
void virtio_pci__exit(struct virtio_pci *vp);

/* A smaller maximum size for one queue (before the driver runs). */
void virtio_pci__set_queue_max(struct virtio_pci *vp, uint16_t queue,
			       uint16_t max);
/* Mark a queue as served by triovm (its interrupts are injected). */
void virtio_pci__set_internal(struct virtio_pci *vp, uint16_t queue);
/*
 * The eventfd that raises `queue`'s interrupt with no exit to triovm: its
 * vector's irqfd, or the INTx eventfd when it has no vector.
 */
int virtio_pci__queue_irqfd(struct virtio_pci *vp, uint16_t queue);
/* Interrupts triovm raises itself: a used buffer, a config change. */
void virtio_pci__notify_queue(struct virtio_pci *vp, uint16_t queue);
void virtio_pci__notify_config(struct virtio_pci *vp);
/* The device stopped using the queues: complete the driver's reset. */
void virtio_pci__reset_done(struct virtio_pci *vp);
/* The device hit an error only a reset cures: tell the driver. */
void virtio_pci__set_needs_reset(struct virtio_pci *vp);

/* A snapshot of the status and one queue, taken under the lock. */
uint8_t virtio_pci__status(struct virtio_pci *vp);
struct virtio_pci_queue virtio_pci__queue(struct virtio_pci *vp,
					  uint16_t queue);
uint64_t virtio_pci__driver_features(struct virtio_pci *vp);

#endif
