// SPDX-License-Identifier: GPL-2.0
/*
 * Finding SR-IOV physical functions: libpci enumerates the devices and finds
 * the SR-IOV extended capability (pci_find_cap with PCI_CAP_EXTENDED); the
 * capability's fields are decoded from the same config bytes; sysfs adds what
 * only the kernel knows (the VFs it created, drivers, IOMMU groups).
 */
#include <errno.h>
#include <limits.h>
#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triovm/log.h"
#include "triovm/sriov.h"
#include "sriov-internal.h"

/*
 * libpci's error callback must not return; it jumps back to the scan that
 * called it. Thread-local: one scan per thread at a time.
 */
static __thread jmp_buf *scan_abort;

static void PCI_NONRET pci_fatal(char *msg, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, msg);
	vsnprintf(buf, sizeof(buf), msg, ap);
	va_end(ap);
	pr_err("libpci: %s", buf);
	longjmp(*scan_abort, 1);
}

static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

static int add_pf(struct sriov_pf **pfs, int *nr, const struct sriov_pf *pf)
{
	struct sriov_pf *p = realloc(*pfs, (*nr + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	p[*nr] = *pf;
	*pfs = p;
	(*nr)++;
	return 0;
}

int sriov__discover(const char *sysfs, struct sriov_pf **pfs, int *nr)
{
	char path[PATH_MAX];
	struct pci_access *pacc;
	struct pci_dev *d;
	jmp_buf jb;
	volatile int ret = 0;

	*pfs = NULL;
	*nr = 0;
	pacc = pci_alloc();
	if (!pacc)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/bus/pci", sysfs);
	pci_set_param(pacc, "sysfs.path", path);
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	pacc->error = pci_fatal;
	pacc->warning = pci_quiet;
	pacc->debug = pci_quiet;
	scan_abort = &jb;
	if (setjmp(jb)) {
		pci_cleanup(pacc);
		sriov__free_pfs(*pfs, *nr);
		*pfs = NULL;
		*nr = 0;
		return -EIO;
	}
	pci_init(pacc);
	pci_scan_bus(pacc);
	for (d = pacc->devices; d && !ret; d = d->next) {
		uint8_t cfg[4096]; /* PCIe config space */
		struct sriov_pf pf;

		pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_EXT_CAPS);
		if (!pci_find_cap(d, PCI_EXT_CAP_ID_SRIOV, PCI_CAP_EXTENDED))
			continue;
		memset(&pf, 0, sizeof(pf));
		pf.addr.domain = d->domain;
		pf.addr.bus = d->bus;
		pf.addr.slot = d->dev;
		pf.addr.func = d->func;
		pf.vendor = d->vendor_id;
		pf.device = d->device_id;
		if (!pci_read_block(d, 0, cfg, sizeof(cfg)) ||
		    sriov_cap__parse(cfg, sizeof(cfg), &pf.cap))
			continue;
		/* libpci sees the capability; the kernel may not drive it. */
		if (sriov_sysfs__fill(sysfs, &pf))
			continue;
		ret = add_pf(pfs, nr, &pf);
	}
	pci_cleanup(pacc);
	return ret;
}

void sriov__free_pfs(struct sriov_pf *pfs, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		free(pfs[i].vfs);
	free(pfs);
}

int sriov__get_pf(const char *sysfs, const struct pci_addr *a,
		  struct sriov_pf *pf)
{
	struct sriov_pf *pfs;
	char bdf[PCI_ADDR_STRLEN];
	int nr, i, ret;

	pci_addr__format(a, bdf);
	ret = sriov__discover(sysfs, &pfs, &nr);
	if (ret)
		return ret;
	ret = -EOPNOTSUPP;
	for (i = 0; i < nr; i++) {
		if (pci_addr__equal(&pfs[i].addr, a)) {
			*pf = pfs[i];
			pfs[i].vfs = NULL;
			ret = 0;
		}
	}
	sriov__free_pfs(pfs, nr);
	if (ret == -EOPNOTSUPP) {
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/bus/pci/devices/%s", sysfs, bdf);
		if (access(p, F_OK))
			ret = -ENODEV;
	}
	return ret;
}
