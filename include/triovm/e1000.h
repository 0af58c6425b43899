/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 82540EM register model and descriptor rings, independent of how it is
 * wired: the owner (fullvirt-devs/e1000-pci.c) supplies guest memory, a
 * transmit sink, an interrupt line and a clock, and feeds received frames.
 * Everything here runs under `lock`.
 */
#ifndef TRIOVM_E1000_H
#define TRIOVM_E1000_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "e1000-regs.h"

struct guest_mem;

/* A TSO/checksum context from a context descriptor. */
struct e1000_tx_ctx {
	uint8_t ipcss, ipcso, tucss, tucso;
	uint16_t ipcse, tucse;
	uint16_t mss;
	uint8_t hdr_len;
	bool ip, tcp, tse;
	uint32_t paylen;
};

#define E1000_MAX_FRAME 16384
#define E1000_MAX_TX_PACKET 65536

struct e1000_ops {
	/* A frame leaves the NIC (no FCS). */
	void (*tx)(void *opaque, const uint8_t *frame, size_t len);
	/* The INTx line: ICR & IMS, paced by ITR. */
	void (*set_irq)(void *opaque, bool level);
	/* Call e1000__itr_expired() after `delay_ns` (ITR pacing). */
	void (*arm_timer)(void *opaque, uint64_t delay_ns);
	/* The guest gave receive buffers: a held frame may now fit. */
	void (*rx_space)(void *opaque);
	uint64_t (*clock_ns)(void *opaque);
};

struct e1000_counters {
	uint64_t rx_packets, rx_bytes, rx_dropped, rx_filtered;
	uint64_t tx_packets, tx_bytes, tx_dropped;
	uint64_t irqs, irqs_deferred;
	uint64_t ring_errors;
};

struct e1000 {
	pthread_mutex_t lock;
	const struct guest_mem *mem;
	const struct e1000_ops *ops;
	void *opaque;

	uint32_t regs[E1000_MMIO_SIZE / 4];
	uint16_t eeprom[E1000_EEPROM_WORDS];
	uint16_t phy[32];
	uint8_t mac[6];
	uint32_t ioaddr; /* BAR1 IOADDR */

	/* Bit-banged Microwire EEPROM (the driver's path on the 82540). */
	struct {
		uint32_t old;
		uint32_t val_in;
		uint16_t bitnum_in, bitnum_out;
		bool reading;
	} eecd;

	/* Interrupt pacing. */
	bool irq_level;
	bool irq_deferred;
	bool tx_ide; /* a descriptor since the last interrupt asked to delay it */
	uint64_t last_irq_ns;

	/* The packet being gathered from transmit descriptors. */
	struct e1000_tx_ctx ctx;
	uint8_t *tx_buf; /* E1000_MAX_TX_PACKET + header room */
	size_t tx_len;
	uint8_t tx_popts;
	bool tx_tse, tx_vle;
	uint16_t tx_vlan;
	bool tx_bad; /* a descriptor of this packet was bad: drop it */
	bool broken; /* a ring was misprogrammed: stopped until reset */

	struct e1000_counters stats;
};

int e1000__init(struct e1000 *e, const struct guest_mem *mem,
		const uint8_t mac[6], const struct e1000_ops *ops,
		void *opaque);
void e1000__exit(struct e1000 *e);
/* Power-on and software (CTRL.RST) reset. */
void e1000__reset(struct e1000 *e);

/* BAR0 (MMIO) and BAR1 (IOADDR/IODATA) accesses; `off` is the BAR offset. */
uint32_t e1000__mmio_read(struct e1000 *e, uint32_t off);
void e1000__mmio_write(struct e1000 *e, uint32_t off, uint32_t val);
uint32_t e1000__io_read(struct e1000 *e, uint32_t off);
void e1000__io_write(struct e1000 *e, uint32_t off, uint32_t val);

/*
 * Hand a received frame to the guest. Returns 0 when delivered or dropped by
 * the filters, -ENOSPC when the guest has not given enough receive buffers
 * (the caller keeps the frame and retries after rx_space), or -EINVAL.
 */
int e1000__receive(struct e1000 *e, const uint8_t *frame, size_t len);
/* Whether receiving is enabled at all (a stopped NIC drops frames). */
bool e1000__rx_enabled(struct e1000 *e);

void e1000__itr_expired(struct e1000 *e);

/* Internals shared between e1000.c and e1000-rings.c. */
void e1000__set_ics(struct e1000 *e, uint32_t causes);
void e1000__tx_kick(struct e1000 *e);
uint64_t e1000__rx_ring_base(const struct e1000 *e);
uint64_t e1000__tx_ring_base(const struct e1000 *e);

#endif
