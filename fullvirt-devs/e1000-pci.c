// SPDX-License-Identifier: GPL-2.0
/*
 * The e1000 as a PCI device on triovm's bus: `--net e1000,tap=NAME[,mac=]`.
 * Wires the register model (e1000.c) to BAR0/BAR1, INTx, the TAP backend,
 * an ITR timer and --stats.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "triovm/e1000.h"
#include "triovm/json.h"
#include "triovm/log.h"
#include "triovm/net-tap.h"
#include "triovm/net.h"
#include "triovm/options.h"
#include "triovm/pci.h"
#include "triovm/stats.h"
#include "triovm/vm.h"

struct e1000_cfg {
	char tap[IFNAMSIZ];
	uint8_t mac[ETH_ALEN];
};

struct e1000_dev {
	struct vm_extra_device extra;
	struct vm *vm;
	struct pci_device pci;
	struct e1000 nic;
	struct net_tap tap;
	struct stats_source stats;
	char name[32];
};

static void e1000_tx(void *opaque, const uint8_t *frame, size_t len)
{
	struct e1000_dev *d = opaque;

	net_tap__send(&d->tap, frame, len);
}

static void e1000_set_irq(void *opaque, bool level)
{
	struct e1000_dev *d = opaque;

	pci_device__set_intx(&d->pci, level);
}

static void e1000_timer(void *opaque)
{
	struct e1000_dev *d = opaque;

	e1000__itr_expired(&d->nic);
}

static void e1000_arm_timer(void *opaque, uint64_t delay_ns)
{
	struct e1000_dev *d = opaque;

	event_loop__add_timer_ns(&d->vm->loop, delay_ns, e1000_timer, d);
}

static void e1000_rx_space(void *opaque)
{
	struct e1000_dev *d = opaque;

	net_tap__resume(&d->tap);
}

static uint64_t e1000_clock(void *opaque)
{
	struct timespec ts;

	(void)opaque;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static const struct e1000_ops e1000_pci_ops = {
	.tx = e1000_tx,
	.set_irq = e1000_set_irq,
	.arm_timer = e1000_arm_timer,
	.rx_space = e1000_rx_space,
	.clock_ns = e1000_clock,
};

static int e1000_tap_rx(void *opaque, const uint8_t *frame, size_t len)
{
	struct e1000_dev *d = opaque;

	return e1000__receive(&d->nic, frame, len) == -ENOSPC ? -ENOSPC : 0;
}

/* Registers are 32-bit; narrower accesses read or merge into a dword. */
static void e1000_mmio(void *opaque, uint64_t addr, uint8_t *data, uint32_t len,
		       bool is_write)
{
	struct e1000_dev *d = opaque;
	uint32_t off = addr & ~3ULL, shift = (addr & 3) * 8, v;

	if (len == 8) {
		e1000_mmio(opaque, addr, data, 4, is_write);
		e1000_mmio(opaque, addr + 4, data + 4, 4, is_write);
		return;
	}
	if (len > 4 || (addr & 3) + len > 4) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (!is_write) {
		v = e1000__mmio_read(&d->nic, off) >> shift;
		memcpy(data, &v, len);
		return;
	}
	v = 0;
	memcpy(&v, data, len);
	if (len < 4) {
		uint32_t mask = ((1ULL << (8 * len)) - 1) << shift;

		/* Read-modify-write would clear ICR: merge with a raw copy. */
		v = (d->nic.regs[off / 4] & ~mask) | (v << shift);
	}
	e1000__mmio_write(&d->nic, off, v);
}

static void e1000_io(void *opaque, uint64_t addr, uint8_t *data, uint32_t len,
		     bool is_write)
{
	struct e1000_dev *d = opaque;
	uint32_t v = 0;

	if (len != 4 || addr & 3) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (is_write) {
		memcpy(&v, data, 4);
		e1000__io_write(&d->nic, addr, v);
	} else {
		v = e1000__io_read(&d->nic, addr);
		memcpy(data, &v, 4);
	}
}

static void e1000_stats(struct json *j, void *opaque)
{
	struct e1000_dev *d = opaque;
	struct e1000_counters c;

	pthread_mutex_lock(&d->nic.lock);
	c = d->nic.stats;
	pthread_mutex_unlock(&d->nic.lock);
	json_string(j, "model", "e1000 (82540EM)");
	json_string(j, "tap", d->tap.ifname);
	json_u64(j, "pci_slot", d->pci.slot);
	json_u64(j, "rx_packets", c.rx_packets);
	json_u64(j, "rx_bytes", c.rx_bytes);
	json_u64(j, "rx_dropped", c.rx_dropped);
	json_u64(j, "rx_filtered", c.rx_filtered);
	json_u64(j, "tx_packets", c.tx_packets);
	json_u64(j, "tx_bytes", c.tx_bytes);
	json_u64(j, "tx_dropped", c.tx_dropped + d->tap.tx_dropped);
	json_u64(j, "interrupts", c.irqs);
	json_u64(j, "interrupts_deferred_by_itr", c.irqs_deferred);
	json_u64(j, "ring_errors", c.ring_errors);
	json_u64(j, "config_exits", d->pci.config_exits);
}

static void e1000_destroy(struct vm_extra_device *extra)
{
	struct e1000_dev *d = container_of(extra, struct e1000_dev, extra);

	net_tap__close(&d->tap);
	e1000__exit(&d->nic);
	free(d);
}

static int e1000_parse(char *spec, int index, void **out)
{
	struct e1000_cfg *c = calloc(1, sizeof(*c));
	char *cur = spec, *key, *value;

	if (!c)
		return -ENOMEM;
	net__default_mac(index, c->mac);
	while (kv_next(&cur, &key, &value)) {
		if (!strcmp(key, "tap") && value && *value &&
		    strlen(value) < IFNAMSIZ) {
			strcpy(c->tap, value);
		} else if (!strcmp(key, "mac") && value) {
			if (net__parse_mac(value, c->mac)) {
				pr_err("--net e1000: mac=%s is not a unicast MAC address",
				       value);
				goto err;
			}
		} else {
			pr_err("--net e1000: unknown or malformed '%s%s%s' (tap=NAME[,mac=MAC])",
			       key, value ? "=" : "", value ? value : "");
			goto err;
		}
	}
	if (!c->tap[0]) {
		pr_err("--net e1000: tap=NAME is required (a TAP device to connect to)");
		goto err;
	}
	*out = c;
	return 0;
err:
	free(c);
	return -EINVAL;
}

static int e1000_create(struct vm *vm, void *cfg, int index)
{
	struct e1000_cfg *c = cfg;
	struct e1000_dev *d = calloc(1, sizeof(*d));
	int ret;

	if (!d) {
		free(c);
		return -ENOMEM;
	}
	d->vm = vm;
	snprintf(d->name, sizeof(d->name), "e1000.%d", index);
	ret = e1000__init(&d->nic, &vm->mem, c->mac, &e1000_pci_ops, d);
	if (ret)
		goto err_free;
	ret = net_tap__open(&d->tap, c->tap, &vm->loop, e1000_tap_rx, d);
	if (ret)
		goto err_nic;
	pci_device__init(&d->pci, vm, d->name, 0x8086, E1000_DEV_ID_82540EM,
			 PCI_CLASS_CODE_ETHERNET, 3, false);
	pci_device__set_subsystem(&d->pci, 0x8086, 0x001e);
	pci_device__set_intx_pin(&d->pci, 1);
	ret = pci_device__add_bar(&d->pci, 0, PCI_BAR_MEM32, E1000_MMIO_SIZE,
				  false);
	if (!ret)
		ret = pci_device__add_bar_region(&d->pci, 0, 0, E1000_MMIO_SIZE,
						 e1000_mmio, d, d->name);
	if (!ret)
		ret = pci_device__add_bar(&d->pci, 1, PCI_BAR_IO, E1000_IO_SIZE,
					  false);
	if (!ret)
		ret = pci_device__add_bar_region(&d->pci, 1, 0, E1000_IO_SIZE,
						 e1000_io, d, d->name);
	if (!ret)
		ret = pci__register(vm, &d->pci);
	if (ret)
		goto err_tap;
	d->extra.name = d->name;
	d->extra.destroy = e1000_destroy;
	vm__add_extra_device(vm, &d->extra);
	d->stats.name = d->name;
	d->stats.write = e1000_stats;
	d->stats.opaque = d;
	stats__add_source(vm, &d->stats);
	free(c);
	return 0;
err_tap:
	net_tap__close(&d->tap);
err_nic:
	e1000__exit(&d->nic);
err_free:
	free(d);
	free(c);
	return ret;
}

const struct net_model e1000_net_model = {
	.name = "e1000",
	.parse = e1000_parse,
	.create = e1000_create,
	.free_cfg = free,
};
