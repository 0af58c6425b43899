// SPDX-License-Identifier: GPL-2.0
/*
 * COM1: a 16550A at 0x3f8 on IRQ 4, wired to the host terminal. The guest
 * finds it in the DSDT (PNP0501), which is also how Linux learns that IRQ 4 is
 * an edge-triggered ISA interrupt on a hardware-reduced ACPI platform.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "triovm/acpi.h"
#include "triovm/aml.h"
#include "triovm/device.h"
#include "triovm/exit-status.h"
#include "triovm/log.h"
#include "triovm/term.h"
#include "triovm/uart8250.h"
#include "triovm/vm.h"

#define COM1_PORT 0x3f8
#define COM1_IRQ 4

struct serial_console {
	struct vm *vm;
	struct uart8250 uart;
	pthread_mutex_t lock;
	struct term term;
	bool input; /* stdin is on the event loop */
	bool input_paused; /* the FIFO is full: stop reading stdin */
	struct acpi_dsdt_node dsdt;
};

static void console_tx(void *opaque, uint8_t byte)
{
	struct serial_console *s = opaque;

	if (s->vm->opts->console == CONSOLE_SERIAL)
		term__write(&s->term, &byte, 1);
}

static void console_set_irq(void *opaque, bool level)
{
	struct serial_console *s = opaque;

	vm__irq_line(s->vm, COM1_IRQ, level);
}

static void console_resume_input(struct serial_console *s)
{
	if (s->input && s->input_paused &&
	    uart8250_rx_room(&s->uart) == UART_FIFO_SIZE) {
		s->input_paused = false;
		event_loop__modify(&s->vm->loop, s->term.in_fd, EPOLLIN);
	}
}

static void console_io(void *opaque, uint64_t addr, uint8_t *data, uint32_t len,
		       bool is_write)
{
	struct serial_console *s = opaque;
	uint32_t i;

	pthread_mutex_lock(&s->lock);
	/* Wider accesses are taken byte by byte, as on an 8-bit ISA bus. */
	for (i = 0; i < len; i++) {
		if (is_write)
			uart8250_write(&s->uart, addr + i, data[i]);
		else
			data[i] = uart8250_read(&s->uart, addr + i);
	}
	if (!is_write)
		console_resume_input(s);
	pthread_mutex_unlock(&s->lock);
}

static void console_input(int fd, uint32_t events, void *opaque)
{
	struct serial_console *s = opaque;
	uint8_t buf[UART_FIFO_SIZE];
	size_t room, n;
	bool quit;

	(void)fd;
	(void)events;
	pthread_mutex_lock(&s->lock);
	room = uart8250_rx_room(&s->uart);
	if (!room) {
		s->input_paused = true;
		event_loop__modify(&s->vm->loop, s->term.in_fd, 0);
		pthread_mutex_unlock(&s->lock);
		return;
	}
	n = term__read(&s->term, buf, room, &quit);
	if (n)
		uart8250_receive(&s->uart, buf, n);
	pthread_mutex_unlock(&s->lock);

	if (quit) {
		pr_info("Ctrl-A x: stopping the VM");
		vm__request_stop(s->vm, VM_STOP_SIGNAL, EXIT_GUEST_OFF);
	} else if (s->term.in_eof) {
		/* No more input: keep the guest running, stop watching stdin. */
		event_loop__del(&s->vm->loop, s->term.in_fd);
		s->input = false;
	}
}

static void console_aml(struct aml *a, void *opaque)
{
	size_t dev = aml_device_begin(a, "COM1");
	size_t crs;

	(void)opaque;
	aml_name(a, "_HID");
	aml_integer(a, aml_eisaid("PNP0501"));
	aml_name(a, "_UID");
	aml_integer(a, 1);
	aml_name(a, "_CRS");
	crs = aml_restemplate_begin(a);
	aml_res_io(a, COM1_PORT, 8);
	aml_res_interrupt(a, COM1_IRQ, false, false);
	aml_restemplate_end(a, crs);
	aml_device_end(a, dev);
}

static int serial_console__init(struct vm *vm, void **priv)
{
	struct serial_console *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	s->vm = vm;
	pthread_mutex_init(&s->lock, NULL);
	uart8250_init(&s->uart, console_tx, console_set_irq, s);
	ret = iobus__register(&vm->pio_bus, COM1_PORT, 8, console_io, s,
			      "serial COM1");
	if (ret)
		goto err;
	if (vm->opts->console == CONSOLE_SERIAL) {
		term__init(&s->term, STDIN_FILENO, STDOUT_FILENO);
		if (event_loop__add(&vm->loop, STDIN_FILENO, EPOLLIN,
				    console_input, s) == 0)
			s->input = true;
		/* stdin that epoll refuses (a regular file) is simply unused. */
	} else {
		s->term.in_fd = s->term.out_fd = -1;
	}
	s->dsdt.build = console_aml;
	s->dsdt.opaque = s;
	acpi__add_dsdt_node(vm, &s->dsdt);
	*priv = s;
	return 0;
err:
	free(s);
	return ret;
}

static void serial_console__exit(struct vm *vm, void *priv)
{
	struct serial_console *s = priv;

	if (s->input)
		event_loop__del(&vm->loop, s->term.in_fd);
	term__restore(&s->term);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

const struct vm_device serial_console_device = {
	.name = "serial-console",
	.init = serial_console__init,
	.exit = serial_console__exit,
};
