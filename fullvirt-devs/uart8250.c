// SPDX-License-Identifier: GPL-2.0
/*
 * The 16550A register model, after the National Semiconductor PC16550D data
 * sheet: what Linux's 8250 driver probes (FIFO, loopback, scratch) and uses
 * (THRE and receive interrupts, line status). Transmission is instantaneous.
 */
#include <string.h>

#include "triovm/uart8250.h"

static void update_irq(struct uart8250 *u)
{
	uint8_t iir = UART_IIR_NO_INT;

	if ((u->ier & UART_IER_RLSI) && (u->lsr & (UART_LSR_OE | UART_LSR_BI)))
		iir = UART_IIR_RLSI;
	else if ((u->ier & UART_IER_RDI) && (u->lsr & UART_LSR_DR))
		iir = UART_IIR_RDI;
	else if ((u->ier & UART_IER_THRI) && u->thr_ipending)
		iir = UART_IIR_THRI;
	else if ((u->ier & UART_IER_MSI) && (u->msr & UART_MSR_DELTA))
		iir = UART_IIR_MSI;
	u->iir = iir;
	if (u->irq_level != (iir != UART_IIR_NO_INT)) {
		u->irq_level = iir != UART_IIR_NO_INT;
		u->set_irq(u->opaque, u->irq_level);
	}
}

void uart8250_init(struct uart8250 *u, void (*tx)(void *, uint8_t),
		   void (*set_irq)(void *, bool), void *opaque)
{
	memset(u, 0, sizeof(*u));
	u->lsr = UART_LSR_THRE | UART_LSR_TEMT;
	u->msr = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	u->iir = UART_IIR_NO_INT;
	u->divisor = 12; /* 9600 baud */
	u->tx = tx;
	u->set_irq = set_irq;
	u->opaque = opaque;
}

static void rx_push(struct uart8250 *u, uint8_t b)
{
	if (u->rx_count == UART_FIFO_SIZE) {
		u->lsr |= UART_LSR_OE;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = b;
	u->rx_count++;
	u->lsr |= UART_LSR_DR;
}

static uint8_t rx_pop(struct uart8250 *u)
{
	uint8_t b;

	if (!u->rx_count)
		return 0;
	b = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
	u->rx_count--;
	if (!u->rx_count)
		u->lsr &= ~UART_LSR_DR;
	return b;
}

/* In loopback the modem outputs drive the modem inputs (data sheet, MCR bit 4). */
static uint8_t loopback_msr(const struct uart8250 *u)
{
	uint8_t msr = 0;

	if (u->mcr & UART_MCR_RTS)
		msr |= UART_MSR_CTS;
	if (u->mcr & UART_MCR_DTR)
		msr |= UART_MSR_DSR;
	if (u->mcr & UART_MCR_OUT1)
		msr |= UART_MSR_RI;
	if (u->mcr & UART_MCR_OUT2)
		msr |= UART_MSR_DCD;
	return msr;
}

uint8_t uart8250_read(struct uart8250 *u, unsigned int offset)
{
	uint8_t v = 0;

	switch (offset & 7) {
	case UART_RBR:
		if (u->lcr & UART_LCR_DLAB) {
			v = u->divisor & 0xff;
			break;
		}
		v = rx_pop(u);
		update_irq(u);
		break;
	case UART_IER:
		v = (u->lcr & UART_LCR_DLAB) ? u->divisor >> 8 : u->ier;
		break;
	case UART_IIR:
		v = u->iir;
		/* Reading IIR acknowledges a THRE interrupt (data sheet table IV). */
		if ((v & 0x0f) == UART_IIR_THRI) {
			u->thr_ipending = false;
			update_irq(u);
		}
		if (u->fcr & UART_FCR_ENABLE_FIFO)
			v |= UART_IIR_FIFO_ENABLED;
		break;
	case UART_LCR:
		v = u->lcr;
		break;
	case UART_MCR:
		v = u->mcr;
		break;
	case UART_LSR:
		v = u->lsr;
		/* Error bits clear on read. */
		if (u->lsr & (UART_LSR_OE | UART_LSR_BI)) {
			u->lsr &= ~(UART_LSR_OE | UART_LSR_BI);
			update_irq(u);
		}
		break;
	case UART_MSR:
		if (u->mcr & UART_MCR_LOOP) {
			v = loopback_msr(u);
		} else {
			v = u->msr;
			u->msr &= ~UART_MSR_DELTA;
			update_irq(u);
		}
		break;
	case UART_SCR:
		v = u->scr;
		break;
	}
	return v;
}

void uart8250_write(struct uart8250 *u, unsigned int offset, uint8_t value)
{
	switch (offset & 7) {
	case UART_THR:
		if (u->lcr & UART_LCR_DLAB) {
			u->divisor = (u->divisor & 0xff00) | value;
			break;
		}
		u->thr_ipending = false;
		if (u->mcr & UART_MCR_LOOP)
			rx_push(u, value);
		else
			u->tx(u->opaque, value);
		/* The byte is gone at once: THR is empty again. */
		u->lsr |= UART_LSR_THRE | UART_LSR_TEMT;
		u->thr_ipending = true;
		update_irq(u);
		break;
	case UART_IER:
		if (u->lcr & UART_LCR_DLAB) {
			u->divisor = (u->divisor & 0x00ff) | value << 8;
			break;
		}
		/* Enabling ETBEI with THR empty raises THRE at once. */
		if (!(u->ier & UART_IER_THRI) && (value & UART_IER_THRI) &&
		    (u->lsr & UART_LSR_THRE))
			u->thr_ipending = true;
		u->ier = value & 0x0f;
		update_irq(u);
		break;
	case UART_FCR:
		if (value & UART_FCR_CLEAR_RCVR) {
			u->rx_head = u->rx_count = 0;
			u->lsr &= ~UART_LSR_DR;
		}
		u->fcr = value & (UART_FCR_ENABLE_FIFO | 0xc0);
		update_irq(u);
		break;
	case UART_LCR:
		u->lcr = value;
		break;
	case UART_MCR:
		u->mcr = value & 0x1f;
		break;
	case UART_LSR:
	case UART_MSR:
		break; /* read-only */
	case UART_SCR:
		u->scr = value;
		break;
	}
}

size_t uart8250_rx_room(const struct uart8250 *u)
{
	return UART_FIFO_SIZE - u->rx_count;
}

size_t uart8250_receive(struct uart8250 *u, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	/* In loopback the line is disconnected from the outside world. */
	if (u->mcr & UART_MCR_LOOP)
		return len;
	while (n < len && u->rx_count < UART_FIFO_SIZE)
		rx_push(u, buf[n++]);
	if (n)
		update_irq(u);
	return n;
}
