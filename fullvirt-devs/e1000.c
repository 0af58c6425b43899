// SPDX-License-Identifier: GPL-2.0
/*
 * The 82540EM register model: reset values, the Microwire EEPROM behind
 * EECD (and EERD), the PHY behind MDIC, interrupt causes and masks with ITR
 * pacing, receive filters' registers and clear-on-read statistics. Modelled
 * after the 8254x developer's manual and QEMU's hw/net/e1000.c. Descriptor
 * rings are in e1000-rings.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/e1000.h"
#include "triovm/log.h"

/* QEMU's e1000_eeprom_template: what Linux's e1000 expects of an 82540EM. */
static const uint16_t eeprom_template[E1000_EEPROM_WORDS] = {
	0x0000, 0x0000,
	0x0000, 0x0000,
	0xffff, 0x0000,
	0x0000, 0x0000,
	0x3000, 0x1000,
	0x6403, E1000_DEV_ID_82540EM,
	0x8086, E1000_DEV_ID_82540EM,
	0x8086, 0x3040,
	0x0008, 0x2000,
	0x7e14, 0x0048,
	0x1000, 0x00d8,
	0x0000, 0x2700,
	0x6cc9, 0x3150,
	0x0722, 0x040b,
	0x0984, 0x0000,
	0xc000, 0x0706,
	0x1008, 0x0000,
	0x0f04, 0x7fff,
	0x4d01, 0xffff,
	0xffff, 0xffff,
	0xffff, 0xffff,
	0xffff, 0xffff,
	0xffff, 0xffff,
	0xffff, 0xffff,
	0x0100, 0x4000,
	0x121c, 0xffff,
	0xffff, 0xffff,
	0xffff, 0xffff,
	0xffff, 0xffff,
	0xffff, 0xffff,
	0xffff, 0xffff,
	0xffff, 0x0000,
};

/* An M88E1011 PHY with the link up at 1000 Mb/s full duplex. */
static const uint16_t phy_init[32] = {
	[PHY_CTRL] = 0x1140,
	[PHY_STATUS] = 0x796d,
	[PHY_ID1] = 0x0141,
	[PHY_ID2] = 0x0c20,
	[PHY_AUTONEG_ADV] = 0x0de1,
	[PHY_LP_ABILITY] = 0x45e1,
	[PHY_AUTONEG_EXP] = 0x0007,
	[PHY_1000T_CTRL] = 0x0e00,
	[PHY_1000T_STATUS] = 0x3c00,
	[M88E1000_PHY_SPEC_CTRL] = 0x0360,
	[M88E1000_PHY_SPEC_STATUS] = 0xac00,
	[M88E1000_EXT_PHY_SPEC_CTRL] = 0x0d60,
};

#define R(off) (e->regs[(off) / 4])

/* The smaller non-zero of *cur and v, in 256 ns units. */
static void shorter_delay(uint32_t *cur, uint32_t v)
{
	if (v && (!*cur || v < *cur))
		*cur = v;
}

/*
 * How long after an interrupt the next may come, in 256 ns units: ITR, or
 * the absolute transmit/receive delays (TADV, RADV, in 1.024 us units) for
 * the causes they govern, whichever is shorter, and never below the 7813
 * interrupts/s the 8254x guarantees as its maximum (QEMU's e1000 paces the
 * same way: what the guest driver was tuned against).
 */
static uint64_t irq_interval_ns(struct e1000 *e, uint32_t pending)
{
	uint32_t delay = 0;

	if (e->tx_ide && (pending & (E1000_ICR_TXDW | E1000_ICR_TXQE)))
		shorter_delay(&delay, R(E1000_TADV) * 4);
	if (R(E1000_RDTR) && (pending & E1000_ICR_RXT0))
		shorter_delay(&delay, R(E1000_RADV) * 4);
	shorter_delay(&delay, R(E1000_ITR) & 0xffff);
	return (uint64_t)max(delay, 500U) * 256;
}

static void update_irq(struct e1000 *e)
{
	uint32_t pending = R(E1000_ICR) & R(E1000_IMS);
	uint64_t interval, now;

	if (!pending) {
		e->irq_deferred = false;
		if (e->irq_level) {
			e->irq_level = false;
			e->ops->set_irq(e->opaque, false);
		}
		return;
	}
	if (e->irq_level || e->irq_deferred)
		return;
	interval = irq_interval_ns(e, pending);
	now = e->ops->clock_ns(e->opaque);
	if (e->last_irq_ns && now - e->last_irq_ns < interval) {
		e->irq_deferred = true;
		e->stats.irqs_deferred++;
		e->ops->arm_timer(e->opaque, interval - (now - e->last_irq_ns));
		return;
	}
	e->irq_level = true;
	e->tx_ide = false;
	e->last_irq_ns = now;
	e->stats.irqs++;
	e->ops->set_irq(e->opaque, true);
}

void e1000__itr_expired(struct e1000 *e)
{
	pthread_mutex_lock(&e->lock);
	if (e->irq_deferred) {
		e->irq_deferred = false;
		e->last_irq_ns = 0;
		update_irq(e);
	}
	pthread_mutex_unlock(&e->lock);
}

void e1000__set_ics(struct e1000 *e, uint32_t causes)
{
	R(E1000_ICR) |= causes & E1000_ICR_ALL;
	update_irq(e);
}

static void set_ra(struct e1000 *e)
{
	const uint8_t *m = e->mac;

	R(E1000_RA) = m[0] | m[1] << 8 | m[2] << 16 | (uint32_t)m[3] << 24;
	R(E1000_RA + 4) = m[4] | m[5] << 8 | E1000_RAH_AV;
}

void e1000__reset(struct e1000 *e)
{
	memset(e->regs, 0, sizeof(e->regs));
	memcpy(e->phy, phy_init, sizeof(e->phy));
	R(E1000_CTRL) = E1000_CTRL_SWDPIN2 | E1000_CTRL_SWDPIN0 |
			E1000_CTRL_SPD_1000 | E1000_CTRL_SLU | E1000_CTRL_FD;
	R(E1000_STATUS) = E1000_STATUS_ASDV | E1000_STATUS_MTXCKOK |
			  E1000_STATUS_SPEED_1000 | E1000_STATUS_FD |
			  E1000_STATUS_LU;
	R(E1000_EECD) = E1000_EECD_PRES;
	R(E1000_PBA) = 0x00100030;
	R(E1000_LEDCTL) = 0x0602;
	R(E1000_VET) = 0x8100;
	R(E1000_MANC) = 0x00c20000; /* ARP and "management" off: plain NIC */
	set_ra(e);
	memset(&e->eecd, 0, sizeof(e->eecd));
	memset(&e->ctx, 0, sizeof(e->ctx));
	e->tx_len = 0;
	e->tx_bad = false;
	e->broken = false;
	e->irq_deferred = false;
	e->last_irq_ns = 0;
	if (e->irq_level) {
		e->irq_level = false;
		e->ops->set_irq(e->opaque, false);
	}
}

int e1000__init(struct e1000 *e, const struct guest_mem *mem,
		const uint8_t mac[6], const struct e1000_ops *ops, void *opaque)
{
	uint16_t sum = 0;
	int i;

	memset(e, 0, sizeof(*e));
	e->tx_buf = malloc(E1000_MAX_TX_PACKET + 256);
	if (!e->tx_buf)
		return -ENOMEM;
	pthread_mutex_init(&e->lock, NULL);
	e->mem = mem;
	e->ops = ops;
	e->opaque = opaque;
	memcpy(e->mac, mac, 6);
	memcpy(e->eeprom, eeprom_template, sizeof(e->eeprom));
	for (i = 0; i < 3; i++)
		e->eeprom[i] = mac[2 * i] | mac[2 * i + 1] << 8;
	for (i = 0; i < E1000_EEPROM_CHECKSUM_WORD; i++)
		sum += e->eeprom[i];
	e->eeprom[E1000_EEPROM_CHECKSUM_WORD] =
		(uint16_t)(E1000_EEPROM_SUM - sum);
	e1000__reset(e);
	return 0;
}

void e1000__exit(struct e1000 *e)
{
	free(e->tx_buf);
	e->tx_buf = NULL;
	pthread_mutex_destroy(&e->lock);
}

/*
 * Microwire, as Linux's e1000_shift_out_ee_bits/e1000_shift_in_ee_bits
 * drive it: CS high, then the read opcode (3 bits) and a 6-bit address on
 * DI clocked by rising SK edges, then 16 data bits on DO, one per falling
 * edge (QEMU's set_eecd/get_eecd).
 */
static void eecd_write(struct e1000 *e, uint32_t val)
{
	uint32_t old = e->eecd.old;

	e->eecd.old = val & (E1000_EECD_SK | E1000_EECD_CS | E1000_EECD_DI |
			     E1000_EECD_FWE_MASK | E1000_EECD_REQ);
	if (!(val & E1000_EECD_CS))
		return;
	if ((val ^ old) & E1000_EECD_CS) {
		e->eecd.val_in = 0;
		e->eecd.bitnum_in = 0;
		e->eecd.bitnum_out = 0;
		e->eecd.reading = false;
	}
	if (!((val ^ old) & E1000_EECD_SK))
		return;
	if (!(val & E1000_EECD_SK)) {
		e->eecd.bitnum_out++;
		return;
	}
	e->eecd.val_in = (e->eecd.val_in << 1) | !!(val & E1000_EECD_DI);
	if (++e->eecd.bitnum_in == 9 && !e->eecd.reading) {
		e->eecd.bitnum_out = ((e->eecd.val_in & 0x3f) << 4) - 1;
		e->eecd.reading = ((e->eecd.val_in >> 6) & 7) ==
				  EEPROM_READ_OPCODE_MICROWIRE;
	}
}

static uint32_t eecd_read(struct e1000 *e)
{
	uint32_t v = E1000_EECD_PRES | E1000_EECD_GNT | e->eecd.old;
	uint16_t word = e->eeprom[(e->eecd.bitnum_out >> 4) & 0x3f];

	if (!e->eecd.reading ||
	    ((word >> ((e->eecd.bitnum_out & 0xf) ^ 0xf)) & 1))
		v |= E1000_EECD_DO;
	return v;
}

static void eerd_write(struct e1000 *e, uint32_t val)
{
	uint32_t addr = (val >> E1000_EERD_ADDR_SHIFT) & 0xff;

	if (!(val & E1000_EERD_START)) {
		R(E1000_EERD) = val;
		return;
	}
	/* Out-of-range words read as zero, as on QEMU's model. */
	R(E1000_EERD) =
		(addr < E1000_EEPROM_WORDS ?
			 (uint32_t)e->eeprom[addr] << E1000_EERD_DATA_SHIFT :
			 0) |
		addr << E1000_EERD_ADDR_SHIFT | E1000_EERD_DONE;
}

static void mdic_write(struct e1000 *e, uint32_t val)
{
	uint32_t reg = (val >> E1000_MDIC_REG_SHIFT) & 0x1f;
	uint32_t phy = (val >> E1000_MDIC_PHY_SHIFT) & 0x1f;
	uint32_t data = val & E1000_MDIC_DATA_MASK;

	/* Only PHY address 1 answers; anything else is an error. */
	if (phy != 1) {
		val |= E1000_MDIC_ERROR;
	} else if (val & E1000_MDIC_OP_READ) {
		val = (val & ~E1000_MDIC_DATA_MASK) | e->phy[reg];
	} else if (val & E1000_MDIC_OP_WRITE) {
		if (reg == PHY_CTRL) {
			/* Reset and autonegotiation complete at once. */
			data &= ~(MII_CR_RESET | MII_CR_RESTART_AUTO_NEG);
			e->phy[PHY_STATUS] |= MII_SR_AUTONEG_COMPLETE |
					      MII_SR_LINK_STATUS;
		}
		if (reg != PHY_STATUS && reg != PHY_ID1 && reg != PHY_ID2 &&
		    reg != M88E1000_PHY_SPEC_STATUS)
			e->phy[reg] = data;
	}
	R(E1000_MDIC) = val | E1000_MDIC_READY;
	if (val & E1000_MDIC_INT_EN)
		e1000__set_ics(e, E1000_ICR_MDAC);
}

/* The ring registers' software-writable bits. */
static uint32_t ring_reg_mask(uint32_t off)
{
	switch (off) {
	case E1000_RDLEN:
	case E1000_TDLEN:
		return 0x000fff80; /* multiples of 128 bytes */
	case E1000_RDBAL:
	case E1000_TDBAL:
		return 0xfffffff0; /* 16-byte aligned */
	case E1000_RDH:
	case E1000_RDT:
	case E1000_TDH:
	case E1000_TDT:
		return 0x0000ffff;
	default:
		return 0xffffffff;
	}
}

static uint32_t reg_read(struct e1000 *e, uint32_t off)
{
	uint32_t v;

	if (off >= E1000_STATS_START && off < E1000_STATS_END) {
		v = R(off);
		R(off) = 0;
		return v;
	}
	switch (off) {
	case E1000_EECD:
		return eecd_read(e);
	case E1000_ICR:
		/* Read-to-clear: the driver's ISR acknowledges this way. */
		v = R(E1000_ICR);
		R(E1000_ICR) = 0;
		update_irq(e);
		return v;
	case E1000_ICS:
		return R(E1000_ICR);
	case E1000_IMC:
		return 0;
	default:
		return R(off);
	}
}

static void reg_write(struct e1000 *e, uint32_t off, uint32_t val)
{
	uint32_t old;

	if (off >= E1000_STATS_START && off < E1000_STATS_END)
		return; /* read-only counters */
	switch (off) {
	case E1000_CTRL:
		if (val & E1000_CTRL_RST) {
			e1000__reset(e);
			return;
		}
		R(E1000_CTRL) = val & ~E1000_CTRL_PHY_RST;
		return;
	case E1000_STATUS:
		return;
	case E1000_EECD:
		eecd_write(e, val);
		return;
	case E1000_EERD:
		eerd_write(e, val);
		return;
	case E1000_MDIC:
		mdic_write(e, val);
		return;
	case E1000_ICR:
		/* Writing 1s clears causes too (manual 13.4.17). */
		R(E1000_ICR) &= ~val;
		update_irq(e);
		return;
	case E1000_ICS:
		e1000__set_ics(e, val);
		return;
	case E1000_IMS:
		R(E1000_IMS) |= val & E1000_ICR_ALL;
		update_irq(e);
		return;
	case E1000_IMC:
		R(E1000_IMS) &= ~val;
		update_irq(e);
		return;
	case E1000_ITR:
	case E1000_TIDV:
	case E1000_TADV:
	case E1000_RADV:
	case E1000_RDTR:
		R(off) = val & 0xffff;
		return;
	case E1000_RCTL:
		old = R(E1000_RCTL);
		R(E1000_RCTL) = val;
		if (!(old & E1000_RCTL_EN) && (val & E1000_RCTL_EN))
			e->ops->rx_space(e->opaque);
		return;
	case E1000_RDT:
		R(E1000_RDT) = val & ring_reg_mask(off);
		e->ops->rx_space(e->opaque);
		return;
	case E1000_TDT:
		R(E1000_TDT) = val & ring_reg_mask(off);
		e1000__tx_kick(e);
		return;
	case E1000_TCTL:
		R(E1000_TCTL) = val;
		e1000__tx_kick(e);
		return;
	case E1000_RDLEN:
	case E1000_TDLEN:
	case E1000_RDBAL:
	case E1000_TDBAL:
	case E1000_RDH:
	case E1000_TDH:
		R(off) = val & ring_reg_mask(off);
		/* Reprogramming a ring is how a driver recovers it. */
		e->broken = false;
		return;
	default:
		R(off) = val;
		return;
	}
}

uint32_t e1000__mmio_read(struct e1000 *e, uint32_t off)
{
	uint32_t v;

	if (off >= E1000_MMIO_SIZE || off % 4)
		return 0;
	pthread_mutex_lock(&e->lock);
	v = reg_read(e, off);
	pthread_mutex_unlock(&e->lock);
	return v;
}

void e1000__mmio_write(struct e1000 *e, uint32_t off, uint32_t val)
{
	if (off >= E1000_MMIO_SIZE || off % 4)
		return;
	pthread_mutex_lock(&e->lock);
	reg_write(e, off, val);
	pthread_mutex_unlock(&e->lock);
}

/* BAR1: IOADDR at 0 selects a register, IODATA at 4 accesses it. */
uint32_t e1000__io_read(struct e1000 *e, uint32_t off)
{
	if (off == 0)
		return e->ioaddr;
	if (off == 4)
		return e1000__mmio_read(e, e->ioaddr & (E1000_MMIO_SIZE - 4));
	return 0;
}

void e1000__io_write(struct e1000 *e, uint32_t off, uint32_t val)
{
	if (off == 0)
		e->ioaddr = val;
	else if (off == 4)
		e1000__mmio_write(e, e->ioaddr & (E1000_MMIO_SIZE - 4), val);
}
