// SPDX-License-Identifier: GPL-2.0
/* vCPUs: one thread each, running KVM_RUN and dispatching its exits. */
#include <errno.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "triovm/exit-status.h"
#include "triovm/kvm-cpu.h"
#include "triovm/log.h"
#include "triovm/vm.h"

/* Sent to a vCPU thread to pull it out of KVM_RUN. */
#define SIG_VCPU_KICK SIGUSR1

#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_MODE_NMI 0x4
#define APIC_MODE_EXTINT 0x7

static void vcpu_kick_handler(int sig)
{
	(void)sig;
}

static pthread_once_t kick_once = PTHREAD_ONCE_INIT;

static void install_kick_handler(void)
{
	struct sigaction sa = { .sa_handler = vcpu_kick_handler };

	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: KVM_RUN must return EINTR. */
	sigaction(SIG_VCPU_KICK, &sa, NULL);
}

int vcpu__create(struct vm *vm, int id, struct vcpu **out)
{
	struct vcpu *vcpu;
	int mmap_size;

	vcpu = calloc(1, sizeof(*vcpu));
	if (!vcpu)
		return -ENOMEM;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->stats_fd = -1;
	vcpu->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, id);
	if (vcpu->fd < 0) {
		int err = errno;

		pr_err("KVM_CREATE_VCPU %d: %s", id, strerror(err));
		free(vcpu);
		return -err;
	}
	mmap_size = ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (int)sizeof(struct kvm_run)) {
		pr_err("KVM_GET_VCPU_MMAP_SIZE: %d", mmap_size);
		close(vcpu->fd);
		free(vcpu);
		return -EINVAL;
	}
	vcpu->run_size = mmap_size;
	vcpu->run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		int err = errno;

		pr_err("mmap of vCPU %d's kvm_run: %s", id, strerror(err));
		close(vcpu->fd);
		free(vcpu);
		return -err;
	}
#ifdef KVM_GET_STATS_FD
	if (ioctl(vm->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD) > 0)
		vcpu->stats_fd = ioctl(vcpu->fd, KVM_GET_STATS_FD, NULL);
#endif
	*out = vcpu;
	return 0;
}

void vcpu__destroy(struct vcpu *vcpu)
{
	if (!vcpu)
		return;
	if (vcpu->stats_fd >= 0)
		close(vcpu->stats_fd);
	if (vcpu->run)
		munmap(vcpu->run, vcpu->run_size);
	close(vcpu->fd);
	free(vcpu);
}

static void set_lvt_mode(struct kvm_lapic_state *lapic, int reg, uint32_t mode)
{
	uint32_t v;

	memcpy(&v, &lapic->regs[reg], sizeof(v));
	v = (v & ~0x700U) | (mode << 8);
	memcpy(&lapic->regs[reg], &v, sizeof(v));
}

int vcpu__setup_lapic(struct vcpu *vcpu)
{
	struct kvm_lapic_state lapic;

	if (ioctl(vcpu->fd, KVM_GET_LAPIC, &lapic) < 0)
		return -errno;
	set_lvt_mode(&lapic, APIC_LVT_LINT0, APIC_MODE_EXTINT);
	set_lvt_mode(&lapic, APIC_LVT_LINT1, APIC_MODE_NMI);
	if (ioctl(vcpu->fd, KVM_SET_LAPIC, &lapic) < 0) {
		int err = errno;

		pr_err("vCPU %d: KVM_SET_LAPIC: %s", vcpu->id, strerror(err));
		return -err;
	}
	return 0;
}

static void vcpu__dump(struct vcpu *vcpu)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	if (ioctl(vcpu->fd, KVM_GET_REGS, &regs) < 0 ||
	    ioctl(vcpu->fd, KVM_GET_SREGS, &sregs) < 0)
		return;
	pr_err("vCPU %d: rip=0x%llx rsp=0x%llx rflags=0x%llx cr0=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx cs=0x%x",
	       vcpu->id, regs.rip, regs.rsp, regs.rflags, sregs.cr0, sregs.cr3,
	       sregs.cr4, sregs.efer, sregs.cs.selector);
}

static bool handle_io(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t i;

	vcpu->exits.io++;
	/* String I/O (rep ins/outs) arrives as `count` items in one exit. */
	for (i = 0; i < run->io.count; i++) {
		iobus__access(&vcpu->vm->pio_bus, run->io.port, data,
			      run->io.size,
			      run->io.direction == KVM_EXIT_IO_OUT);
		data += run->io.size;
	}
	return true;
}

static bool handle_mmio(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint32_t len = run->mmio.len;

	vcpu->exits.mmio++;
	if (len > sizeof(run->mmio.data))
		len = sizeof(run->mmio.data);
	iobus__access(&vcpu->vm->mmio_bus, run->mmio.phys_addr, run->mmio.data,
		      len, run->mmio.is_write);
	return true;
}

static bool handle_system_event(struct vcpu *vcpu)
{
	switch (vcpu->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vm__request_stop(vcpu->vm, VM_STOP_POWEROFF, EXIT_GUEST_OFF);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		vm__request_stop(vcpu->vm, VM_STOP_REBOOT, EXIT_GUEST_OFF);
		break;
	case KVM_SYSTEM_EVENT_CRASH:
		vm__request_stop(vcpu->vm, VM_STOP_PANIC, EXIT_GUEST_PANIC);
		break;
	default:
		pr_warn("vCPU %d: unknown system event %u", vcpu->id,
			vcpu->run->system_event.type);
		return true;
	}
	return false;
}

bool vcpu__handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return handle_io(vcpu);
	case KVM_EXIT_MMIO:
		return handle_mmio(vcpu);
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_HLT:
		/* Only without an in-kernel LAPIC; treat as a spurious wake. */
		vcpu->exits.other++;
		return true;
	case KVM_EXIT_SHUTDOWN:
		/*
		 * A triple fault: how Linux's last-resort reboot (reboot=t)
		 * arrives, and what an early crash looks like. Its normal
		 * reboot uses the FADT's reset register instead, so this is
		 * most often a crash and the registers say where. Only on
		 * Intel: AMD's KVM has reset the vCPU before it reports it.
		 */
		vcpu->exits.other++;
		pr_info("vCPU %d: guest reset (triple fault)", vcpu->id);
		vcpu__dump(vcpu);
		vm__request_stop(vcpu->vm, VM_STOP_REBOOT, EXIT_GUEST_OFF);
		return false;
	case KVM_EXIT_SYSTEM_EVENT:
		vcpu->exits.other++;
		return handle_system_event(vcpu);
	case KVM_EXIT_FAIL_ENTRY:
		pr_err("vCPU %d: KVM_RUN failed to enter the guest (hardware reason 0x%llx)",
		       vcpu->id,
		       (unsigned long long)
			       run->fail_entry.hardware_entry_failure_reason);
		vcpu__dump(vcpu);
		vm__request_stop(vcpu->vm, VM_STOP_ERROR, EXIT_VMM_ERROR);
		return false;
	case KVM_EXIT_INTERNAL_ERROR:
		pr_err("vCPU %d: KVM internal error, suberror %u", vcpu->id,
		       run->internal.suberror);
		vcpu__dump(vcpu);
		vm__request_stop(vcpu->vm, VM_STOP_ERROR, EXIT_VMM_ERROR);
		return false;
	default:
		pr_err("vCPU %d: unhandled KVM exit reason %u", vcpu->id,
		       run->exit_reason);
		vcpu__dump(vcpu);
		vm__request_stop(vcpu->vm, VM_STOP_ERROR, EXIT_VMM_ERROR);
		return false;
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vm *vm = vcpu->vm;
	char name[16];
	sigset_t set;

	snprintf(name, sizeof(name), "vcpu%d", vcpu->id);
	pthread_setname_np(pthread_self(), name);
	sigemptyset(&set);
	sigaddset(&set, SIG_VCPU_KICK);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	while (!atomic_load(&vm->stopping)) {
		if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			pr_err("vCPU %d: KVM_RUN: %s", vcpu->id,
			       strerror(errno));
			vcpu__dump(vcpu);
			vm__request_stop(vm, VM_STOP_ERROR, EXIT_VMM_ERROR);
			break;
		}
		if (!vcpu__handle_exit(vcpu))
			break;
	}
	return NULL;
}

int vcpu__start(struct vcpu *vcpu)
{
	sigset_t set, old;
	int ret;

	pthread_once(&kick_once, install_kick_handler);
	/*
	 * The thread starts with every signal blocked but the kick: SIGINT
	 * and SIGTERM belong to the main thread's signalfd.
	 */
	sigfillset(&set);
	pthread_sigmask(SIG_SETMASK, &set, &old);
	ret = pthread_create(&vcpu->thread, NULL, vcpu_thread, vcpu);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		pr_err("cannot start vCPU %d's thread: %s", vcpu->id,
		       strerror(ret));
		return -ret;
	}
	vcpu->thread_started = true;
	return 0;
}

void vcpu__stop(struct vcpu *vcpu)
{
	if (!vcpu->thread_started)
		return;
	/* immediate_exit covers a kick that lands before KVM_RUN is entered. */
	__atomic_store_n(&vcpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	pthread_kill(vcpu->thread, SIG_VCPU_KICK);
}

void vcpu__join(struct vcpu *vcpu)
{
	if (!vcpu->thread_started)
		return;
	pthread_join(vcpu->thread, NULL);
	vcpu->thread_started = false;
}
