// SPDX-License-Identifier: GPL-2.0
/*
 * `triovm vfio`: move host PCI devices to vfio-pci and back, and check them
 * the way `triovm run --device vfio,host=BDF` does before it builds a VM.
 * `triovm vfio probe BDF... [--ram SIZE] [--dma IOVA,SIZE]...` is a
 * diagnostic left out of the help: it opens the devices as a VM would
 * (guest RAM of SIZE mapped for DMA) and prints what VFIO says.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triovm/commands.h"
#include "triovm/driver-bind.h"
#include "triovm/exit-status.h"
#include "triovm/iommu.h"
#include "triovm/log.h"
#include "triovm/memory.h"
#include "triovm/options.h"
#include "triovm/sysfs.h"
#include "triovm/vfio.h"

#define VFIO_DRIVER "vfio-pci"
#define MAX_ARGS 32

static void usage(FILE *f)
{
	fprintf(f,
		"usage: triovm vfio bind BDF...\n"
		"       triovm vfio unbind BDF...\n"
		"       triovm vfio check BDF...\n"
		"\n"
		"Host PCI devices (DDDD:BB:DD.F, as lspci -D prints them) for\n"
		"`triovm run --device vfio,host=BDF`.\n"
		"\n"
		"  bind    give each device to vfio-pci (driver_override), remembering\n"
		"          the driver it had\n"
		"  unbind  give each device back to the driver it had before bind\n"
		"  check   what `triovm run` checks before it starts: the device exists,\n"
		"          the host has an IOMMU, the device is bound to vfio-pci, its\n"
		"          IOMMU group is viable and not in use\n"
		"\n"
		"Exit status: 0 done, 2 a device or the host is not ready (one line\n"
		"says why), 1 anything else.\n");
}

static int parse_addrs(const char *sub, int argc, char **argv,
		       struct pci_addr *addrs)
{
	int i;

	if (argc < 1) {
		pr_err("triovm vfio %s: which device? (DDDD:BB:DD.F)", sub);
		return -EINVAL;
	}
	if (argc > MAX_ARGS) {
		pr_err("triovm vfio: at most %d devices at once", MAX_ARGS);
		return -EINVAL;
	}
	for (i = 0; i < argc; i++) {
		if (pci_addr__parse(argv[i], &addrs[i])) {
			pr_err("'%s' is not a PCI address (DDDD:BB:DD.F, as lspci -D prints it)",
			       argv[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/* After a bind, say at once if the group still cannot be used. */
static void warn_if_not_viable(const struct pci_addr *a, const char *bdf)
{
	struct iommu_group g;
	unsigned int id;
	char why[768];

	if (iommu__group_of(SYSFS_ROOT, a, &id) ||
	    iommu_group__read(SYSFS_ROOT, id, &g))
		return;
	if (iommu_group__viable(&g, NULL)) {
		iommu_group__describe_blockers(&g, why, sizeof(why));
		pr_warn("%s: its IOMMU group %u is not viable yet: %s", bdf, id,
			why);
	}
	iommu_group__release(&g);
}

static int do_bind(const struct pci_addr *a)
{
	char bdf[PCI_ADDR_STRLEN], was[NAME_MAX + 1];
	unsigned int id;
	int ret;

	pci_addr__format(a, bdf);
	ret = pci_driver__current(SYSFS_ROOT, a, was, sizeof(was));
	if (ret == -ENODEV) {
		pr_err("%s: no such PCI device (lspci -D lists the host's)",
		       bdf);
		return ret;
	}
	/* vfio-pci refuses a device no IOMMU covers: say so first. */
	if (!ret && iommu__group_of(SYSFS_ROOT, a, &id) == -ENOENT) {
		pr_err("%s has no IOMMU group, so vfio-pci cannot take it: the host has no IOMMU (enable VT-d or AMD-Vi, boot with intel_iommu=on)",
		       bdf);
		return -ENODEV;
	}
	ret = pci_driver__bind(SYSFS_ROOT, a, VFIO_DRIVER);
	if (ret)
		return ret;
	if (strcmp(was, VFIO_DRIVER))
		pr_info("%s: bound to %s (was %s)", bdf, VFIO_DRIVER,
			was[0] ? was : "unbound");
	warn_if_not_viable(a, bdf);
	return 0;
}

static int do_unbind(const struct pci_addr *a)
{
	char bdf[PCI_ADDR_STRLEN], cur[NAME_MAX + 1];
	int ret;

	pci_addr__format(a, bdf);
	ret = pci_driver__current(SYSFS_ROOT, a, cur, sizeof(cur));
	if (ret == -ENODEV) {
		pr_err("%s: no such PCI device (lspci -D lists the host's)",
		       bdf);
		return ret;
	}
	if (ret)
		return ret;
	if (!iommu_driver__vfio(cur)) {
		pr_info("%s is not bound to %s (%s%s): nothing to do", bdf,
			VFIO_DRIVER, cur[0] ? "bound to " : "no driver", cur);
		return 0;
	}
	/* pci_driver__unbind refuses while a process holds the group. */
	ret = pci_driver__unbind(SYSFS_ROOT, a);
	if (ret)
		return ret;
	if (!pci_driver__current(SYSFS_ROOT, a, cur, sizeof(cur)))
		pr_info("%s: given back to %s", bdf,
			cur[0] ? cur : "no driver");
	return 0;
}

static int check(int n, const struct pci_addr *addrs)
{
	char bdf[PCI_ADDR_STRLEN];
	unsigned int id;
	int i, ret;

	ret = vfio__preflight(SYSFS_ROOT, VFIO_DEV_DIR, addrs, n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		if (!iommu__group_of(SYSFS_ROOT, &addrs[i], &id))
			printf("%s: ready for passthrough (IOMMU group %u)\n",
			       pci_addr__format(&addrs[i], bdf), id);
	return 0;
}

/* "IOVA,SIZE": 0x-prefixed or decimal IOVA, SIZE as --memory takes it. */
static int parse_dma(const char *arg, struct iova_span *s)
{
	char *end;

	errno = 0;
	s->iova = strtoull(arg, &end, 0);
	if (errno || end == arg || *end != ',' || arg[0] == '-' ||
	    parse_size(end + 1, &s->size) || !s->size) {
		pr_err("--dma '%s': expected IOVA,SIZE (e.g. 0x0,2M)", arg);
		return -EINVAL;
	}
	return 0;
}

static int probe(int argc, char **argv)
{
	struct pci_addr addrs[MAX_ARGS];
	struct iova_span dma[MAX_ARGS];
	struct guest_mem mem;
	char *bdfs[MAX_ARGS];
	uint64_t ram = 0;
	int i, n = 0, nr_dma = 0, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ram")) {
			if (i + 1 == argc || parse_size(argv[++i], &ram) ||
			    !ram) {
				pr_err("--ram needs a size (e.g. 256M)");
				return EXIT_BAD_INPUT;
			}
		} else if (!strcmp(argv[i], "--dma")) {
			if (i + 1 == argc || nr_dma == MAX_ARGS) {
				pr_err("--dma needs IOVA,SIZE");
				return EXIT_BAD_INPUT;
			}
			if (parse_dma(argv[++i], &dma[nr_dma++]))
				return EXIT_BAD_INPUT;
		} else if (n < MAX_ARGS) {
			bdfs[n++] = argv[i];
		} else {
			pr_err("triovm vfio probe: at most %d devices",
			       MAX_ARGS);
			return EXIT_BAD_INPUT;
		}
	}
	if (parse_addrs("probe", n, bdfs, addrs))
		return EXIT_BAD_INPUT;
	if (vfio__preflight(SYSFS_ROOT, VFIO_DEV_DIR, addrs, n))
		return EXIT_BAD_INPUT;
	/* Guest RAM as `triovm run` lays it out, mapped at IOVA = GPA. */
	if (ram && guest_mem__init(&mem, ram, false))
		return EXIT_VMM_ERROR;
	ret = vfio__probe(SYSFS_ROOT, VFIO_DEV_DIR, addrs, n, ram ? &mem : NULL,
			  dma, nr_dma, stdout);
	if (ram)
		guest_mem__exit(&mem);
	return ret ? EXIT_VMM_ERROR : 0;
}

int cmd_vfio(int argc, char **argv)
{
	struct pci_addr addrs[MAX_ARGS];
	const char *sub;
	int i, n, ret = 0;

	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help") ||
	    !strcmp(sub, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(sub, "probe"))
		return probe(argc - 1, argv + 1);
	if (strcmp(sub, "bind") && strcmp(sub, "unbind") &&
	    strcmp(sub, "check")) {
		pr_err("triovm vfio: unknown command '%s' (bind, unbind, check)",
		       sub);
		return EXIT_BAD_INPUT;
	}
	n = argc - 2;
	if (parse_addrs(sub, n, argv + 2, addrs))
		return EXIT_BAD_INPUT;
	if (!strcmp(sub, "check"))
		return check(n, addrs) ? EXIT_BAD_INPUT : 0;
	for (i = 0; i < n && !ret; i++)
		ret = !strcmp(sub, "bind") ? do_bind(&addrs[i]) :
					     do_unbind(&addrs[i]);
	return ret ? EXIT_BAD_INPUT : 0;
}
