// SPDX-License-Identifier: GPL-2.0
/*
 * The 82540EM's descriptor rings. Every number here comes from the guest:
 * ring bases, lengths, heads and tails, descriptor addresses, lengths and
 * offsets are checked against guest RAM, the ring and the frame before use.
 * A misprogrammed ring stops the NIC (`broken`) until the driver reprograms
 * it, as hardware that took a DMA fault would; a bad packet is dropped.
 */
#include <errno.h>
#include <string.h>

#include "triovm/e1000.h"
#include "triovm/log.h"
#include "triovm/memory.h"
#include "triovm/util.h"

#define R(off) (e->regs[(off) / 4])

#define ETH_HLEN 14
#define ETH_ZLEN 60
#define VLAN_HLEN 4

struct tx_desc {
	uint64_t addr;
	uint32_t lower; /* legacy: length | cso << 16 | cmd << 24 */
	uint32_t upper; /* status | css << 8 | special << 16 */
} __attribute__((packed));

struct rx_desc {
	uint64_t addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
} __attribute__((packed));

static void ring_error(struct e1000 *e, const char *what)
{
	e->broken = true;
	e->stats.ring_errors++;
	pr_warn_ratelimited(
		"e1000: %s; the NIC stops until the driver resets it", what);
}

uint64_t e1000__rx_ring_base(const struct e1000 *e)
{
	return (uint64_t)e->regs[E1000_RDBAH / 4] << 32 |
	       e->regs[E1000_RDBAL / 4];
}

uint64_t e1000__tx_ring_base(const struct e1000 *e)
{
	return (uint64_t)e->regs[E1000_TDBAH / 4] << 32 |
	       e->regs[E1000_TDBAL / 4];
}

/*
 * The ring's descriptors in host memory, or NULL after flagging the ring
 * broken when base/length/head/tail are not usable.
 */
static void *ring_map(struct e1000 *e, uint64_t base, uint32_t len_reg,
		      uint32_t head, uint32_t tail, uint32_t *count)
{
	void *p;

	*count = len_reg / E1000_DESC_SIZE;
	if (!*count)
		return NULL; /* not set up yet: nothing to do */
	if (head >= *count || tail >= *count) {
		ring_error(e, "ring head or tail beyond the ring");
		return NULL;
	}
	p = guest_mem__ptr(e->mem, base, len_reg);
	if (!p)
		ring_error(e, "descriptor ring outside guest RAM");
	return p;
}

/* RFC 1071 ones' complement sum over big-endian 16-bit words. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += p[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static bool in_frame(size_t off, size_t n, size_t len)
{
	return off <= len && n <= len - off;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static uint16_t get_be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

/*
 * Store the checksum of [css, cse] (cse 0: to the end) at sloc, as the
 * 8254x's checksum offload does; the driver seeded the field (pseudo
 * header), so it is part of the sum.
 */
static void put_csum(uint8_t *f, size_t len, size_t sloc, size_t css,
		     size_t cse)
{
	size_t end = cse && cse < len ? cse + 1 : len;

	if (css >= end || !in_frame(sloc, 2, end))
		return;
	put_be16(f + sloc, csum_fold(csum_add(0, f + css, end - css)));
}

static void send_frame(struct e1000 *e, uint8_t *f, size_t len, bool vle,
		       uint16_t vlan)
{
	uint8_t tagged[E1000_MAX_FRAME + VLAN_HLEN];

	if (len < ETH_HLEN || len > E1000_MAX_FRAME) {
		e->stats.tx_dropped++;
		return;
	}
	if (vle) {
		/* Insert the 802.1Q tag the driver asked for. */
		memcpy(tagged, f, 12);
		put_be16(tagged + 12, R(E1000_VET) & 0xffff);
		put_be16(tagged + 14, vlan);
		memcpy(tagged + 16, f + 12, len - 12);
		f = tagged;
		len += VLAN_HLEN;
	}
	e->ops->tx(e->opaque, f, len);
	e->stats.tx_packets++;
	e->stats.tx_bytes += len;
	R(E1000_GPTC)++;
	R(E1000_TPT)++;
	R(E1000_GOTCL) += len;
	R(E1000_TOTL) += len;
	if (f[0] == 0xff && f[1] == 0xff && f[2] == 0xff)
		R(E1000_BPTC)++;
	else if (f[0] & 1)
		R(E1000_MPTC)++;
}

static void checksums(struct e1000 *e, uint8_t *f, size_t len)
{
	const struct e1000_tx_ctx *c = &e->ctx;

	if (e->tx_popts & E1000_TXD_POPTS_IXSM)
		put_csum(f, len, c->ipcso, c->ipcss, c->ipcse);
	if (e->tx_popts & E1000_TXD_POPTS_TXSM)
		put_csum(f, len, c->tucso, c->tucss, c->tucse);
}

/* TCP segmentation offload: cut the gathered packet into MSS-sized frames. */
static void send_tso(struct e1000 *e)
{
	const struct e1000_tx_ctx *c = &e->ctx;
	uint8_t frame[E1000_MAX_FRAME];
	size_t hdr = c->hdr_len, mss = c->mss, off, seg = 0;
	uint32_t seq = 0;

	if (!mss || hdr > e->tx_len || hdr + mss > sizeof(frame) ||
	    !in_frame(c->ipcss, 20, hdr) ||
	    (c->tcp && !in_frame(c->tucss, 20, hdr)) ||
	    !in_frame(c->tucso, 2, hdr) || !in_frame(c->ipcso, 2, hdr)) {
		e->stats.tx_dropped++;
		pr_warn_ratelimited(
			"e1000: TSO context does not fit the packet; dropped");
		return;
	}
	if (c->tcp)
		seq = (uint32_t)get_be16(e->tx_buf + c->tucss + 4) << 16 |
		      get_be16(e->tx_buf + c->tucss + 6);
	for (off = hdr; off < e->tx_len; off += mss, seg++) {
		size_t n = min(mss, e->tx_len - off), flen = hdr + n;
		bool last = off + n >= e->tx_len;
		uint32_t ph;

		memcpy(frame, e->tx_buf, hdr);
		memcpy(frame + hdr, e->tx_buf + off, n);
		if (c->ip) {
			put_be16(frame + c->ipcss + 2, flen - c->ipcss);
			put_be16(frame + c->ipcss + 4,
				 get_be16(frame + c->ipcss + 4) + seg);
		} else if (in_frame(c->ipcss + 4, 2, hdr)) {
			put_be16(frame + c->ipcss + 4, flen - c->ipcss - 40);
		}
		if (c->tcp) {
			uint32_t s = seq + (off - hdr);

			put_be16(frame + c->tucss + 4, s >> 16);
			put_be16(frame + c->tucss + 6, s);
			if (!last)
				frame[c->tucss + 13] &= ~0x09; /* FIN, PSH */
			/* The seeded pseudo-header sum lacks the length. */
			ph = get_be16(frame + c->tucso) + (flen - c->tucss);
			put_be16(frame + c->tucso, (ph & 0xffff) + (ph >> 16));
		}
		checksums(e, frame, flen);
		send_frame(e, frame, flen, e->tx_vle, e->tx_vlan);
	}
}

static void end_of_packet(struct e1000 *e)
{
	if (e->tx_bad) {
		e->stats.tx_dropped++;
	} else if (e->tx_tse && e->ctx.tse) {
		send_tso(e);
	} else {
		checksums(e, e->tx_buf, e->tx_len);
		send_frame(e, e->tx_buf, e->tx_len, e->tx_vle, e->tx_vlan);
	}
	e->tx_len = 0;
	e->tx_bad = false;
	e->tx_popts = 0;
	e->tx_tse = false;
}

/* Append a descriptor's buffer to the packet being gathered. */
static void gather(struct e1000 *e, uint64_t addr, size_t len)
{
	const void *p;

	if (!len || e->tx_bad)
		return;
	if (len > E1000_MAX_TX_PACKET - e->tx_len) {
		e->tx_bad = true;
		pr_warn_ratelimited(
			"e1000: transmit packet over %d bytes; dropped",
			E1000_MAX_TX_PACKET);
		return;
	}
	p = guest_mem__ptr(e->mem, addr, len);
	if (!p) {
		e->tx_bad = true;
		e->stats.ring_errors++;
		pr_warn_ratelimited(
			"e1000: transmit buffer 0x%llx+%zu outside guest RAM; packet dropped",
			(unsigned long long)addr, len);
		return;
	}
	memcpy(e->tx_buf + e->tx_len, p, len);
	e->tx_len += len;
}

static void context_desc(struct e1000 *e, const struct tx_desc *d)
{
	struct e1000_tx_ctx *c = &e->ctx;
	uint32_t lo = (uint32_t)d->addr, hi = d->addr >> 32;

	c->ipcss = lo;
	c->ipcso = lo >> 8;
	c->ipcse = lo >> 16;
	c->tucss = hi;
	c->tucso = hi >> 8;
	c->tucse = hi >> 16;
	c->paylen = d->lower & 0xfffff;
	c->tse = d->lower & E1000_TXD_CMD_TSE;
	c->ip = d->lower & E1000_TXD_CMD_IP;
	c->tcp = d->lower & E1000_TXD_CMD_TCP;
	c->hdr_len = d->upper >> 8;
	c->mss = d->upper >> 16;
}

static void process_desc(struct e1000 *e, struct tx_desc *d)
{
	uint32_t cmd = d->lower;

	if ((cmd & E1000_TXD_CMD_DEXT) && !(cmd & E1000_TXD_DTYP_D)) {
		context_desc(e, d);
	} else if (cmd & E1000_TXD_CMD_DEXT) {
		if (!e->tx_len && !e->tx_bad) {
			e->tx_popts = d->upper >> 8;
			e->tx_tse = cmd & E1000_TXD_CMD_TSE;
			e->tx_vle = cmd & E1000_TXD_CMD_VLE;
			e->tx_vlan = d->upper >> 16;
		}
		gather(e, d->addr, cmd & 0xfffff);
		if (cmd & E1000_TXD_CMD_EOP)
			end_of_packet(e);
	} else {
		/* Legacy descriptor: optional checksum at cso from css. */
		if (!e->tx_len && !e->tx_bad) {
			e->tx_popts = 0;
			e->tx_tse = false;
			e->tx_vle = cmd & E1000_TXD_CMD_VLE;
			e->tx_vlan = d->upper >> 16;
		}
		gather(e, d->addr, cmd & 0xffff);
		if (cmd & E1000_TXD_CMD_EOP) {
			uint8_t cso = cmd >> 16, css = d->upper >> 8;

			if ((cmd & 0x04000000) && !e->tx_bad) /* IC */
				put_csum(e->tx_buf, e->tx_len, cso, css, 0);
			end_of_packet(e);
		}
	}
	if (cmd & E1000_TXD_CMD_IDE)
		e->tx_ide = true;
	/* Report Status: the driver reclaims descriptors marked done. */
	if (cmd & (E1000_TXD_CMD_RS | E1000_TXD_CMD_RPS)) {
		__atomic_thread_fence(__ATOMIC_RELEASE);
		d->upper |= E1000_TXD_STAT_DD;
	}
}

void e1000__tx_kick(struct e1000 *e)
{
	uint32_t count, head = R(E1000_TDH), tail = R(E1000_TDT), n = 0;
	struct tx_desc *ring;

	if (!(R(E1000_TCTL) & E1000_TCTL_EN) || e->broken || head == tail)
		return;
	ring = ring_map(e, e1000__tx_ring_base(e), R(E1000_TDLEN), head, tail,
			&count);
	if (!ring)
		return;
	/* At most one lap of the ring per kick: a loop cannot spin. */
	while (head != tail && n++ < count) {
		struct tx_desc d;

		memcpy(&d, &ring[head], sizeof(d));
		process_desc(e, &d);
		memcpy(&ring[head].upper, &d.upper, sizeof(d.upper));
		head = (head + 1) % count;
	}
	R(E1000_TDH) = head;
	e1000__set_ics(e, E1000_ICR_TXDW | E1000_ICR_TXQE);
}

/* The Ethernet FCS (CRC-32, reflected, as IEEE 802.3 sends it). */
static uint32_t eth_fcs(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffff;
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc;
}

static bool rx_accept(struct e1000 *e, const uint8_t *f)
{
	uint32_t rctl = R(E1000_RCTL);
	int i;

	if (f[0] & 1) {
		bool bcast = !memcmp(f, "\xff\xff\xff\xff\xff\xff", 6);
		uint32_t shift, hash;

		if (bcast)
			return rctl & E1000_RCTL_BAM;
		if (rctl & E1000_RCTL_MPE)
			return true;
		/* MTA: 12 bits of the address picked by RCTL.MO. */
		shift = (uint32_t[]){ 4, 3, 2,
				      0 }[(rctl >> E1000_RCTL_MO_SHIFT) & 3];
		hash = ((f[4] >> shift) | (uint32_t)f[5] << (8 - shift)) &
		       0xfff;
		return R(E1000_MTA + (hash >> 5) * 4) & (1U << (hash & 31));
	}
	if (rctl & E1000_RCTL_UPE)
		return true;
	for (i = 0; i < 16; i++) {
		uint32_t lo = R(E1000_RA + 8 * i), hi = R(E1000_RA + 8 * i + 4);

		if ((hi & E1000_RAH_AV) && f[0] == (lo & 0xff) &&
		    f[1] == ((lo >> 8) & 0xff) && f[2] == ((lo >> 16) & 0xff) &&
		    f[3] == lo >> 24 && f[4] == (hi & 0xff) &&
		    f[5] == ((hi >> 8) & 0xff))
			return true;
	}
	return false;
}

static uint32_t rx_buf_size(uint32_t rctl)
{
	static const uint32_t sz[] = { 2048, 1024, 512, 256 };
	uint32_t s = sz[(rctl >> E1000_RCTL_SZ_SHIFT) & 3];

	/* BSEX multiplies the three smaller sizes by 16. */
	if ((rctl & E1000_RCTL_BSEX) && s != 2048)
		s *= 16;
	return s;
}

bool e1000__rx_enabled(struct e1000 *e)
{
	bool on;

	pthread_mutex_lock(&e->lock);
	on = (R(E1000_RCTL) & E1000_RCTL_EN) && !e->broken;
	pthread_mutex_unlock(&e->lock);
	return on;
}

static int receive_locked(struct e1000 *e, const uint8_t *in, size_t len)
{
	uint8_t f[E1000_MAX_FRAME + 4];
	uint32_t count, head = R(E1000_RDH), tail = R(E1000_RDT), bufsz;
	uint32_t needed, avail, i, rdmts;
	uint16_t vlan = 0;
	bool vp = false;
	struct rx_desc *ring;
	size_t off;

	if (len < ETH_HLEN || len > E1000_MAX_FRAME)
		return -EINVAL;
	if (!(R(E1000_RCTL) & E1000_RCTL_EN) || e->broken) {
		e->stats.rx_dropped++;
		return 0;
	}
	if (!rx_accept(e, in)) {
		e->stats.rx_filtered++;
		return 0;
	}
	memcpy(f, in, len);
	if ((R(E1000_CTRL) & E1000_CTRL_VME) && len >= ETH_HLEN + VLAN_HLEN &&
	    get_be16(f + 12) == (R(E1000_VET) & 0xffff)) {
		/* VLAN stripping: the tag goes to the descriptor. */
		vlan = get_be16(f + 14);
		vp = true;
		memmove(f + 12, f + 16, len - 16);
		len -= VLAN_HLEN;
	}
	if (len < ETH_ZLEN) {
		memset(f + len, 0, ETH_ZLEN - len);
		len = ETH_ZLEN;
	}
	/*
	 * Unless told to strip it (RCTL.SECRC), the MAC stores the frame with
	 * its FCS, and Linux's e1000 driver takes 4 bytes off every length.
	 */
	if (!(R(E1000_RCTL) & E1000_RCTL_SECRC)) {
		uint32_t fcs = eth_fcs(f, len);

		if (len + 4 > sizeof(f))
			return -EINVAL;
		memcpy(f + len, &fcs, 4);
		len += 4;
	}

	ring = ring_map(e, e1000__rx_ring_base(e), R(E1000_RDLEN), head, tail,
			&count);
	if (!ring) {
		e->stats.rx_dropped++;
		return 0;
	}
	bufsz = rx_buf_size(R(E1000_RCTL));
	needed = (len + bufsz - 1) / bufsz;
	/* Hardware owns the descriptors from head up to (not incl.) tail. */
	avail = (tail + count - head) % count;
	if (avail < needed) {
		R(E1000_RNBC)++;
		return -ENOSPC;
	}
	for (i = 0, off = 0; i < needed; i++) {
		struct rx_desc *d = &ring[head];
		size_t n = min((size_t)bufsz, len - off);
		uint64_t addr;
		uint8_t *buf;

		memcpy(&addr, &d->addr, sizeof(addr));
		/* A null buffer address means "skip" (QEMU's model too). */
		if (addr) {
			buf = guest_mem__ptr(e->mem, addr, n);
			if (!buf) {
				ring_error(e,
					   "receive buffer outside guest RAM");
				e->stats.rx_dropped++;
				R(E1000_RDH) = head;
				return 0;
			}
			memcpy(buf, f + off, n);
		}
		off += n;
		d->length = n;
		d->csum = 0;
		d->errors = 0;
		d->special = vp ? vlan : 0;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		d->status = E1000_RXD_STAT_DD | E1000_RXD_STAT_IXSM |
			    (vp ? E1000_RXD_STAT_VP : 0) |
			    (i + 1 == needed ? E1000_RXD_STAT_EOP : 0);
		head = (head + 1) % count;
	}
	R(E1000_RDH) = head;
	e->stats.rx_packets++;
	e->stats.rx_bytes += len;
	R(E1000_GPRC)++;
	R(E1000_TPR)++;
	R(E1000_GORCL) += len;
	R(E1000_TORL) += len;
	if (f[0] == 0xff && f[1] == 0xff && f[2] == 0xff)
		R(E1000_BPRC)++;
	else if (f[0] & 1)
		R(E1000_MPRC)++;
	/* Receive descriptor minimum threshold: 1/2, 1/4 or 1/8 left. */
	rdmts = (R(E1000_RCTL) >> E1000_RCTL_RDMTS_SHIFT) & 3;
	if ((tail + count - head) % count <= count >> (rdmts + 1))
		e1000__set_ics(e, E1000_ICR_RXT0 | E1000_ICR_RXDMT0);
	else
		e1000__set_ics(e, E1000_ICR_RXT0);
	return 0;
}

int e1000__receive(struct e1000 *e, const uint8_t *frame, size_t len)
{
	int ret;

	pthread_mutex_lock(&e->lock);
	ret = receive_locked(e, frame, len);
	pthread_mutex_unlock(&e->lock);
	return ret;
}
