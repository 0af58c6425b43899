/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host terminal behind the guest's console: stdout for output, stdin for
 * input. On a terminal, stdin goes raw and Ctrl-A x quits (as with QEMU's
 * -nographic); Ctrl-A Ctrl-A sends one Ctrl-A.
 */
#ifndef TRIOVM_TERM_H
#define TRIOVM_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <termios.h>

struct term {
	int in_fd, out_fd;
	bool is_tty;
	bool raw;
	bool escape; /* the last byte was Ctrl-A */
	bool in_eof;
	struct termios saved;
};

int term__init(struct term *t, int in_fd, int out_fd);
void term__restore(struct term *t);

void term__write(struct term *t, const uint8_t *buf, size_t len);

/*
 * Read what stdin has (at most len bytes) into buf, after escape handling,
 * and return the byte count. Sets t->in_eof at end of input and *quit when
 * the user typed Ctrl-A x.
 */
ssize_t term__read(struct term *t, uint8_t *buf, size_t len, bool *quit);

#endif
