// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the e1000 model driven by arbitrary register accesses,
 * descriptor contents and received frames over 16 MiB of guest RAM. Input is
 * a sequence of records:
 *   op (1 byte), offset (4 bytes LE), value (4 bytes LE)
 * op % 5: 0 MMIO write, 1 MMIO read, 2 store `value` in guest RAM at
 * offset, 3 receive a frame of (value % 2048) bytes from the input's tail,
 * 4 ITR timer expiry. Any out-of-bounds access or crash is a finding.
 */
#include <stdint.h>
#include <string.h>

#include "triovm/e1000.h"
#include "triovm/memory.h"
#include "triovm/util.h"

#define RAM (16 * SZ_1M)

/* Where frame bytes go so that the compiler keeps the reads. */
volatile uint8_t fuzz_sink;

static void nop_tx(void *o, const uint8_t *f, size_t len)
{
	/* Touch every byte: a frame must be readable in full. */
	uint8_t x = 0;

	for (size_t i = 0; i < len; i++)
		x ^= f[i];
	fuzz_sink = x;
	(void)o;
}

static void nop_irq(void *o, bool level)
{
	(void)o;
	(void)level;
}

static void nop_timer(void *o, uint64_t ns)
{
	(void)o;
	(void)ns;
}

static void nop_space(void *o)
{
	(void)o;
}

static uint64_t fake_clock(void *o)
{
	static uint64_t t;

	(void)o;
	return t += 1000;
}

static const struct e1000_ops ops = {
	.tx = nop_tx,
	.set_irq = nop_irq,
	.arm_timer = nop_timer,
	.rx_space = nop_space,
	.clock_ns = fake_clock,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guest_mem mem;
	static bool ready;
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	struct e1000 e;
	size_t i;

	if (!ready) {
		if (guest_mem__init(&mem, RAM, false))
			return 0;
		ready = true;
	}
	memset(mem.base, 0, SZ_1M); /* rings and buffers live low */
	if (e1000__init(&e, &mem, mac, &ops, NULL))
		return 0;
	for (i = 0; i + 9 <= size; i += 9) {
		uint8_t op = data[i] % 5;
		uint32_t off, val;
		uint8_t *p;

		memcpy(&off, data + i + 1, 4);
		memcpy(&val, data + i + 5, 4);
		switch (op) {
		case 0:
			e1000__mmio_write(&e, off % E1000_MMIO_SIZE, val);
			break;
		case 1:
			e1000__mmio_read(&e, off % E1000_MMIO_SIZE);
			break;
		case 2:
			p = guest_mem__ptr(&mem, off % SZ_1M, 4);
			if (p)
				memcpy(p, &val, 4);
			break;
		case 3:
			e1000__receive(&e, data + i,
				       min((size_t)(val % 2048), size - i));
			break;
		case 4:
			e1000__itr_expired(&e);
			break;
		}
	}
	e1000__exit(&e);
	return 0;
}
