// SPDX-License-Identifier: GPL-2.0
/* A VM's life: build it from the options, run it, tear it down. */
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "triovm/acpi.h"
#include "triovm/boot.h"
#include "triovm/device.h"
#include "triovm/exit-status.h"
#include "triovm/irq.h"
#include "triovm/kvm.h"
#include "triovm/kvm-cpu.h"
#include "triovm/log.h"
#include "triovm/net.h"
#include "triovm/stats.h"
#include "triovm/vfio-pci.h"
#include "triovm/vm.h"

const char *vm__stop_reason_name(enum vm_stop_reason reason)
{
	static const char *const names[] = {
		[VM_STOP_NONE] = "running",
		[VM_STOP_POWEROFF] = "poweroff",
		[VM_STOP_REBOOT] = "reboot",
		[VM_STOP_PANIC] = "panic",
		[VM_STOP_SIGNAL] = "signal",
		[VM_STOP_ERROR] = "error",
		[VM_STOP_DEVICE_REQUEST] = "device-request",
	};

	return reason < ARRAY_SIZE(names) ? names[reason] : "unknown";
}

void vm__request_stop(struct vm *vm, enum vm_stop_reason reason, int status)
{
	pthread_mutex_lock(&vm->stop_lock);
	if (vm->stop_reason == VM_STOP_NONE) {
		vm->stop_reason = reason;
		vm->exit_status = status;
	}
	atomic_store(&vm->stopping, true);
	pthread_mutex_unlock(&vm->stop_lock);
	event_loop__stop(&vm->loop);
}

int vm__irq_line(struct vm *vm, uint32_t gsi, int level)
{
	struct kvm_irq_level irq = { .irq = gsi, .level = level };

	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq) < 0) {
		pr_warn_ratelimited("KVM_IRQ_LINE %u: %s", gsi,
				    strerror(errno));
		return -errno;
	}
	return 0;
}

static int vm__create_vcpus(struct vm *vm)
{
	int i, ret;

	vm->vcpus = calloc(vm->nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	for (i = 0; i < vm->nr_vcpus; i++) {
		ret = vcpu__create(vm, i, &vm->vcpus[i]);
		if (ret)
			return ret;
		ret = vcpu__setup_cpuid(vm->vcpus[i]);
		if (ret)
			return ret;
		ret = vcpu__setup_lapic(vm->vcpus[i]);
		if (ret)
			return ret;
	}
	return 0;
}

int vm__create(struct vm *vm, const struct vm_options *opts)
{
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->opts = opts;
	vm->sys_fd = vm->vm_fd = -1;
	vm->mem.fd = -1;
	pthread_mutex_init(&vm->stop_lock, NULL);
	pthread_mutex_init(&vm->slot_lock, NULL);
	INIT_LIST_HEAD(&vm->dsdt_nodes);
	INIT_LIST_HEAD(&vm->extra_devices);
	INIT_LIST_HEAD(&vm->stats_sources);
	iobus__init(&vm->pio_bus, "port I/O");
	iobus__init(&vm->mmio_bus, "MMIO");
	ret = event_loop__init(&vm->loop);
	if (ret)
		return ret;

	/* Check input first: bad input is reported even without KVM. */
	ret = boot__prepare(&vm->boot, opts->kernel, opts->initrd,
			    opts->cmdline, opts->ram_size);
	if (ret)
		return ret;
	ret = net__parse_all(&vm->nets, opts);
	if (ret)
		return ret;
	ret = vfio__vm_prepare(vm);
	if (ret)
		return ret;
	ret = kvm__open(vm);
	if (ret)
		return ret;
	if (opts->nr_cpus > vm->max_vcpus) {
		pr_err("--cpus %d: this KVM allows at most %d vCPUs",
		       opts->nr_cpus, vm->max_vcpus);
		return -EINVAL;
	}
	vm->nr_vcpus = opts->nr_cpus;
	ret = kvm__create_vm(vm);
	if (ret)
		return ret;
	ret = irq__init(vm);
	if (ret)
		return ret;
	ret = guest_mem__init(&vm->mem, opts->ram_size, opts->hugepages);
	if (ret)
		return ret;
	ret = guest_mem__register(&vm->mem, vm->vm_fd);
	if (ret)
		return ret;
	for (int i = 0; i < vm->mem.nr_regions; i++)
		vm->slots_used[0] |= 1ULL << vm->mem.regions[i].slot;
	ret = vm__create_vcpus(vm);
	if (ret)
		return ret;
	ret = vm_devices__init(vm);
	if (ret)
		return ret;
	ret = net__create_all(vm, &vm->nets);
	if (ret)
		return ret;
	ret = vfio__vm_init(vm);
	if (ret)
		return ret;
	ret = acpi__build_tables(vm);
	if (ret) {
		pr_err("cannot build the ACPI tables");
		return ret;
	}
	ret = boot__load_linux(vm, &vm->boot);
	boot__release(&vm->boot);
	return ret;
}

static void vm__on_signal(int fd, uint32_t events, void *opaque)
{
	struct signalfd_siginfo si;
	struct vm *vm = opaque;

	(void)events;
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	/* SIGUSR2: a snapshot of --stats now, for measuring a time window. */
	if (si.ssi_signo == SIGUSR2) {
		if (vm->opts->stats_path)
			stats__write_json(vm, vm->opts->stats_path);
		return;
	}
	pr_info("signal %u (%s): stopping the VM", si.ssi_signo,
		strsignal(si.ssi_signo));
	vm__request_stop(vm, VM_STOP_SIGNAL, EXIT_GUEST_OFF);
}

int vm__run(struct vm *vm)
{
	sigset_t set, old;
	int sfd, i, ret = 0;

	/*
	 * SIGINT/SIGTERM/SIGHUP (stop) and SIGUSR2 (write --stats now) arrive
	 * on the loop, never in a vCPU thread.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 ||
	    event_loop__add(&vm->loop, sfd, EPOLLIN, vm__on_signal, vm) < 0) {
		pr_err("cannot watch for signals: %s", strerror(errno));
		ret = -errno;
		goto out;
	}

	for (i = 0; i < vm->nr_vcpus; i++) {
		ret = vcpu__start(vm->vcpus[i]);
		if (ret) {
			vm__request_stop(vm, VM_STOP_ERROR, EXIT_VMM_ERROR);
			break;
		}
	}
	if (!ret)
		ret = event_loop__run(&vm->loop);
	if (ret)
		vm__request_stop(vm, VM_STOP_ERROR, EXIT_VMM_ERROR);

	atomic_store(&vm->stopping, true);
	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu__stop(vm->vcpus[i]);
	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu__join(vm->vcpus[i]);

	if (vm->opts->stats_path)
		stats__write_json(vm, vm->opts->stats_path);
out:
	if (sfd >= 0) {
		event_loop__del(&vm->loop, sfd);
		close(sfd);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

void vm__destroy(struct vm *vm)
{
	int i;

	boot__release(&vm->boot);
	net__free_configs(&vm->nets);
	vm__destroy_extra_devices(vm);
	vfio__vm_exit(vm);
	vm_devices__exit(vm);
	if (vm->vcpus) {
		for (i = 0; i < vm->nr_vcpus; i++)
			vcpu__destroy(vm->vcpus[i]);
		free(vm->vcpus);
		vm->vcpus = NULL;
	}
	guest_mem__exit(&vm->mem);
	irq__exit(vm);
	kvm__close(vm);
	event_loop__exit(&vm->loop);
	iobus__exit(&vm->pio_bus);
	iobus__exit(&vm->mmio_bus);
	pthread_mutex_destroy(&vm->stop_lock);
}
