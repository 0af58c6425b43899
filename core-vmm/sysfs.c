// SPDX-License-Identifier: GPL-2.0
/* Reading and writing sysfs attributes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "triovm/sysfs.h"

static int vpath(char *out, size_t len, const char *root, const char *fmt,
		 va_list ap)
{
	int n = snprintf(out, len, "%s/", root);

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (vsnprintf(out + n, len - n, fmt, ap) >= (int)(len - n))
		return -ENAMETOOLONG;
	return 0;
}

int sysfs_read(const char *root, char *buf, size_t len, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	ssize_t n;
	int fd, ret;

	va_start(ap, fmt);
	ret = vpath(path, sizeof(path), root, fmt, ap);
	va_end(ap);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int sysfs_read_u64(const char *root, uint64_t *v, const char *fmt, ...)
{
	char path[PATH_MAX], buf[64], *end;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vpath(path, sizeof(path), "", fmt, ap);
	va_end(ap);
	if (ret)
		return ret;
	ret = sysfs_read(root, buf, sizeof(buf), "%s", path + 1);
	if (ret)
		return ret;
	errno = 0;
	*v = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

int sysfs_write(const char *root, const char *value, const char *fmt, ...)
{
	char path[PATH_MAX];
	size_t len = strlen(value);
	va_list ap;
	ssize_t n;
	int fd, ret;

	va_start(ap, fmt);
	ret = vpath(path, sizeof(path), root, fmt, ap);
	va_end(ap);
	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* One write: sysfs stores take the value in a single call. */
	n = write(fd, value, len);
	ret = n < 0 ? -errno : ((size_t)n == len ? 0 : -EIO);
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

int sysfs_link_name(const char *root, char *buf, size_t len, const char *fmt,
		    ...)
{
	char path[PATH_MAX], target[PATH_MAX], *base;
	va_list ap;
	ssize_t n;
	int ret;

	buf[0] = '\0';
	va_start(ap, fmt);
	ret = vpath(path, sizeof(path), root, fmt, ap);
	va_end(ap);
	if (ret)
		return ret;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

bool sysfs_exists(const char *root, const char *fmt, ...)
{
	char path[PATH_MAX];
	struct stat st;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vpath(path, sizeof(path), root, fmt, ap);
	va_end(ap);
	return !ret && lstat(path, &st) == 0;
}
