// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO group character devices (/dev/vfio/N). The kernel lets one open file
 * own a group at a time, so EBUSY on open means another process (or this
 * one, through another fd) has it: the group fd is opened once per VM and
 * shared by every device in the group.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "triovm/iommu.h"
#include "triovm/log.h"
#include "triovm/vfio.h"

/* Best effort: which process holds `path` open (-1 if none is found). */
static pid_t find_holder(const char *path, char *comm, size_t len)
{
	pid_t self = getpid(), found = -1;
	struct dirent *p;
	DIR *proc;

	proc = opendir("/proc");
	if (!proc)
		return -1;
	while (found < 0 && (p = readdir(proc))) {
		char dir[64], link[PATH_MAX], target[PATH_MAX];
		struct dirent *f;
		pid_t pid = atoi(p->d_name);
		DIR *fds;

		if (pid <= 0 || pid == self)
			continue;
		snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
		fds = opendir(dir);
		if (!fds)
			continue;
		while (found < 0 && (f = readdir(fds))) {
			ssize_t n;

			if (f->d_name[0] == '.')
				continue;
			snprintf(link, sizeof(link), "%s/%s", dir, f->d_name);
			n = readlink(link, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (!strcmp(target, path))
				found = pid;
		}
		closedir(fds);
	}
	closedir(proc);
	if (found > 0) {
		char cpath[64];
		FILE *f;

		comm[0] = '\0';
		snprintf(cpath, sizeof(cpath), "/proc/%d/comm", found);
		f = fopen(cpath, "r");
		if (f) {
			if (fgets(comm, len, f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
	}
	return found;
}

int vfio_group__open_fd(const char *dev_dir, unsigned int id, const char *bdf)
{
	char path[PATH_MAX], vfio[PATH_MAX], comm[64];
	pid_t holder;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%u", dev_dir, id);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	err = errno;
	switch (err) {
	case EBUSY:
		holder = find_holder(path, comm, sizeof(comm));
		if (holder > 0)
			pr_err("%s: IOMMU group %u is in use by another process (%s is held by pid %d, %s)",
			       bdf, id, path, holder, comm);
		else
			pr_err("%s: IOMMU group %u is in use by another process (%s is busy)",
			       bdf, id, path);
		break;
	case ENOENT:
		snprintf(vfio, sizeof(vfio), "%s/vfio", dev_dir);
		if (access(vfio, F_OK))
			pr_err("%s: %s does not exist: VFIO is not loaded (modprobe vfio-pci)",
			       bdf, path);
		else
			pr_err("%s: %s does not exist (is the device bound to vfio-pci?)",
			       bdf, path);
		break;
	case EACCES:
	case EPERM:
		pr_err("%s: no permission to open %s (run as root, or give this user the device node)",
		       bdf, path);
		break;
	default:
		pr_err("%s: cannot open %s: %s", bdf, path, strerror(err));
	}
	return -err;
}

int vfio_group__check_viable(int fd, const char *sysfs, unsigned int id,
			     const char *bdf)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct iommu_group g;
	char why[768];
	int err;

	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &st) < 0) {
		err = errno;
		pr_err("%s: VFIO_GROUP_GET_STATUS on IOMMU group %u: %s", bdf,
		       id, strerror(err));
		return -err;
	}
	if (st.flags & VFIO_GROUP_FLAGS_VIABLE)
		return 0;
	why[0] = '\0';
	if (!iommu_group__read(sysfs, id, &g)) {
		iommu_group__describe_blockers(&g, why, sizeof(why));
		iommu_group__release(&g);
	}
	pr_err("%s: IOMMU group %u is not viable: %s", bdf, id,
	       why[0] ? why : "a device in it is still bound to a host driver");
	return -EBUSY;
}

pid_t vfio_group__holder(const char *sysfs, const struct pci_addr *a,
			 char *comm, size_t len)
{
	char path[PATH_MAX];
	unsigned int id;
	pid_t pid;
	int fd;

	comm[0] = '\0';
	if (iommu__group_of(sysfs, a, &id))
		return 0;
	snprintf(path, sizeof(path), "%s/%u", VFIO_DEV_DIR, id);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno != EBUSY)
		return 0;
	pid = find_holder(path, comm, len);
	return pid > 0 ? pid : -1;
}

bool vfio_group__busy(const char *sysfs, const struct pci_addr *a,
		      const char *bdf)
{
	unsigned int id;
	char comm[64];
	int fd;

	if (!vfio_group__holder(sysfs, a, comm, sizeof(comm)) ||
	    iommu__group_of(sysfs, a, &id))
		return false;
	/* Again, for the line that says who holds it. */
	fd = vfio_group__open_fd(VFIO_DEV_DIR, id, bdf);
	if (fd >= 0)
		close(fd);
	return true;
}
