// SPDX-License-Identifier: GPL-2.0
/* A sysfs tree for tests; see fake-sysfs.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake-sysfs.h"

static void mkdirs(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mkdirs(const char *fmt, ...)
{
	char path[PATH_MAX], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
}

static void put(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void link_to(const char *target, const char *path)
{
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
}

char *fake_sysfs__new(void)
{
	const char *tmp = getenv("TMPDIR");
	char *root = malloc(PATH_MAX);

	assert_non_null(root);
	snprintf(root, PATH_MAX, "%s/triovm-sysfs.XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(root));
	mkdirs("%s/bus/pci/devices", root);
	mkdirs("%s/bus/pci/drivers", root);
	mkdirs("%s/devices/pci0000:00", root);
	return root;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

void fake_sysfs__remove(char *root)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

void fake_sysfs__group(const char *root, unsigned int group,
		       const char *reserved_regions)
{
	char path[PATH_MAX];
	const char *rr = reserved_regions ?
				 reserved_regions :
				 "0x00000000fee00000 0x00000000feefffff msi\n";

	mkdirs("%s/kernel/iommu_groups/%u/devices", root, group);
	snprintf(path, sizeof(path),
		 "%s/kernel/iommu_groups/%u/reserved_regions", root, group);
	put(path, rr, strlen(rr));
}

void fake_sysfs__no_iommu(const char *root)
{
	mkdirs("%s/kernel/iommu_groups", root);
}

void fake_sysfs__driver(const char *root, const char *name)
{
	mkdirs("%s/bus/pci/drivers/%s", root, name);
}

void fake_sysfs__pci_dev(const char *root, const char *bdf, uint32_t class,
			 const char *driver, int group)
{
	char dev[PATH_MAX], path[PATH_MAX + 64], target[PATH_MAX + 64];
	uint8_t config[64] = { 0 };
	char text[32];

	snprintf(dev, sizeof(dev), "%s/devices/pci0000:00/%s", root, bdf);
	mkdirs("%s", dev);
	snprintf(path, sizeof(path), "%s/class", dev);
	snprintf(text, sizeof(text), "0x%06x\n", class);
	put(path, text, strlen(text));
	config[0x0a] = class >> 8;
	config[0x0b] = class >> 16;
	config[0x0e] = (class >> 8) == 0x0604 ? 1 : 0;
	snprintf(path, sizeof(path), "%s/config", dev);
	put(path, config, sizeof(config));
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", root, bdf);
	link_to(dev, path);
	if (driver && *driver) {
		fake_sysfs__driver(root, driver);
		snprintf(target, sizeof(target), "%s/bus/pci/drivers/%s", root,
			 driver);
		snprintf(path, sizeof(path), "%s/driver", dev);
		link_to(target, path);
	}
	if (group >= 0) {
		snprintf(target, sizeof(target), "%s/kernel/iommu_groups/%d",
			 root, group);
		if (access(target, F_OK))
			fake_sysfs__group(root, group, NULL);
		snprintf(path, sizeof(path), "%s/iommu_group", dev);
		link_to(target, path);
		snprintf(path, sizeof(path),
			 "%s/kernel/iommu_groups/%d/devices/%s", root, group,
			 bdf);
		link_to(dev, path);
	}
}

static int saved_stderr = -1;
static FILE *capture;

void stderr_capture__begin(void)
{
	fflush(stderr);
	capture = tmpfile();
	assert_non_null(capture);
	saved_stderr = dup(2);
	dup2(fileno(capture), 2);
}

const char *stderr_capture__end(char *buf, size_t len)
{
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(capture);
	n = fread(buf, 1, len - 1, capture);
	buf[n] = '\0';
	fclose(capture);
	/* Show it anyway, on stderr: TAP on stdout stays clean. */
	fputs(buf, stderr);
	return buf;
}

int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}
