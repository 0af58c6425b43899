/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small sysfs accessors. Every function takes the sysfs root ("/sys" in
 * production) so that tests can point it at a tree they built.
 */
#ifndef TRIOVM_SYSFS_H
#define TRIOVM_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define SYSFS_ROOT "/sys"

/* Read the attribute at root/path (printf-style), trailing newline removed. */
int sysfs_read(const char *root, char *buf, size_t len, const char *fmt, ...)
	__printf(4, 5);
/* Decimal or 0x-prefixed hex. */
int sysfs_read_u64(const char *root, uint64_t *v, const char *fmt, ...)
	__printf(3, 4);
/* Write `value` to root/path; the errno of the write on failure. */
int sysfs_write(const char *root, const char *value, const char *fmt, ...)
	__printf(3, 4);
/* The last component of the symlink root/path ("" with -ENOENT if absent). */
int sysfs_link_name(const char *root, char *buf, size_t len, const char *fmt,
		    ...) __printf(4, 5);
bool sysfs_exists(const char *root, const char *fmt, ...) __printf(2, 3);

#endif
