// SPDX-License-Identifier: GPL-2.0
/*
 * The 82540EM model: EEPROM (bit-banged and EERD), interrupt registers and
 * ITR pacing, and the rings with good and hostile descriptors, over guest RAM
 * in a real memfd (no KVM needed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "triovm/e1000.h"
#include "triovm/memory.h"
#include "triovm/util.h"

#define RAM (16 * SZ_1M)
#define TX_RING 0x10000
#define RX_RING 0x20000
#define BUFS 0x100000

struct harness {
	struct guest_mem mem;
	struct e1000 e;
	uint8_t sent[8][2048];
	size_t sent_len[8];
	int nsent;
	bool irq;
	int irq_raises;
	int timers;
	uint64_t now;
	int rx_space;
};

static void h_tx(void *o, const uint8_t *f, size_t len)
{
	struct harness *h = o;

	if (h->nsent < 8) {
		memcpy(h->sent[h->nsent], f, min(len, sizeof(h->sent[0])));
		h->sent_len[h->nsent] = len;
	}
	h->nsent++;
}

static void h_irq(void *o, bool level)
{
	struct harness *h = o;

	if (level && !h->irq)
		h->irq_raises++;
	h->irq = level;
}

static void h_timer(void *o, uint64_t ns)
{
	((struct harness *)o)->timers++;
}

static void h_rx_space(void *o)
{
	((struct harness *)o)->rx_space++;
}

static uint64_t h_clock(void *o)
{
	return ((struct harness *)o)->now;
}

static const struct e1000_ops ops = {
	.tx = h_tx,
	.set_irq = h_irq,
	.arm_timer = h_timer,
	.rx_space = h_rx_space,
	.clock_ns = h_clock,
};

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static int setup(void **state)
{
	static struct harness h;

	memset(&h, 0, sizeof(h));
	h.now = 1000000000;
	assert_int_equal(guest_mem__init(&h.mem, RAM, false), 0);
	assert_int_equal(e1000__init(&h.e, &h.mem, mac, &ops, &h), 0);
	*state = &h;
	return 0;
}

static int teardown(void **state)
{
	struct harness *h = *state;

	e1000__exit(&h->e);
	guest_mem__exit(&h->mem);
	return 0;
}

static uint32_t rd(struct harness *h, uint32_t off)
{
	return e1000__mmio_read(&h->e, off);
}

static void wr(struct harness *h, uint32_t off, uint32_t v)
{
	e1000__mmio_write(&h->e, off, v);
}

static void test_eeprom_eerd(void **state)
{
	struct harness *h = *state;
	uint16_t sum = 0, w;
	int i;

	for (i = 0; i < E1000_EEPROM_WORDS; i++) {
		wr(h, E1000_EERD,
		   E1000_EERD_START | i << E1000_EERD_ADDR_SHIFT);
		w = rd(h, E1000_EERD) >> E1000_EERD_DATA_SHIFT;
		assert_true(rd(h, E1000_EERD) & E1000_EERD_DONE);
		sum += w;
		if (i < 3)
			assert_int_equal(w, mac[2 * i] | mac[2 * i + 1] << 8);
		if (i == 11)
			assert_int_equal(w, E1000_DEV_ID_82540EM);
	}
	/* Linux refuses an EEPROM whose words do not sum to 0xBABA. */
	assert_int_equal(sum, E1000_EEPROM_SUM);
	/* A word beyond the EEPROM reads zero, not host memory. */
	wr(h, E1000_EERD, E1000_EERD_START | 0xff << E1000_EERD_ADDR_SHIFT);
	assert_int_equal(rd(h, E1000_EERD) >> E1000_EERD_DATA_SHIFT, 0);
}

/* Linux's Microwire sequence (e1000_shift_out_ee_bits / shift_in). */
static void ee_clock(struct harness *h, uint32_t *eecd, bool high)
{
	*eecd = high ? (*eecd | E1000_EECD_SK) : (*eecd & ~E1000_EECD_SK);
	wr(h, E1000_EECD, *eecd);
}

static uint16_t ee_read_word(struct harness *h, int addr)
{
	uint32_t eecd = E1000_EECD_REQ,
		 bits = EEPROM_READ_OPCODE_MICROWIRE << 6 | addr;
	uint16_t v = 0;
	int i;

	wr(h, E1000_EECD, eecd);
	assert_true(rd(h, E1000_EECD) & E1000_EECD_GNT);
	eecd |= E1000_EECD_CS;
	wr(h, E1000_EECD, eecd);
	for (i = 8; i >= 0; i--) {
		eecd = (bits >> i) & 1 ? eecd | E1000_EECD_DI :
					 eecd & ~E1000_EECD_DI;
		wr(h, E1000_EECD, eecd);
		ee_clock(h, &eecd, true);
		ee_clock(h, &eecd, false);
	}
	eecd &= ~E1000_EECD_DI;
	for (i = 0; i < 16; i++) {
		ee_clock(h, &eecd, true);
		v = v << 1 | !!(rd(h, E1000_EECD) & E1000_EECD_DO);
		ee_clock(h, &eecd, false);
	}
	wr(h, E1000_EECD, eecd & ~E1000_EECD_CS);
	return v;
}

static void test_eeprom_microwire(void **state)
{
	struct harness *h = *state;

	assert_int_equal(ee_read_word(h, 0), mac[0] | mac[1] << 8);
	assert_int_equal(ee_read_word(h, 2), mac[4] | mac[5] << 8);
	assert_int_equal(ee_read_word(h, 11), E1000_DEV_ID_82540EM);
	assert_true(rd(h, E1000_EECD) & E1000_EECD_PRES);
}

static void test_link_and_phy(void **state)
{
	struct harness *h = *state;
	uint32_t v;

	assert_true(rd(h, E1000_STATUS) & E1000_STATUS_LU);
	wr(h, E1000_MDIC,
	   E1000_MDIC_OP_READ | 1 << E1000_MDIC_PHY_SHIFT |
		   PHY_STATUS << E1000_MDIC_REG_SHIFT);
	v = rd(h, E1000_MDIC);
	assert_true(v & E1000_MDIC_READY);
	assert_true(v & MII_SR_LINK_STATUS);
	/* Another PHY address: error, not a crash. */
	wr(h, E1000_MDIC, E1000_MDIC_OP_READ | 7 << E1000_MDIC_PHY_SHIFT);
	assert_true(rd(h, E1000_MDIC) & E1000_MDIC_ERROR);
}

static void test_icr_read_to_clear(void **state)
{
	struct harness *h = *state;

	wr(h, E1000_ICS, E1000_ICR_LSC);
	assert_false(h->irq); /* masked */
	wr(h, E1000_IMS, E1000_ICR_LSC | E1000_ICR_RXT0);
	assert_true(h->irq);
	assert_int_equal(rd(h, E1000_IMS), E1000_ICR_LSC | E1000_ICR_RXT0);
	assert_int_equal(rd(h, E1000_ICR), E1000_ICR_LSC);
	assert_false(h->irq);
	assert_int_equal(rd(h, E1000_ICR), 0);
	h->now += 200000; /* past the minimum interval between interrupts */
	wr(h, E1000_ICS, E1000_ICR_RXT0);
	assert_true(h->irq);
	wr(h, E1000_IMC, E1000_ICR_RXT0);
	assert_false(h->irq);
	assert_int_equal(rd(h, E1000_IMS), E1000_ICR_LSC);
}

static void test_itr(void **state)
{
	struct harness *h = *state;

	wr(h, E1000_ITR, 3906); /* ~1 ms: 4000 interrupts/s */
	wr(h, E1000_IMS, E1000_ICR_TXDW);
	wr(h, E1000_ICS, E1000_ICR_TXDW);
	assert_int_equal(h->irq_raises, 1);
	rd(h, E1000_ICR);
	h->now += 100000; /* 0.1 ms later: too soon */
	wr(h, E1000_ICS, E1000_ICR_TXDW);
	assert_false(h->irq);
	assert_int_equal(h->timers, 1);
	assert_int_equal(h->e.stats.irqs_deferred, 1);
	h->now += 1000000;
	e1000__itr_expired(&h->e);
	assert_true(h->irq);
	assert_int_equal(h->irq_raises, 2);
}

static void ring_setup(struct harness *h, uint32_t tx_descs)
{
	wr(h, E1000_TDBAL, TX_RING);
	wr(h, E1000_TDBAH, 0);
	wr(h, E1000_TDLEN, tx_descs * 16);
	wr(h, E1000_TDH, 0);
	wr(h, E1000_TDT, 0);
	wr(h, E1000_TCTL, E1000_TCTL_EN);
}

static void put_txd(struct harness *h, int i, uint64_t addr, uint32_t lower,
		    uint32_t upper)
{
	uint8_t *d = guest_mem__ptr(&h->mem, TX_RING + 16 * i, 16);

	memcpy(d, &addr, 8);
	memcpy(d + 8, &lower, 4);
	memcpy(d + 12, &upper, 4);
}

static uint32_t txd_status(struct harness *h, int i)
{
	uint32_t v;

	memcpy(&v, guest_mem__ptr(&h->mem, TX_RING + 16 * i + 12, 4), 4);
	return v;
}

static void fill(struct harness *h, uint64_t addr, uint8_t byte, size_t n)
{
	memset(guest_mem__ptr(&h->mem, addr, n), byte, n);
}

/* Transmit one 60-byte packet from descriptor i, with extra command bits. */
static void send_one(struct harness *h, int i, uint32_t extra)
{
	fill(h, BUFS, 0xcc, 60);
	put_txd(h, i, BUFS,
		E1000_TXD_CMD_IFCS | E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS |
			extra | 60,
		0);
	wr(h, E1000_TDT, i + 1);
}

/*
 * Without ITR the device still keeps 128 us between interrupts (at most 7813
 * per second, as the 8254x guarantees and QEMU enforces); a descriptor with
 * IDE lets TADV set a shorter or longer gap than ITR for transmit causes.
 */
static void test_irq_floor_and_tadv(void **state)
{
	struct harness *h = *state;

	ring_setup(h, 8);
	wr(h, E1000_IMS, E1000_ICR_TXDW | E1000_ICR_RXT0);
	wr(h, E1000_ICS, E1000_ICR_TXDW);
	assert_int_equal(h->irq_raises, 1);
	rd(h, E1000_ICR);
	h->now += 100000; /* 100 us: under the floor */
	wr(h, E1000_ICS, E1000_ICR_RXT0);
	assert_false(h->irq);
	assert_int_equal(h->timers, 1);
	h->now += 28000;
	e1000__itr_expired(&h->e);
	assert_int_equal(h->irq_raises, 2);
	rd(h, E1000_ICR);

	/* ITR 1 ms, TADV 256 us: with IDE, transmit causes wait only TADV. */
	wr(h, E1000_ITR, 3906);
	wr(h, E1000_TADV, 250);
	h->now += 2000000;
	send_one(h, 0, 0);
	assert_int_equal(h->irq_raises, 3);
	rd(h, E1000_ICR);
	h->now += 300000; /* past TADV (256 us), within ITR (1 ms) */
	send_one(h, 1, E1000_TXD_CMD_IDE);
	assert_int_equal(h->irq_raises, 4);
	rd(h, E1000_ICR);
	h->now += 300000; /* no IDE since: ITR again */
	send_one(h, 2, 0);
	assert_int_equal(h->irq_raises, 4);
	assert_false(h->irq);
}

static void test_tx_good(void **state)
{
	struct harness *h = *state;
	uint32_t cmd = E1000_TXD_CMD_IFCS;

	ring_setup(h, 8);
	wr(h, E1000_IMS, E1000_ICR_TXDW);
	fill(h, BUFS, 0xaa, 40);
	fill(h, BUFS + 0x1000, 0xbb, 60);
	/* One packet in two descriptors, then a one-descriptor packet. */
	put_txd(h, 0, BUFS, cmd | 40, 0);
	put_txd(h, 1, BUFS + 0x1000,
		cmd | 20 | E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0);
	put_txd(h, 2, BUFS + 0x1000,
		cmd | 60 | E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0);
	wr(h, E1000_TDT, 3);
	assert_int_equal(h->nsent, 2);
	assert_int_equal(h->sent_len[0], 60);
	assert_int_equal(h->sent[0][39], 0xaa);
	assert_int_equal(h->sent[0][40], 0xbb);
	assert_int_equal(h->sent_len[1], 60);
	assert_int_equal(rd(h, E1000_TDH), 3);
	assert_true(txd_status(h, 1) & E1000_TXD_STAT_DD);
	assert_true(txd_status(h, 2) & E1000_TXD_STAT_DD);
	assert_false(txd_status(h, 0) & E1000_TXD_STAT_DD); /* no RS */
	assert_true(h->irq);
	assert_int_equal(rd(h, E1000_GPTC), 2);
	assert_int_equal(rd(h, E1000_GPTC), 0); /* clear on read */
}

static void test_tx_checksum_offload(void **state)
{
	struct harness *h = *state;
	uint8_t pkt[64];
	uint64_t ctx_lo, ctx;
	uint32_t dcmd = E1000_TXD_CMD_DEXT | E1000_TXD_DTYP_D |
			E1000_TXD_CMD_IFCS;

	/* 14-byte Ethernet + IPv4 header whose checksum the NIC fills in. */
	memset(pkt, 0, sizeof(pkt));
	memcpy(pkt + 14,
	       "\x45\x00\x00\x32\x00\x00\x00\x00\x40\x11\x00\x00"
	       "\x0a\x00\x00\x01\x0a\x00\x00\x02",
	       20);
	memcpy(guest_mem__ptr(&h->mem, BUFS, sizeof(pkt)), pkt, sizeof(pkt));
	ring_setup(h, 8);
	/* Context: IP checksum over 14..33 stored at 24. */
	ctx_lo = 14 | 24 << 8 | (uint64_t)33 << 16;
	ctx = ctx_lo;
	put_txd(h, 0, ctx, E1000_TXD_CMD_DEXT | E1000_TXD_CMD_IP, 0);
	put_txd(h, 1, BUFS, dcmd | sizeof(pkt) | E1000_TXD_CMD_EOP,
		E1000_TXD_POPTS_IXSM << 8);
	wr(h, E1000_TDT, 2);
	assert_int_equal(h->nsent, 1);
	/* RFC 1071 checksum of that header. */
	assert_int_equal(h->sent[0][24] << 8 | h->sent[0][25], 0x66b9);
}

static void test_tx_hostile(void **state)
{
	struct harness *h = *state;
	uint32_t cmd = E1000_TXD_CMD_IFCS | E1000_TXD_CMD_EOP |
		       E1000_TXD_CMD_RS;

	ring_setup(h, 8);
	/* Buffer outside RAM, buffer straddling RAM's end, zero length. */
	put_txd(h, 0, 0xfee00000, cmd | 64, 0);
	put_txd(h, 1, RAM - 10, cmd | 64, 0);
	put_txd(h, 2, BUFS, cmd | 0, 0);
	put_txd(h, 3, ~0ULL - 4, cmd | 0xffff, 0);
	wr(h, E1000_TDT, 4);
	assert_int_equal(h->nsent, 0);
	assert_int_equal(rd(h, E1000_TDH), 4);
	/* They are still completed, so the driver does not hang on them. */
	assert_true(txd_status(h, 3) & E1000_TXD_STAT_DD);

	/* A packet longer than the NIC accepts, across descriptors. */
	ring_setup(h, 64);
	for (int i = 0; i < 40; i++)
		put_txd(h, i, BUFS, E1000_TXD_CMD_IFCS | 0xffff, 0);
	put_txd(h, 40, BUFS, cmd | 100, 0);
	wr(h, E1000_TDT, 41);
	assert_int_equal(h->nsent, 0);
	assert_true(h->e.stats.tx_dropped >= 1);

	/* Tail beyond the ring: the ring stops, nothing is read. */
	ring_setup(h, 8);
	wr(h, E1000_TDT, 9);
	assert_int_equal(rd(h, E1000_TDH), 0);
	assert_true(h->e.broken);

	/* A ring that is not in RAM. */
	wr(h, E1000_TDBAL, 0xfec00000);
	wr(h, E1000_TDLEN, 128);
	wr(h, E1000_TDH, 0);
	wr(h, E1000_TDT, 1);
	assert_true(h->e.broken);
	assert_int_equal(h->nsent, 0);

	/* TDLEN keeps only multiples of 128 bytes. */
	wr(h, E1000_TDLEN, 200);
	assert_int_equal(rd(h, E1000_TDLEN), 128);
}

static void test_tx_tso(void **state)
{
	struct harness *h = *state;
	uint8_t pkt[54 + 3000];
	uint32_t dcmd = E1000_TXD_CMD_DEXT | E1000_TXD_DTYP_D |
			E1000_TXD_CMD_IFCS;
	uint64_t ctx;

	memset(pkt, 0x11, sizeof(pkt));
	memset(pkt, 0, 54);
	pkt[12] = 0x08;
	memcpy(pkt + 14,
	       "\x45\x00\x00\x00\x12\x34\x00\x00\x40\x06\x00\x00"
	       "\x0a\x00\x00\x01\x0a\x00\x00\x02",
	       20);
	pkt[34 + 12] = 0x50; /* TCP data offset 5 */
	pkt[34 + 13] = 0x19; /* FIN PSH ACK */
	memcpy(guest_mem__ptr(&h->mem, BUFS, sizeof(pkt)), pkt, sizeof(pkt));
	ring_setup(h, 8);
	/* ipcss 14, ipcso 24; tucss 34, tucso 50; hdr 54, mss 1000. */
	ctx = 14 | 24 << 8 | (uint64_t)(34 | 50 << 8) << 32;
	put_txd(h, 0, ctx,
		E1000_TXD_CMD_DEXT | E1000_TXD_CMD_TSE | E1000_TXD_CMD_IP |
			E1000_TXD_CMD_TCP | 3000,
		54 << 8 | 1000 << 16);
	put_txd(h, 1, BUFS,
		dcmd | E1000_TXD_CMD_TSE | sizeof(pkt) | E1000_TXD_CMD_EOP,
		(E1000_TXD_POPTS_IXSM | E1000_TXD_POPTS_TXSM) << 8);
	wr(h, E1000_TDT, 2);
	assert_int_equal(h->nsent, 3);
	for (int i = 0; i < 3; i++) {
		uint8_t *f = h->sent[i];

		assert_int_equal(h->sent_len[i], 1054);
		/* IP total length, incrementing ID, TCP sequence. */
		assert_int_equal(f[16] << 8 | f[17], 1040);
		assert_int_equal(f[18] << 8 | f[19], 0x1234 + i);
		assert_int_equal(f[34 + 6] << 8 | f[34 + 7], 1000 * i);
		/* FIN and PSH only on the last segment. */
		assert_int_equal(f[34 + 13] & 0x09, i == 2 ? 0x09 : 0);
	}
}

static void rx_setup(struct harness *h, uint32_t descs, uint32_t tail)
{
	uint32_t i;

	for (i = 0; i < descs; i++) {
		uint64_t addr = BUFS + i * 2048;
		uint8_t *d = guest_mem__ptr(&h->mem, RX_RING + 16 * i, 16);

		memset(d, 0, 16);
		memcpy(d, &addr, 8);
	}
	wr(h, E1000_RDBAL, RX_RING);
	wr(h, E1000_RDLEN, descs * 16);
	wr(h, E1000_RDH, 0);
	wr(h, E1000_RDT, tail);
	wr(h, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC);
}

static void test_rx(void **state)
{
	struct harness *h = *state;
	uint8_t f[100], *d;

	memset(f, 0x42, sizeof(f));
	memcpy(f, mac, 6);
	rx_setup(h, 8, 2);
	wr(h, E1000_IMS, E1000_ICR_RXT0);
	assert_int_equal(e1000__receive(&h->e, f, sizeof(f)), 0);
	d = guest_mem__ptr(&h->mem, RX_RING, 16);
	assert_int_equal(d[8] | d[9] << 8, 100);
	assert_true(d[12] & E1000_RXD_STAT_DD);
	assert_true(d[12] & E1000_RXD_STAT_EOP);
	assert_int_equal(*(uint8_t *)guest_mem__ptr(&h->mem, BUFS + 99, 1),
			 0x42);
	assert_true(h->irq);
	assert_int_equal(rd(h, E1000_RDH), 1);
	/* Another unicast MAC is filtered, broadcast accepted. */
	f[0] = 0x02;
	assert_int_equal(e1000__receive(&h->e, f, sizeof(f)), 0);
	assert_int_equal(rd(h, E1000_RDH), 1);
	memset(f, 0xff, 6);
	assert_int_equal(e1000__receive(&h->e, f, sizeof(f)), 0);
	assert_int_equal(rd(h, E1000_RDH), 2);
	/* Head reached tail: no buffers, the caller must hold the frame. */
	assert_int_equal(e1000__receive(&h->e, f, sizeof(f)), -ENOSPC);
	wr(h, E1000_RDT, 5);
	assert_true(h->rx_space > 0);
	assert_int_equal(e1000__receive(&h->e, f, sizeof(f)), 0);
}

static void test_rx_fcs_and_hostile(void **state)
{
	struct harness *h = *state;
	uint8_t f[64], *d;
	uint64_t bad = 0xfee00000;

	memset(f, 0, sizeof(f));
	memcpy(f, mac, 6);
	rx_setup(h, 8, 4);
	/* Without SECRC the stored frame carries its 4-byte FCS. */
	wr(h, E1000_RCTL, E1000_RCTL_EN);
	assert_int_equal(e1000__receive(&h->e, f, 60), 0);
	d = guest_mem__ptr(&h->mem, RX_RING, 16);
	assert_int_equal(d[8] | d[9] << 8, 64);
	/* A receive buffer outside RAM stops the NIC; nothing is written. */
	memcpy(guest_mem__ptr(&h->mem, RX_RING + 16, 8), &bad, 8);
	assert_int_equal(e1000__receive(&h->e, f, 60), 0);
	assert_true(h->e.broken);
	assert_int_equal(h->e.stats.rx_packets, 1);
	/* Oversized and runt frames are refused. */
	assert_int_equal(e1000__receive(&h->e, f, 10), -EINVAL);
	/* Reprogramming the ring recovers it. */
	rx_setup(h, 8, 4);
	assert_false(h->e.broken);
	assert_int_equal(e1000__receive(&h->e, f, 60), 0);
	/* RDT beyond the ring. */
	wr(h, E1000_RDT, 100);
	assert_int_equal(rd(h, E1000_RDT), 100);
	assert_int_equal(e1000__receive(&h->e, f, 60), 0);
	assert_true(h->e.broken);
}

static void test_reset(void **state)
{
	struct harness *h = *state;

	wr(h, E1000_IMS, E1000_ICR_LSC);
	wr(h, E1000_ICS, E1000_ICR_LSC);
	assert_true(h->irq);
	wr(h, E1000_CTRL, E1000_CTRL_RST);
	assert_false(h->irq);
	assert_int_equal(rd(h, E1000_IMS), 0);
	assert_false(rd(h, E1000_CTRL) & E1000_CTRL_RST);
	/* RAL0/RAH0 hold the EEPROM's MAC after reset. */
	assert_int_equal(rd(h, E1000_RA + 4), 0x5634 | E1000_RAH_AV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_eeprom_eerd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_eeprom_microwire, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_link_and_phy, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_icr_read_to_clear, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_itr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irq_floor_and_tadv, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_checksum_offload, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_hostile, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_tso, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_fcs_and_hostile, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
