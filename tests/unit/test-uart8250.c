// SPDX-License-Identifier: GPL-2.0
/* The 16550A register model: what Linux's 8250 driver probes and relies on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "triovm/uart8250.h"

struct sink {
	uint8_t out[256];
	size_t n;
	bool irq;
	int irq_changes;
};

static void tx(void *opaque, uint8_t b)
{
	struct sink *s = opaque;

	s->out[s->n++] = b;
}

static void set_irq(void *opaque, bool level)
{
	struct sink *s = opaque;

	s->irq = level;
	s->irq_changes++;
}

static void setup(struct uart8250 *u, struct sink *s)
{
	memset(s, 0, sizeof(*s));
	uart8250_init(u, tx, set_irq, s);
}

static void test_reset_state(void **state)
{
	struct uart8250 u;
	struct sink s;

	setup(&u, &s);
	assert_int_equal(uart8250_read(&u, UART_LSR),
			 UART_LSR_THRE | UART_LSR_TEMT);
	assert_int_equal(uart8250_read(&u, UART_IIR), UART_IIR_NO_INT);
	assert_false(s.irq);
}

static void test_scratch_and_divisor(void **state)
{
	struct uart8250 u;
	struct sink s;

	setup(&u, &s);
	uart8250_write(&u, UART_SCR, 0xa5);
	assert_int_equal(uart8250_read(&u, UART_SCR), 0xa5);
	uart8250_write(&u, UART_LCR, UART_LCR_DLAB | 0x03);
	uart8250_write(&u, UART_DLL, 0x01);
	uart8250_write(&u, UART_DLM, 0x00);
	assert_int_equal(uart8250_read(&u, UART_DLL), 0x01);
	assert_int_equal(uart8250_read(&u, UART_DLM), 0x00);
	uart8250_write(&u, UART_LCR, 0x03);
	/* With DLAB clear, offset 0 is THR again: the byte goes out. */
	uart8250_write(&u, UART_THR, 'A');
	assert_int_equal(s.n, 1);
	assert_int_equal(s.out[0], 'A');
	assert_int_equal(uart8250_read(&u, UART_LCR), 0x03);
}

static void test_fifo_detected_as_16550a(void **state)
{
	struct uart8250 u;
	struct sink s;

	setup(&u, &s);
	uart8250_write(&u, UART_FCR, UART_FCR_ENABLE_FIFO);
	/* autoconfig(): IIR bits 7:6 == 3 means a working 16550A FIFO. */
	assert_int_equal(uart8250_read(&u, UART_IIR) >> 6, 3);
	uart8250_write(&u, UART_FCR, 0);
	assert_int_equal(uart8250_read(&u, UART_IIR) >> 6, 0);
}

static void test_loopback_msr(void **state)
{
	struct uart8250 u;
	struct sink s;

	setup(&u, &s);
	/* The 8250 driver's loopback test: LOOP | OUT2 | RTS gives 0x90. */
	uart8250_write(&u, UART_MCR, UART_MCR_LOOP | 0x0a);
	assert_int_equal(uart8250_read(&u, UART_MSR) & 0xf0, 0x90);
	uart8250_write(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_DTR);
	assert_int_equal(uart8250_read(&u, UART_MSR) & 0xf0, UART_MSR_DSR);
	/* Loopback bytes come back and do not leave the UART. */
	uart8250_write(&u, UART_THR, 'z');
	assert_int_equal(s.n, 0);
	assert_true(uart8250_read(&u, UART_LSR) & UART_LSR_DR);
	assert_int_equal(uart8250_read(&u, UART_RBR), 'z');
	assert_false(uart8250_read(&u, UART_LSR) & UART_LSR_DR);
}

static void test_thre_interrupt(void **state)
{
	struct uart8250 u;
	struct sink s;

	setup(&u, &s);
	/* Enabling ETBEI with an empty THR raises THRE at once. */
	uart8250_write(&u, UART_IER, UART_IER_THRI);
	assert_true(s.irq);
	assert_int_equal(uart8250_read(&u, UART_IIR) & 0x0f, UART_IIR_THRI);
	/* Reading IIR acknowledged it. */
	assert_false(s.irq);
	assert_int_equal(uart8250_read(&u, UART_IIR) & 0x0f, UART_IIR_NO_INT);
	/* Each byte written empties THR again. */
	uart8250_write(&u, UART_THR, 'x');
	assert_true(s.irq);
	uart8250_write(&u, UART_IER, 0);
	assert_false(s.irq);
}

static void test_receive(void **state)
{
	struct uart8250 u;
	struct sink s;
	uint8_t in[20];
	int i;

	setup(&u, &s);
	for (i = 0; i < 20; i++)
		in[i] = 'a' + i;
	uart8250_write(&u, UART_IER, UART_IER_RDI);
	assert_false(s.irq);
	assert_int_equal(uart8250_receive(&u, in, 20), UART_FIFO_SIZE);
	assert_int_equal(uart8250_rx_room(&u), 0);
	assert_true(s.irq);
	assert_int_equal(uart8250_read(&u, UART_IIR) & 0x0f, UART_IIR_RDI);
	for (i = 0; i < UART_FIFO_SIZE; i++)
		assert_int_equal(uart8250_read(&u, UART_RBR), 'a' + i);
	assert_false(s.irq);
	assert_false(uart8250_read(&u, UART_LSR) & UART_LSR_DR);
	/* An empty FIFO reads 0, not stale data. */
	assert_int_equal(uart8250_read(&u, UART_RBR), 0);
}

static void test_fifo_clear(void **state)
{
	struct uart8250 u;
	struct sink s;

	setup(&u, &s);
	uart8250_receive(&u, (const uint8_t *)"abc", 3);
	uart8250_write(&u, UART_FCR,
		       UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR);
	assert_false(uart8250_read(&u, UART_LSR) & UART_LSR_DR);
	assert_int_equal(uart8250_rx_room(&u), UART_FIFO_SIZE);
}

static void test_interrupt_priority(void **state)
{
	struct uart8250 u;
	struct sink s;

	setup(&u, &s);
	uart8250_write(&u, UART_IER, UART_IER_RDI | UART_IER_THRI);
	uart8250_receive(&u, (const uint8_t *)"q", 1);
	/* Received data outranks THR empty (data sheet, table IV). */
	assert_int_equal(uart8250_read(&u, UART_IIR) & 0x0f, UART_IIR_RDI);
	uart8250_read(&u, UART_RBR);
	assert_int_equal(uart8250_read(&u, UART_IIR) & 0x0f, UART_IIR_THRI);
}

static void test_wild_offsets(void **state)
{
	struct uart8250 u;
	struct sink s;
	unsigned int off;

	setup(&u, &s);
	/* Offsets beyond 7 alias; nothing crashes on any value. */
	for (off = 0; off < 64; off++) {
		uart8250_write(&u, off, 0xff);
		uart8250_read(&u, off);
	}
	assert_true(s.n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state),
		cmocka_unit_test(test_scratch_and_divisor),
		cmocka_unit_test(test_fifo_detected_as_16550a),
		cmocka_unit_test(test_loopback_msr),
		cmocka_unit_test(test_thre_interrupt),
		cmocka_unit_test(test_receive),
		cmocka_unit_test(test_fifo_clear),
		cmocka_unit_test(test_interrupt_priority),
		cmocka_unit_test(test_wild_offsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
