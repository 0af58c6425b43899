/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 16550A UART register model, independent of how it is wired: the owner
 * supplies a transmit sink and an interrupt line, and feeds received bytes.
 */
#ifndef TRIOVM_UART8250_H
#define TRIOVM_UART8250_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define UART_RBR 0 /* in, DLAB=0 */
#define UART_THR 0 /* out, DLAB=0 */
#define UART_DLL 0 /* DLAB=1 */
#define UART_IER 1
#define UART_DLM 1 /* DLAB=1 */
#define UART_IIR 2 /* in */
#define UART_FCR 2 /* out */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define UART_IER_RDI 0x01
#define UART_IER_THRI 0x02
#define UART_IER_RLSI 0x04
#define UART_IER_MSI 0x08

#define UART_IIR_NO_INT 0x01
#define UART_IIR_MSI 0x00
#define UART_IIR_THRI 0x02
#define UART_IIR_RDI 0x04
#define UART_IIR_RLSI 0x06
#define UART_IIR_FIFO_ENABLED 0xc0

#define UART_FCR_ENABLE_FIFO 0x01
#define UART_FCR_CLEAR_RCVR 0x02
#define UART_FCR_CLEAR_XMIT 0x04

#define UART_LCR_DLAB 0x80

#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10

#define UART_LSR_DR 0x01
#define UART_LSR_OE 0x02
#define UART_LSR_BI 0x10
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40

#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80
#define UART_MSR_DELTA 0x0f

#define UART_FIFO_SIZE 16

struct uart8250 {
	uint8_t ier, iir, fcr, lcr, mcr, lsr, msr, scr;
	uint16_t divisor;
	bool thr_ipending;
	bool irq_level;
	uint8_t rx[UART_FIFO_SIZE];
	unsigned int rx_head, rx_count;

	void (*tx)(void *opaque, uint8_t byte);
	void (*set_irq)(void *opaque, bool level);
	void *opaque;
};

void uart8250_init(struct uart8250 *u, void (*tx)(void *, uint8_t),
		   void (*set_irq)(void *, bool), void *opaque);

/* One register access at `offset` (0..7). */
uint8_t uart8250_read(struct uart8250 *u, unsigned int offset);
void uart8250_write(struct uart8250 *u, unsigned int offset, uint8_t value);

/* Offer received bytes; returns how many fit in the receive FIFO. */
size_t uart8250_receive(struct uart8250 *u, const uint8_t *buf, size_t len);
size_t uart8250_rx_room(const struct uart8250 *u);

#endif
