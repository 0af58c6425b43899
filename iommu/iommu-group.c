// SPDX-License-Identifier: GPL-2.0
/*
 * IOMMU groups from sysfs (Documentation/ABI/testing/sysfs-kernel-iommu_groups)
 * and whether VFIO can take one: the group, not the device, is the unit of
 * isolation, so every other device in it must be out of the host's hands.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triovm/iommu.h"
#include "triovm/sysfs.h"

bool iommu__present(const char *sysfs)
{
	char path[PATH_MAX];
	struct dirent *e;
	bool any = false;
	DIR *d;

	snprintf(path, sizeof(path), "%s/kernel/iommu_groups", sysfs);
	d = opendir(path);
	if (!d)
		return false;
	while (!any && (e = readdir(d)))
		any = e->d_name[0] != '.';
	closedir(d);
	return any;
}

static int parse_group_id(const char *s, unsigned int *id)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT_MAX)
		return -EINVAL;
	*id = v;
	return 0;
}

int iommu__group_of(const char *sysfs, const struct pci_addr *a,
		    unsigned int *group)
{
	char bdf[PCI_ADDR_STRLEN], name[NAME_MAX + 1];
	int ret;

	pci_addr__format(a, bdf);
	if (!sysfs_exists(sysfs, "bus/pci/devices/%s", bdf))
		return -ENODEV;
	ret = sysfs_link_name(sysfs, name, sizeof(name),
			      "bus/pci/devices/%s/iommu_group", bdf);
	if (ret)
		return ret;
	return parse_group_id(name, group);
}

bool iommu_driver__vfio(const char *driver)
{
	size_t n = strlen(driver);

	/* vfio-pci and its variant drivers (mlx5_vfio_pci, ...). */
	return !strcmp(driver, "vfio-pci") ||
	       (n > 8 && (!strcmp(driver + n - 8, "vfio_pci") ||
			  !strcmp(driver + n - 8, "vfio-pci")));
}

bool iommu_group_dev__blocks(const struct iommu_group_dev *d)
{
	if (!d->driver[0] || d->bridge)
		return false;
	/* pci-stub and pcieport leave DMA to the group's owner too. */
	return !iommu_driver__vfio(d->driver) &&
	       strcmp(d->driver, "pci-stub") && strcmp(d->driver, "pcieport");
}

/*
 * The header type (config byte 0x0e) is what the kernel looks at; the class
 * is the fallback where config space cannot be read.
 */
static bool is_bridge(const char *sysfs, unsigned int id, const char *name)
{
	char path[PATH_MAX];
	uint8_t cfg[16];
	uint64_t class;
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path),
		 "%s/kernel/iommu_groups/%u/devices/%s/config", sysfs, id,
		 name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = pread(fd, cfg, sizeof(cfg), 0);
		close(fd);
	}
	if (n >= 15)
		return (cfg[14] & 0x7f) == 1 || (cfg[14] & 0x7f) == 2;
	if (sysfs_read_u64(sysfs, &class,
			   "kernel/iommu_groups/%u/devices/%s/class", id, name))
		return false;
	class >>= 8;
	return class == 0x0604 || class == 0x0607 || class == 0x0609;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct iommu_group_dev *)a)->name,
		      ((const struct iommu_group_dev *)b)->name);
}

int iommu_group__read(const char *sysfs, unsigned int id, struct iommu_group *g)
{
	char path[PATH_MAX];
	struct dirent *e;
	int ret = 0, cap = 0;
	DIR *d;

	g->id = id;
	g->nr_devices = 0;
	g->devices = NULL;
	snprintf(path, sizeof(path), "%s/kernel/iommu_groups/%u/devices", sysfs,
		 id);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		struct iommu_group_dev *dev;

		if (e->d_name[0] == '.')
			continue;
		if (g->nr_devices == cap) {
			void *p;

			cap = cap ? cap * 2 : 8;
			p = realloc(g->devices, cap * sizeof(*g->devices));
			if (!p) {
				ret = -ENOMEM;
				break;
			}
			g->devices = p;
		}
		dev = &g->devices[g->nr_devices++];
		memset(dev, 0, sizeof(*dev));
		snprintf(dev->name, sizeof(dev->name), "%s", e->d_name);
		dev->is_pci = !pci_addr__parse(dev->name, &dev->addr);
		ret = sysfs_link_name(
			sysfs, dev->driver, sizeof(dev->driver),
			"kernel/iommu_groups/%u/devices/%s/driver", id,
			dev->name);
		if (ret && ret != -ENOENT)
			break;
		ret = 0;
		dev->bridge = dev->is_pci && is_bridge(sysfs, id, dev->name);
	}
	closedir(d);
	if (ret) {
		iommu_group__release(g);
		return ret;
	}
	if (g->nr_devices)
		qsort(g->devices, g->nr_devices, sizeof(*g->devices), by_name);
	return 0;
}

void iommu_group__release(struct iommu_group *g)
{
	free(g->devices);
	g->devices = NULL;
	g->nr_devices = 0;
}

int iommu_group__viable(const struct iommu_group *g, int *nr_blocking)
{
	int i, n = 0;

	for (i = 0; i < g->nr_devices; i++)
		n += iommu_group_dev__blocks(&g->devices[i]);
	if (nr_blocking)
		*nr_blocking = n;
	return n ? -EBUSY : 0;
}

void iommu_group__describe_blockers(const struct iommu_group *g, char *buf,
				    size_t len)
{
	size_t used = 0;
	int i, n;

	buf[0] = '\0';
	for (i = 0; i < g->nr_devices && used < len; i++) {
		const struct iommu_group_dev *d = &g->devices[i];

		if (!iommu_group_dev__blocks(d))
			continue;
		if (d->is_pci)
			n = snprintf(
				buf + used, len - used,
				"%s%s is bound to %s (free it with `triovm vfio bind %s`)",
				used ? "; " : "", d->name, d->driver, d->name);
		else
			n = snprintf(buf + used, len - used,
				     "%s%s is bound to %s (unbind it from %s)",
				     used ? "; " : "", d->name, d->driver,
				     d->driver);
		if (n < 0)
			break;
		used += n;
	}
}
