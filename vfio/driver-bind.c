// SPDX-License-Identifier: GPL-2.0
/*
 * driver_override binding (Documentation/ABI/testing/sysfs-bus-pci): the
 * override alone binds nothing, so the device is unbound from its driver and
 * the bus is asked to probe it again.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "triovm/driver-bind.h"
#include "triovm/iommu.h"
#include "triovm/log.h"
#include "triovm/sysfs.h"
#include "triovm/vfio.h"

static const char *run_dir(void)
{
	const char *d = getenv("TRIOVM_RUN_DIR");

	return d && *d ? d : TRIOVM_RUN_DIR;
}

int pci_driver__current(const char *sysfs, const struct pci_addr *a, char *buf,
			size_t len)
{
	char bdf[PCI_ADDR_STRLEN];
	int ret;

	pci_addr__format(a, bdf);
	if (!sysfs_exists(sysfs, "bus/pci/devices/%s", bdf))
		return -ENODEV;
	ret = sysfs_link_name(sysfs, buf, len, "bus/pci/devices/%s/driver",
			      bdf);
	if (ret == -ENOENT) {
		buf[0] = '\0';
		return 0;
	}
	return ret;
}

static void remember(const char *bdf, const char *driver)
{
	char path[PATH_MAX];
	FILE *f;

	mkdir(run_dir(), 0755);
	snprintf(path, sizeof(path), "%s/driver-bind", run_dir());
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/driver-bind/%s", run_dir(), bdf);
	f = fopen(path, "w");
	if (!f)
		return; /* unbind will let the kernel choose instead */
	fprintf(f, "%s\n", driver);
	fclose(f);
}

static void recall(const char *bdf, char *driver, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	driver[0] = '\0';
	snprintf(path, sizeof(path), "%s/driver-bind/%s", run_dir(), bdf);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(driver, len, f))
		driver[strcspn(driver, "\n")] = '\0';
	fclose(f);
}

/* Only after the unbind worked: a failed one can then be retried. */
static void forget(const char *bdf)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/driver-bind/%s", run_dir(), bdf);
	unlink(path);
}

int pci_driver__bind(const char *sysfs, const struct pci_addr *a,
		     const char *driver)
{
	char bdf[PCI_ADDR_STRLEN], cur[NAME_MAX + 1], now[NAME_MAX + 1];
	int ret;

	pci_addr__format(a, bdf);
	ret = pci_driver__current(sysfs, a, cur, sizeof(cur));
	if (ret == -ENODEV) {
		pr_err("%s: no such PCI device", bdf);
		return ret;
	}
	if (ret)
		return ret;
	if (!strcmp(cur, driver))
		return 0;
	if (!sysfs_exists(sysfs, "bus/pci/drivers/%s", driver)) {
		pr_err("%s: driver %s is not loaded (modprobe %s)", bdf, driver,
		       driver);
		return -ENOENT;
	}
	ret = sysfs_write(sysfs, driver, "bus/pci/devices/%s/driver_override",
			  bdf);
	if (ret) {
		pr_err("%s: cannot set driver_override: %s", bdf,
		       strerror(-ret));
		return ret;
	}
	if (*cur) {
		ret = sysfs_write(sysfs, bdf,
				  "bus/pci/devices/%s/driver/unbind", bdf);
		if (ret) {
			pr_err("%s: cannot unbind it from %s: %s", bdf, cur,
			       strerror(-ret));
			goto undo;
		}
	}
	/* drivers_probe fails with the probe's error when the driver refuses. */
	ret = sysfs_write(sysfs, bdf, "bus/pci/drivers_probe");
	if (!pci_driver__current(sysfs, a, now, sizeof(now)) &&
	    !strcmp(now, driver)) {
		remember(bdf, cur);
		return 0;
	}
	pr_err("%s: %s did not take the device%s%s", bdf, driver,
	       ret ? ": " : "", ret ? strerror(-ret) : "");
	ret = ret ? ret : -EIO;
undo:
	sysfs_write(sysfs, "\n", "bus/pci/devices/%s/driver_override", bdf);
	if (*cur)
		sysfs_write(sysfs, bdf, "bus/pci/drivers/%s/bind", cur);
	return ret;
}

int pci_driver__unbind(const char *sysfs, const struct pci_addr *a)
{
	char bdf[PCI_ADDR_STRLEN], cur[NAME_MAX + 1], orig[NAME_MAX + 1];
	int ret;

	pci_addr__format(a, bdf);
	ret = pci_driver__current(sysfs, a, cur, sizeof(cur));
	if (ret == -ENODEV) {
		pr_err("%s: no such PCI device", bdf);
		return ret;
	}
	if (ret)
		return ret;
	/*
	 * vfio-pci's remove waits until the group's user lets go, so unbinding
	 * a device a guest holds would hang: refuse instead.
	 */
	if (iommu_driver__vfio(cur) && vfio_group__busy(sysfs, a, bdf))
		return -EBUSY;
	recall(bdf, orig, sizeof(orig));
	/* An empty override ("\n") clears it. */
	ret = sysfs_write(sysfs, "\n", "bus/pci/devices/%s/driver_override",
			  bdf);
	if (ret) {
		pr_err("%s: cannot clear driver_override: %s", bdf,
		       strerror(-ret));
		return ret;
	}
	if (*cur) {
		ret = sysfs_write(sysfs, bdf,
				  "bus/pci/devices/%s/driver/unbind", bdf);
		if (ret) {
			pr_err("%s: cannot unbind it from %s: %s (is it in use?)",
			       bdf, cur, strerror(-ret));
			return ret;
		}
	}
	forget(bdf);
	if (*orig && sysfs_exists(sysfs, "bus/pci/drivers/%s", orig) &&
	    !sysfs_write(sysfs, bdf, "bus/pci/drivers/%s/bind", orig))
		return 0;
	/* No driver remembered (or it refused): let the kernel match one. */
	sysfs_write(sysfs, bdf, "bus/pci/drivers_probe");
	return 0;
}
