// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-pci transport as a driver finds it on the bus: IDs, the vendor
 * capabilities Linux's virtio_pci_modern looks for, the BAR areas, the
 * notify fallback, the PCI configuration access window, ISR, reset, and which
 * eventfd raises each queue's interrupt. No KVM: the VM is a bare struct with
 * the PCI bus and the event loop, as in the PCI core's tests.
 */
#include <errno.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/eventfd.h>

#include "triovm/pci-msi.h"
#include "triovm/pci.h"
#include "triovm/util.h"
#include "triovm/virtio-pci.h"
#include "triovm/vm.h"

#define NQ 3
#define NVEC 4
#define CFG_SIZE 12
#define BAR 2

static struct vm vm;
static struct virtio_pci vp;
static unsigned int events;

static void cfg_access(struct virtio_pci *p, uint64_t off, uint8_t *data,
		       uint32_t len, bool is_write)
{
	uint32_t i;

	if (!is_write)
		for (i = 0; i < len; i++)
			data[i] = 0xa0 + off + i;
}

static void changed(struct virtio_pci *p, unsigned int ev, uint16_t q)
{
	events |= ev;
}

static const struct virtio_pci_ops ops = {
	.config_access = cfg_access,
	.changed = changed,
};

static int setup(void **state)
{
	struct virtio_pci_params p = {
		.name = "vtest",
		.virtio_id = 1,
		.class_code = PCI_CLASS_CODE_ETHERNET,
		.nr_queues = NQ,
		.queue_max_size = 256,
		.nr_vectors = NVEC,
		.device_features = BIT_ULL(VIRTIO_F_VERSION_1),
		.cfg_size = CFG_SIZE,
		.ops = &ops,
	};

	memset(&vm, 0, sizeof(vm));
	vm.vm_fd = vm.sys_fd = -1;
	INIT_LIST_HEAD(&vm.dsdt_nodes);
	iobus__init(&vm.pio_bus, "pio");
	iobus__init(&vm.mmio_bus, "mmio");
	assert_int_equal(event_loop__init(&vm.loop), 0);
	assert_int_equal(pci__init_bus(&vm), 0);
	assert_int_equal(virtio_pci__init(&vp, &vm, &p), 0);
	assert_int_equal(virtio_pci__register(&vp), 0);
	events = 0;
	return 0;
}

static int teardown(void **state)
{
	virtio_pci__exit(&vp);
	pci__exit_bus(&vm);
	event_loop__exit(&vm.loop);
	iobus__exit(&vm.pio_bus);
	iobus__exit(&vm.mmio_bus);
	return 0;
}

static uint32_t cfg_rd(uint32_t off, int len)
{
	return pci__config_read(&vm, 0, vp.pci.slot << 3, off, len);
}

static void cfg_wr(uint32_t off, uint32_t v, int len)
{
	pci__config_write(&vm, 0, vp.pci.slot << 3, off, v, len);
}

static uint64_t bar_rd(uint64_t off, uint32_t len)
{
	uint64_t v = 0;

	assert_true(iobus__access(&vm.mmio_bus, vp.pci.bars[BAR].addr + off,
				  (uint8_t *)&v, len, false));
	return v;
}

static void bar_wr(uint64_t off, uint64_t v, uint32_t len)
{
	assert_true(iobus__access(&vm.mmio_bus, vp.pci.bars[BAR].addr + off,
				  (uint8_t *)&v, len, true));
}

/* The vendor capability of `type`: its offset in config space. */
static uint16_t find_vcap(uint8_t type)
{
	uint16_t at = cfg_rd(PCI_CAPABILITY_LIST, 1), found = 0;
	int n = 0;

	while (at && n++ < 48) {
		if (cfg_rd(at, 1) == PCI_CAP_ID_VNDR &&
		    cfg_rd(at + VIRTIO_PCI_CAP_CFG_TYPE, 1) == type) {
			assert_int_equal(found, 0); /* exactly one */
			found = at;
		}
		at = cfg_rd(at + 1, 1);
	}
	return found;
}

static void test_ids(void **state)
{
	assert_int_equal(cfg_rd(PCI_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(cfg_rd(PCI_DEVICE_ID, 2), 0x1041);
	assert_int_equal(cfg_rd(PCI_REVISION_ID, 1), 1);
	assert_int_equal(cfg_rd(PCI_CLASS_DEVICE, 2), 0x0200);
	assert_int_equal(cfg_rd(PCI_SUBSYSTEM_VENDOR_ID, 2), 0x1af4);
	/* Non-transitional: a subsystem ID of 0x40 or more (4.1.2.1). */
	assert_true(cfg_rd(PCI_SUBSYSTEM_ID, 2) >= 0x40);
	assert_int_equal(cfg_rd(PCI_INTERRUPT_PIN, 1), 1);
	assert_true(cfg_rd(PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
}

static void test_capabilities(void **state)
{
	uint16_t common = find_vcap(VIRTIO_PCI_CAP_COMMON_CFG);
	uint16_t notify = find_vcap(VIRTIO_PCI_CAP_NOTIFY_CFG);
	uint16_t isr = find_vcap(VIRTIO_PCI_CAP_ISR_CFG);
	uint16_t dev = find_vcap(VIRTIO_PCI_CAP_DEVICE_CFG);
	uint16_t win = find_vcap(VIRTIO_PCI_CAP_PCI_CFG);
	uint16_t msix = pci_config__find_cap(&vp.pci.cfg, PCI_CAP_ID_MSIX);
	uint32_t mult;

	assert_true(common && notify && isr && dev && win && msix);
	assert_int_equal(cfg_rd(common + VIRTIO_PCI_CAP_BAR, 1), BAR);
	assert_int_equal(cfg_rd(common + VIRTIO_PCI_CAP_LEN, 1), 16);
	assert_true(cfg_rd(common + VIRTIO_PCI_CAP_LENGTH, 4) >= 0x38);
	assert_int_equal(cfg_rd(notify + VIRTIO_PCI_CAP_LEN, 1), 20);
	mult = cfg_rd(notify + 16, 4);
	assert_int_equal(mult, 4);
	assert_true(cfg_rd(notify + VIRTIO_PCI_CAP_LENGTH, 4) >= NQ * mult);
	assert_true(cfg_rd(isr + VIRTIO_PCI_CAP_LENGTH, 4) >= 1);
	assert_int_equal(cfg_rd(dev + VIRTIO_PCI_CAP_LENGTH, 4), CFG_SIZE);
	assert_int_equal(cfg_rd(win + VIRTIO_PCI_CAP_LEN, 1), 20);
	/* MSI-X: table size field is N - 1. */
	assert_int_equal(cfg_rd(msix + PCI_MSIX_FLAGS, 2) &
				 PCI_MSIX_FLAGS_QSIZE,
			 NVEC - 1);
	/* Every area lies inside its BAR. */
	assert_true(cfg_rd(notify + VIRTIO_PCI_CAP_OFFSET, 4) +
			    cfg_rd(notify + VIRTIO_PCI_CAP_LENGTH, 4) <=
		    vp.pci.bars[BAR].size);
	assert_true(vp.pci.bars[BAR].mapped);
}

static void test_common_through_bar(void **state)
{
	uint16_t common = find_vcap(VIRTIO_PCI_CAP_COMMON_CFG);
	uint32_t off = cfg_rd(common + VIRTIO_PCI_CAP_OFFSET, 4);

	assert_int_equal(bar_rd(off + VIRTIO_PCI_COMMON_NUMQ, 2), NQ);
	bar_wr(off + VIRTIO_PCI_COMMON_DFSELECT, 1, 4);
	assert_int_equal(bar_rd(off + VIRTIO_PCI_COMMON_DF, 4), 1); /* bit 32 */
}

static void test_device_config(void **state)
{
	uint16_t dev = find_vcap(VIRTIO_PCI_CAP_DEVICE_CFG);
	uint32_t off = cfg_rd(dev + VIRTIO_PCI_CAP_OFFSET, 4);

	assert_int_equal(bar_rd(off + 4, 4), 0xa7a6a5a4);
	/* Past the device's config, and across its end: zeros. */
	assert_int_equal(bar_rd(off + CFG_SIZE, 4), 0);
	assert_int_equal(bar_rd(off + CFG_SIZE - 2, 4), 0);
}

static void test_notify_fallback(void **state)
{
	uint16_t notify = find_vcap(VIRTIO_PCI_CAP_NOTIFY_CFG);
	uint32_t off = cfg_rd(notify + VIRTIO_PCI_CAP_OFFSET, 4);
	uint64_t v;

	/* No KVM here: the write exits, and still reaches queue 1's eventfd. */
	bar_wr(off + 1 * 4, 1, 2);
	assert_int_equal(eventfd_read(vp.notify_fd[1], &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(eventfd_read(vp.notify_fd[0], &v), -1);
	assert_int_equal(vp.stats.notify_exits, 1);
	/* A slot past the last queue signals nothing. */
	bar_wr(off + NQ * 4, NQ, 2);
	assert_int_equal(vp.stats.notify_exits, 2);
}

static void test_isr(void **state)
{
	uint16_t isr = find_vcap(VIRTIO_PCI_CAP_ISR_CFG);
	uint32_t off = cfg_rd(isr + VIRTIO_PCI_CAP_OFFSET, 4);

	vp.isr = VIRTIO_PCI_ISR_CONFIG_INT;
	assert_int_equal(bar_rd(off, 1), VIRTIO_PCI_ISR_CONFIG_INT);
	assert_int_equal(bar_rd(off, 1), 0);
}

static void test_cfg_window(void **state)
{
	uint16_t win = find_vcap(VIRTIO_PCI_CAP_PCI_CFG);
	uint16_t isr = find_vcap(VIRTIO_PCI_CAP_ISR_CFG);

	/* Read num_queues through config space. */
	cfg_wr(win + VIRTIO_PCI_CAP_BAR, BAR, 1);
	cfg_wr(win + VIRTIO_PCI_CAP_OFFSET, VIRTIO_PCI_COMMON_NUMQ, 4);
	cfg_wr(win + VIRTIO_PCI_CAP_LENGTH, 2, 4);
	assert_int_equal(cfg_rd(win + 16, 2), NQ);
	/* Write queue_select through it. */
	cfg_wr(win + VIRTIO_PCI_CAP_OFFSET, VIRTIO_PCI_COMMON_Q_SELECT, 4);
	cfg_wr(win + 16, 2, 2);
	assert_int_equal(bar_rd(VIRTIO_PCI_COMMON_Q_SELECT, 2), 2);
	/* A misaligned or odd-sized window does nothing. */
	cfg_wr(win + VIRTIO_PCI_CAP_OFFSET, VIRTIO_PCI_COMMON_Q_SELECT + 1, 4);
	cfg_wr(win + 16, 0, 2);
	cfg_wr(win + VIRTIO_PCI_CAP_OFFSET, VIRTIO_PCI_COMMON_Q_SELECT, 4);
	cfg_wr(win + VIRTIO_PCI_CAP_LENGTH, 3, 4);
	cfg_wr(win + 16, 0, 4);
	assert_int_equal(bar_rd(VIRTIO_PCI_COMMON_Q_SELECT, 2), 2);
	/* The ISR is peeked through the window, not cleared. */
	vp.isr = VIRTIO_PCI_ISR_QUEUE_INT;
	cfg_wr(win + VIRTIO_PCI_CAP_OFFSET,
	       cfg_rd(isr + VIRTIO_PCI_CAP_OFFSET, 4), 4);
	cfg_wr(win + VIRTIO_PCI_CAP_LENGTH, 1, 4);
	assert_int_equal(cfg_rd(win + 16, 1), VIRTIO_PCI_ISR_QUEUE_INT);
	assert_int_equal(vp.isr, VIRTIO_PCI_ISR_QUEUE_INT);
	/* A BAR that does not exist. */
	cfg_wr(win + VIRTIO_PCI_CAP_BAR, 9, 1);
	assert_int_equal(cfg_rd(win + 16, 4), 0);
}

static void test_reset_waits_for_device(void **state)
{
	bar_wr(VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE, 1);
	assert_true(events & VIRTIO_PCI_EV_STATUS);
	bar_wr(VIRTIO_PCI_COMMON_STATUS, 0, 1);
	assert_true(events & VIRTIO_PCI_EV_RESET);
	/* Not done until the device says so. */
	assert_int_equal(bar_rd(VIRTIO_PCI_COMMON_STATUS, 1),
			 VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_pci__reset_done(&vp);
	assert_int_equal(bar_rd(VIRTIO_PCI_COMMON_STATUS, 1), 0);
	assert_int_equal(virtio_pci__status(&vp), 0);
}

static void test_queue_irqfds(void **state)
{
	/* No vector: the INTx eventfd. */
	assert_int_equal(virtio_pci__queue_irqfd(&vp, 0), vp.intx_fd);
	bar_wr(VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
	bar_wr(VIRTIO_PCI_COMMON_Q_MSIX, 3, 2);
	assert_true(events & VIRTIO_PCI_EV_QUEUE_VECTOR);
	assert_int_equal(virtio_pci__queue_irqfd(&vp, 0), vp.vector_fd[3]);
	assert_true(vp.vector_wired[3]);
	assert_int_equal(vp.pci.msix->v[3].irqfd, vp.vector_fd[3]);
	/* Two queues on one vector share its eventfd. */
	bar_wr(VIRTIO_PCI_COMMON_Q_SELECT, 1, 2);
	bar_wr(VIRTIO_PCI_COMMON_Q_MSIX, 3, 2);
	assert_int_equal(virtio_pci__queue_irqfd(&vp, 1), vp.vector_fd[3]);
	/* Moving queue 0 away keeps vector 3 wired for queue 1. */
	bar_wr(VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
	bar_wr(VIRTIO_PCI_COMMON_Q_MSIX, 1, 2);
	assert_true(vp.vector_wired[1] && vp.vector_wired[3]);
	/* A queue triovm serves itself is injected, never wired. */
	virtio_pci__set_internal(&vp, 2);
	bar_wr(VIRTIO_PCI_COMMON_Q_SELECT, 2, 2);
	bar_wr(VIRTIO_PCI_COMMON_Q_MSIX, 2, 2);
	assert_false(vp.vector_wired[2]);
	/* A reset unwires everything (from status 0 it is immediate). */
	bar_wr(VIRTIO_PCI_COMMON_STATUS, 0, 1);
	assert_true(events & VIRTIO_PCI_EV_RESET_DONE);
	assert_false(vp.vector_wired[1] || vp.vector_wired[3]);
	assert_int_equal(vp.pci.msix->v[3].irqfd, -1);
	assert_int_equal(virtio_pci__queue_irqfd(&vp, 1), vp.intx_fd);
}

static void test_queue_max(void **state)
{
	virtio_pci__set_queue_max(&vp, 2, 64);
	bar_wr(VIRTIO_PCI_COMMON_Q_SELECT, 2, 2);
	assert_int_equal(bar_rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), 64);
	bar_wr(VIRTIO_PCI_COMMON_Q_SIZE, 128, 2);
	assert_int_equal(bar_rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), 64);
	assert_int_equal(virtio_pci__queue(&vp, 2).max_size, 64);
	assert_int_equal(virtio_pci__queue(&vp, NQ).max_size, 0);
}

static void test_bad_params(void **state)
{
	struct virtio_pci_params p = { .name = "bad", .nr_queues = 0 };
	struct virtio_pci other;

	assert_int_equal(virtio_pci__init(&other, &vm, &p), -EINVAL);
	virtio_pci__exit(&other);
	p.nr_queues = VIRTIO_PCI_MAX_QUEUES + 1;
	p.nr_vectors = 1;
	p.ops = &ops;
	assert_int_equal(virtio_pci__init(&other, &vm, &p), -EINVAL);
	virtio_pci__exit(&other);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ids),
		T(test_capabilities),
		T(test_common_through_bar),
		T(test_device_config),
		T(test_notify_fallback),
		T(test_isr),
		T(test_cfg_window),
		T(test_reset_waits_for_device),
		T(test_queue_irqfds),
		T(test_queue_max),
		T(test_bad_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
