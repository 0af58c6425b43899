// SPDX-License-Identifier: GPL-2.0
/* The host terminal the guest console is attached to. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "triovm/term.h"

#define CTRL_A 0x01

int term__init(struct term *t, int in_fd, int out_fd)
{
	struct termios raw;

	memset(t, 0, sizeof(*t));
	t->in_fd = in_fd;
	t->out_fd = out_fd;
	t->is_tty = isatty(in_fd);
	if (!t->is_tty)
		return 0;
	if (tcgetattr(in_fd, &t->saved) < 0)
		return -errno;
	raw = t->saved;
	cfmakeraw(&raw);
	/* Keep output post-processing off too: the guest sends its own CRLF. */
	if (tcsetattr(in_fd, TCSANOW, &raw) < 0)
		return -errno;
	t->raw = true;
	return 0;
}

void term__restore(struct term *t)
{
	if (t->raw) {
		tcsetattr(t->in_fd, TCSANOW, &t->saved);
		t->raw = false;
	}
}

void term__write(struct term *t, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(t->out_fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return; /* stdout closed: the guest keeps running */
		}
		buf += n;
		len -= n;
	}
}

ssize_t term__read(struct term *t, uint8_t *buf, size_t len, bool *quit)
{
	uint8_t in[64];
	ssize_t n, i;
	size_t out = 0;

	*quit = false;
	if (len > sizeof(in))
		len = sizeof(in);
	n = read(t->in_fd, in, len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		t->in_eof = true;
		return 0;
	}
	if (!t->is_tty) {
		memcpy(buf, in, n);
		return n;
	}
	for (i = 0; i < n; i++) {
		if (t->escape) {
			t->escape = false;
			if (in[i] == 'x' || in[i] == 'X') {
				*quit = true;
				return 0;
			}
			if (in[i] == CTRL_A)
				buf[out++] = CTRL_A;
			continue;
		}
		if (in[i] == CTRL_A) {
			t->escape = true;
			continue;
		}
		buf[out++] = in[i];
	}
	return out;
}
