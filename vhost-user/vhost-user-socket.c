// SPDX-License-Identifier: GPL-2.0
/*
 * The vhost-user socket: by default triovm listens and the backend connects
 * (the arrangement that survives backend restarts: the backend reconnects
 * to a path that stays); with `client` triovm connects.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "triovm/log.h"
#include "triovm/vhost-user.h"

static int fill_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

int vhost_user_socket__connect(const char *path)
{
	struct sockaddr_un sa;
	int fd, ret;

	ret = fill_addr(&sa, path);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* AF_UNIX connects at once or fails (EAGAIN: the backlog is full). */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

int vhost_user_socket__listen(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, ret;

	ret = fill_addr(&sa, path);
	if (ret) {
		pr_err("vhost-user socket %s: the path is too long", path);
		return ret;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			pr_err("vhost-user socket %s: the path exists and is not a socket",
			       path);
			return -EEXIST;
		}
		/* Someone accepting on it means it is in use, not stale. */
		fd = vhost_user_socket__connect(path);
		if (fd >= 0) {
			close(fd);
			pr_err("vhost-user socket %s: another process is listening on it",
			       path);
			return -EADDRINUSE;
		}
		if (unlink(path) < 0 && errno != ENOENT) {
			ret = -errno;
			pr_err("vhost-user socket %s: cannot remove the stale socket: %s",
			       path, strerror(-ret));
			return ret;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ret = -errno;
		pr_err("vhost-user socket %s: %s", path, strerror(-ret));
		return ret;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 4) < 0) {
		ret = -errno;
		pr_err("vhost-user socket %s: cannot listen: %s", path,
		       strerror(-ret));
		close(fd);
		return ret;
	}
	return fd;
}

int vhost_user_socket__accept(int listen_fd)
{
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	return fd < 0 ? -errno : fd;
}
