/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One virtual machine. Everything a VM owns hangs off this struct, so that
 * two VMs in one process never share state.
 */
#ifndef TRIOVM_VM_H
#define TRIOVM_VM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "boot.h"
#include "event-loop.h"
#include "iobus.h"
#include "list.h"
#include "memory.h"
#include "net.h"
#include "options.h"

struct vcpu;
struct kvm_cpuid2;
struct acpi_dsdt_node;
struct pci_bus;
struct irq_routing;
struct vfio_vm;

#define VM_MAX_DEVICES 32

enum vm_stop_reason {
	VM_STOP_NONE,
	VM_STOP_POWEROFF,
	VM_STOP_REBOOT,
	VM_STOP_PANIC,
	VM_STOP_SIGNAL,
	VM_STOP_ERROR,
	VM_STOP_DEVICE_REQUEST, /* the host took a passed-through device back */
};

struct vm {
	const struct vm_options *opts;

	int sys_fd; /* /dev/kvm */
	int vm_fd;
	int max_vcpus;
	struct kvm_cpuid2 *supported_cpuid;

	struct guest_mem mem;
	/* KVM memory slots in use (RAM first, then device memory). */
	pthread_mutex_t slot_lock;
	uint64_t slots_used[8];
	struct boot_files boot; /* until loaded into RAM */
	struct iobus pio_bus;
	struct iobus mmio_bus;
	struct event_loop loop;

	int nr_vcpus;
	struct vcpu **vcpus;

	/* GSI routing table shared by the irqchip, MSI and irqfd users. */
	struct irq_routing *irq;

	/* The PCI root bus (NULL until the host bridge registers it). */
	struct pci_bus *pci;

	/* Objects that describe themselves to the guest in the DSDT. */
	struct list_head dsdt_nodes;
	uint64_t rsdp_addr;

	/* Per-device state, in the order of core-vmm/devices.c. */
	void *dev_priv[VM_MAX_DEVICES];
	int nr_devices;

	/* Devices created from the command line (--net, --device). */
	struct net_configs nets; /* parsed, until created */
	struct vfio_vm *vfio; /* --device vfio,host=... */
	struct list_head extra_devices;

	/* Devices with counters for --stats (stats.h). */
	struct list_head stats_sources;

	/* The first stop request wins; vCPUs and the loop watch `stopping`. */
	pthread_mutex_t stop_lock;
	atomic_bool stopping;
	enum vm_stop_reason stop_reason;
	int exit_status;
};

/*
 * Ask the VM to stop with `reason` and exit status `status`. Safe from any
 * thread; only the first call's reason and status are kept.
 */
void vm__request_stop(struct vm *vm, enum vm_stop_reason reason, int status);
const char *vm__stop_reason_name(enum vm_stop_reason reason);

/* Raise/lower an interrupt line of the in-kernel irqchip (GSI). */
int vm__irq_line(struct vm *vm, uint32_t gsi, int level);

/* Build the whole VM from `opts`: returns 0 or a negative errno (printed). */
int vm__create(struct vm *vm, const struct vm_options *opts);
/* Start the vCPUs and run the event loop until the VM stops. */
int vm__run(struct vm *vm);
void vm__destroy(struct vm *vm);

#endif
