// SPDX-License-Identifier: GPL-2.0
/* `triovm sriov`: list, enable/disable, bind/unbind, set/show VF settings. */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/commands.h"
#include "triovm/driver-bind.h"
#include "triovm/exit-status.h"
#include "triovm/json.h"
#include "triovm/log.h"
#include "triovm/options.h"
#include "triovm/sriov.h"
#include "triovm/sysfs.h"
#include "triovm/util.h"

static void usage(FILE *f)
{
	fputs("usage: triovm sriov COMMAND ...\n"
	      "\n"
	      "  list [--json]                   SR-IOV physical functions and their VFs\n"
	      "  enable PF N [--no-autoprobe] [--force]\n"
	      "                                  create N VFs (through 0 if N changes)\n"
	      "  disable PF [--force]            remove the VFs (refused while one is in use;\n"
	      "                                  --force: even if bound to vfio-pci, and a\n"
	      "                                  triovm guest holding one is stopped)\n"
	      "  bind VF [DRIVER]                give the VF to DRIVER (default vfio-pci)\n"
	      "  unbind VF                       give it back to the driver it had\n"
	      "  set PF VF ATTR=VALUE...         mac= vlan= qos= spoofchk=on|off trust=on|off\n"
	      "                                  link=auto|enable|disable rate=MIN:MAX (Mb/s)\n"
	      "  show PF [--json]                the VFs' settings, as the driver reports them\n"
	      "\n"
	      "PF is a PCI address (DDDD:BB:DD.F) or, for set/show, the PF's network\n"
	      "interface; VF is a VF index or a PCI address. Exit status 2 on bad input.\n",
	      f);
}

static int parse_addr(const char *s, struct pci_addr *a, const char *what)
{
	if (pci_addr__parse(s, a)) {
		pr_err("'%s' is not a PCI address (DDDD:BB:DD.F) for the %s", s,
		       what);
		return -EINVAL;
	}
	return 0;
}

static void print_mac(char *buf, const uint8_t *m)
{
	sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		m[4], m[5]);
}

static int cmd_list(int argc, char **argv)
{
	bool json = argc > 1 && !strcmp(argv[1], "--json");
	char bdf[PCI_ADDR_STRLEN], vbdf[PCI_ADDR_STRLEN];
	struct sriov_pf *pfs;
	int nr, i, k, ret;

	if (argc > 1 + json) {
		pr_err("list takes only --json");
		return EXIT_BAD_INPUT;
	}
	ret = sriov__discover(SYSFS_ROOT, &pfs, &nr);
	if (ret) {
		pr_err("cannot scan PCI devices: %s", strerror(-ret));
		return EXIT_BAD_INPUT;
	}
	if (json) {
		struct json j;

		json_init(&j, stdout, true);
		json_array_begin(&j, NULL);
		for (i = 0; i < nr; i++) {
			struct sriov_pf *p = &pfs[i];

			json_object_begin(&j, NULL);
			json_string(&j, "pf", pci_addr__format(&p->addr, bdf));
			json_u64(&j, "vendor", p->vendor);
			json_u64(&j, "device", p->device);
			json_string(&j, "driver", p->driver);
			json_u64(&j, "total_vfs", p->cap.total_vfs);
			json_u64(&j, "initial_vfs", p->cap.initial_vfs);
			json_u64(&j, "num_vfs", p->sysfs_num);
			json_u64(&j, "vf_offset", p->cap.vf_offset);
			json_u64(&j, "vf_stride", p->cap.vf_stride);
			json_u64(&j, "vf_device", p->cap.vf_device);
			json_bool(&j, "drivers_autoprobe", p->autoprobe);
			json_array_begin(&j, "netdevs");
			for (k = 0; k < p->nr_netdevs; k++)
				json_string(&j, NULL, p->netdevs[k]);
			json_array_end(&j);
			json_array_begin(&j, "vfs");
			for (k = 0; k < p->nr_vfs; k++) {
				json_object_begin(&j, NULL);
				json_u64(&j, "index", p->vfs[k].index);
				json_string(&j, "address",
					    pci_addr__format(&p->vfs[k].addr,
							     vbdf));
				json_string(&j, "driver", p->vfs[k].driver);
				json_i64(&j, "iommu_group",
					 p->vfs[k].iommu_group);
				json_object_end(&j);
			}
			json_array_end(&j);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_finish(&j);
	} else {
		printf("%-13s %-9s %-10s %5s %5s %6s %6s %-6s %s\n", "PF", "ID",
		       "DRIVER", "TOTAL", "VFS", "OFFSET", "STRIDE", "VF-ID",
		       "NETDEV");
		for (i = 0; i < nr; i++) {
			struct sriov_pf *p = &pfs[i];

			printf("%-13s %04x:%04x %-10s %5u %5u %6u %6u %04x   %s\n",
			       pci_addr__format(&p->addr, bdf), p->vendor,
			       p->device, p->driver[0] ? p->driver : "-",
			       p->cap.total_vfs, p->sysfs_num, p->cap.vf_offset,
			       p->cap.vf_stride, p->cap.vf_device,
			       p->nr_netdevs ? p->netdevs[0] : "-");
			for (k = 0; k < p->nr_vfs; k++)
				printf("  VF %-3u %-13s driver %-10s iommu group %d\n",
				       p->vfs[k].index,
				       pci_addr__format(&p->vfs[k].addr, vbdf),
				       p->vfs[k].driver[0] ? p->vfs[k].driver :
							     "-",
				       p->vfs[k].iommu_group);
		}
		if (!nr)
			printf("(no SR-IOV capable devices)\n");
	}
	sriov__free_pfs(pfs, nr);
	return 0;
}

static int cmd_enable(int argc, char **argv)
{
	bool autoprobe = true, force = false;
	unsigned long long n;
	struct pci_addr pf;
	int i;

	if (argc < 3) {
		pr_err("usage: triovm sriov enable PF N [--no-autoprobe] [--force]");
		return EXIT_BAD_INPUT;
	}
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--no-autoprobe"))
			autoprobe = false;
		else if (!strcmp(argv[i], "--force"))
			force = true;
		else {
			pr_err("enable: unknown option '%s'", argv[i]);
			return EXIT_BAD_INPUT;
		}
	}
	if (parse_addr(argv[1], &pf, "PF"))
		return EXIT_BAD_INPUT;
	if (parse_uint(argv[2], 1, 65535, &n)) {
		pr_err("'%s' is not a number of VFs (to remove them: triovm sriov disable PF)",
		       argv[2]);
		return EXIT_BAD_INPUT;
	}
	return sriov__enable(SYSFS_ROOT, &pf, n, autoprobe, force) ?
		       EXIT_BAD_INPUT :
		       0;
}

static int cmd_disable(int argc, char **argv)
{
	bool force = argc == 3 && !strcmp(argv[2], "--force");
	struct pci_addr pf;

	if (argc < 2 || argc > 3 || (argc == 3 && !force)) {
		pr_err("usage: triovm sriov disable PF [--force]");
		return EXIT_BAD_INPUT;
	}
	if (parse_addr(argv[1], &pf, "PF"))
		return EXIT_BAD_INPUT;
	return sriov__disable(SYSFS_ROOT, &pf, force) ? EXIT_BAD_INPUT : 0;
}

static int check_vf(const char *s, struct pci_addr *vf)
{
	struct pci_addr pf;
	unsigned int idx;
	char bdf[PCI_ADDR_STRLEN];
	int ret;

	if (parse_addr(s, vf, "VF"))
		return -EINVAL;
	ret = sriov__vf_pf(SYSFS_ROOT, vf, &pf, &idx);
	if (ret == -ENOENT)
		pr_err("%s: no such PCI device", pci_addr__format(vf, bdf));
	else if (ret)
		pr_err("%s is not an SR-IOV virtual function (no physfn)",
		       pci_addr__format(vf, bdf));
	return ret;
}

static int cmd_bind(int argc, char **argv, bool bind)
{
	struct pci_addr vf;

	if (argc < 2 || argc > (bind ? 3 : 2)) {
		pr_err(bind ? "usage: triovm sriov bind VF [DRIVER]" :
			      "usage: triovm sriov unbind VF");
		return EXIT_BAD_INPUT;
	}
	if (check_vf(argv[1], &vf))
		return EXIT_BAD_INPUT;
	if (bind)
		return pci_driver__bind(SYSFS_ROOT, &vf,
					argc == 3 ? argv[2] : "vfio-pci") ?
			       EXIT_BAD_INPUT :
			       0;
	return pci_driver__unbind(SYSFS_ROOT, &vf) ? EXIT_BAD_INPUT : 0;
}

/*
 * PF as a netdev name, or as a BDF with one netdev. *pf_is_pci is false for
 * a PF that is not a PCI function (netdevsim): then only VF indices work.
 */
static int pf_netdev(const char *s, char *ifname, struct pci_addr *pf,
		     bool *pf_is_pci, char *driver, size_t dlen)
{
	char link[64];
	struct pci_addr a;

	driver[0] = '\0';
	if (!pci_addr__parse(s, &a)) {
		struct sriov_pf p;
		int ret;

		memset(&p, 0, sizeof(p));
		ret = sriov__get_pf(SYSFS_ROOT, &a, &p);
		if (ret) {
			pr_err("%s is not an SR-IOV physical function", s);
			free(p.vfs);
			return -ENODEV;
		}
		free(p.vfs);
		if (!p.nr_netdevs) {
			pr_err("%s has no network interface: VF settings need a NIC's PF",
			       s);
			return -ENODEV;
		}
		strcpy(ifname, p.netdevs[0]);
		*pf = a;
		*pf_is_pci = true;
		snprintf(driver, dlen, "%s", p.driver);
		return 0;
	}
	if (strlen(s) >= IFNAMSIZ || !if_nametoindex(s)) {
		pr_err("'%s' is neither a network interface nor a PCI address",
		       s);
		return -ENODEV;
	}
	strcpy(ifname, s);
	*pf_is_pci = !sysfs_link_name(SYSFS_ROOT, link, sizeof(link),
				      "class/net/%s/device", s) &&
		     !pci_addr__parse(link, pf);
	sysfs_link_name(SYSFS_ROOT, driver, dlen, "class/net/%s/device/driver",
			s);
	return 0;
}

static int cmd_set(int argc, char **argv)
{
	char ifname[IFNAMSIZ], driver[64], bdf[PCI_ADDR_STRLEN];
	struct sriov_vf_config want;
	struct pci_addr pf, vf, vfpf;
	unsigned long long idx;
	unsigned int vidx;
	bool pf_is_pci = false;

	if (argc < 4) {
		pr_err("usage: triovm sriov set PF VF ATTR=VALUE...");
		return EXIT_BAD_INPUT;
	}
	if (sriov_vf_config__parse(argc - 3, argv + 3, &want))
		return EXIT_BAD_INPUT;
	if (pf_netdev(argv[1], ifname, &pf, &pf_is_pci, driver, sizeof(driver)))
		return EXIT_BAD_INPUT;
	if (!pci_addr__parse(argv[2], &vf)) {
		if (sriov__vf_pf(SYSFS_ROOT, &vf, &vfpf, &vidx)) {
			pr_err("%s is not an SR-IOV virtual function", argv[2]);
			return EXIT_BAD_INPUT;
		}
		if (!pf_is_pci || !pci_addr__equal(&vfpf, &pf)) {
			pr_err("%s is not the PF of VF %s (its PF is %s)",
			       argv[1], argv[2], pci_addr__format(&vfpf, bdf));
			return EXIT_BAD_INPUT;
		}
		idx = vidx;
	} else if (parse_uint(argv[2], 0, 65535, &idx)) {
		pr_err("'%s' is neither a VF index nor a VF's PCI address",
		       argv[2]);
		return EXIT_BAD_INPUT;
	}
	return sriov_vf__set(ifname, idx, &want, driver) ? EXIT_BAD_INPUT : 0;
}

static const char *link_name(uint32_t l)
{
	return l == SRIOV_LINK_ENABLE  ? "enable" :
	       l == SRIOV_LINK_DISABLE ? "disable" :
					 "auto";
}

static int cmd_show(int argc, char **argv)
{
	bool json = argc == 3 && !strcmp(argv[2], "--json");
	char ifname[IFNAMSIZ], driver[64], mac[18];
	struct sriov_vf_config vfs[256];
	struct pci_addr pf;
	bool pf_is_pci;
	int nr = 0, i;

	if (argc < 2 || argc > 3 || (argc == 3 && !json)) {
		pr_err("usage: triovm sriov show PF [--json]");
		return EXIT_BAD_INPUT;
	}
	if (pf_netdev(argv[1], ifname, &pf, &pf_is_pci, driver,
		      sizeof(driver)) ||
	    sriov_vf__show(ifname, vfs, ARRAY_SIZE(vfs), &nr))
		return EXIT_BAD_INPUT;
	if (json) {
		struct json j;

		json_init(&j, stdout, true);
		json_array_begin(&j, NULL);
		for (i = 0; i < nr; i++) {
			json_object_begin(&j, NULL);
			json_u64(&j, "vf", i);
			print_mac(mac, vfs[i].mac);
			json_string(&j, "mac", mac);
			json_u64(&j, "vlan", vfs[i].vlan);
			json_u64(&j, "qos", vfs[i].qos);
			json_bool(&j, "spoofchk", vfs[i].spoofchk);
			json_bool(&j, "trust", vfs[i].trust);
			json_string(&j, "link", link_name(vfs[i].link));
			json_u64(&j, "min_rate", vfs[i].min_rate);
			json_u64(&j, "max_rate", vfs[i].max_rate);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_finish(&j);
		return 0;
	}
	printf("%s (%s): %d VFs\n", ifname, driver[0] ? driver : "-", nr);
	for (i = 0; i < nr; i++) {
		print_mac(mac, vfs[i].mac);
		printf("  vf %d mac %s vlan %u qos %u spoofchk %s trust %s link %s rate %u:%u\n",
		       i, mac, vfs[i].vlan, vfs[i].qos,
		       vfs[i].spoofchk ? "on" : "off",
		       vfs[i].trust ? "on" : "off", link_name(vfs[i].link),
		       vfs[i].min_rate, vfs[i].max_rate);
	}
	return 0;
}

int cmd_sriov(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(sub, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(sub, "enable"))
		return cmd_enable(argc - 1, argv + 1);
	if (!strcmp(sub, "disable"))
		return cmd_disable(argc - 1, argv + 1);
	if (!strcmp(sub, "bind"))
		return cmd_bind(argc - 1, argv + 1, true);
	if (!strcmp(sub, "unbind"))
		return cmd_bind(argc - 1, argv + 1, false);
	if (!strcmp(sub, "set"))
		return cmd_set(argc - 1, argv + 1);
	if (!strcmp(sub, "show"))
		return cmd_show(argc - 1, argv + 1);
	pr_err("unknown sriov command '%s' (see triovm sriov --help)", sub);
	return EXIT_BAD_INPUT;
}
