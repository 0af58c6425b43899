// SPDX-License-Identifier: GPL-2.0
/* `triovm run`'s command line. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/options.h"
#include "triovm/layout.h"
#include "triovm/util.h"

#define MEM_MAX_ACCEPTED MEM_MAX_SIZE

#define DEFAULT_RAM_SIZE (512 * SZ_1M)
#define DEFAULT_CMDLINE "console=ttyS0"
/*
 * The MADT's Local APIC entries hold 8-bit APIC IDs and 0xff is the
 * broadcast ID. KVM's own limit is checked at VM creation.
 */
#define MAX_CPUS_ACCEPTED 254

void vm_options__usage(FILE *f)
{
	fputs("usage: triovm run --kernel BZIMAGE [OPTIONS]\n"
	      "\n"
	      "Boot a Linux bzImage on KVM.\n"
	      "\n"
	      "  -k, --kernel BZIMAGE     the kernel (Linux x86 boot protocol 2.12 or later)\n"
	      "  -i, --initrd FILE        an initial ramdisk\n"
	      "  -c, --cmdline STR        the kernel command line (default: \"" DEFAULT_CMDLINE
	      "\")\n"
	      "  -m, --memory SIZE[,hugepages=on]\n"
	      "                           guest RAM, e.g. 512M or 2G (default 512M); with\n"
	      "                           hugepages=on it is backed by 2 MiB huge pages\n"
	      "  -p, --cpus N             virtual CPUs (default 1)\n"
	      "      --console serial|none\n"
	      "                           where the guest's COM1 goes (default serial:\n"
	      "                           stdout/stdin; Ctrl-A x quits when stdin is a terminal)\n"
	      "      --net SPEC           a network device (repeatable):\n"
	      "                             e1000,tap=NAME[,mac=MAC]\n"
	      "                             vhost-user,socket=PATH[,client][,mac=MAC][,queues=N]\n"
	      "      --device SPEC        a passed-through device (repeatable):\n"
	      "                             vfio,host=DDDD:BB:DD.F\n"
	      "      --stats FILE         write exit and device statistics as JSON when the VM\n"
	      "                           ends (and on SIGUSR2, for a snapshot)\n"
	      "  -h, --help               this text\n"
	      "\n"
	      "Exit status: 0 guest powered off or rebooted (or SIGINT/SIGTERM, or the host\n"
	      "took a passed-through device back), 1 triovm failed while the guest ran,\n"
	      "2 bad command line or environment, 3 guest panic.\n",
	      f);
}

int parse_uint(const char *s, unsigned long long min, unsigned long long max,
	       unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	uint64_t mult = 1;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = SZ_1K;
		break;
	case 'm':
	case 'M':
		mult = SZ_1M;
		break;
	case 'g':
	case 'G':
		mult = SZ_1G;
		break;
	case 't':
	case 'T':
		mult = SZ_1G * 1024;
		break;
	default:
		return -EINVAL;
	}
	if (*end) {
		end++;
		/* Accept the IEC spelling too: 512MiB, 2GiB, 64KB. */
		if (!strcmp(end, "iB") || !strcmp(end, "B"))
			end += strlen(end);
		if (*end)
			return -EINVAL;
	}
	if (v > UINT64_MAX / mult)
		return -EINVAL;
	*out = v * mult;
	return 0;
}

char *kv_next(char **cursor, char **key, char **value)
{
	char *item = *cursor, *comma, *eq;

	if (!item || !*item)
		return NULL;
	comma = strchr(item, ',');
	if (comma) {
		*comma = '\0';
		*cursor = comma + 1;
	} else {
		*cursor = item + strlen(item);
	}
	eq = strchr(item, '=');
	if (eq) {
		*eq = '\0';
		*value = eq + 1;
	} else {
		*value = NULL;
	}
	*key = item;
	return item;
}

static int parse_memory(struct vm_options *o, const char *arg)
{
	char *copy = strdup(arg), *cur = copy, *key, *value;
	int ret = 0;
	bool first = true;

	if (!copy)
		return -ENOMEM;
	while (kv_next(&cur, &key, &value)) {
		if (first) {
			first = false;
			if (value || parse_size(key, &o->ram_size)) {
				pr_err("--memory: '%s' is not a size (e.g. 512M, 2G)",
				       arg);
				ret = -EINVAL;
				break;
			}
			continue;
		}
		if (!strcmp(key, "hugepages")) {
			if (!value ||
			    (strcmp(value, "on") && strcmp(value, "off"))) {
				pr_err("--memory: hugepages must be on or off");
				ret = -EINVAL;
				break;
			}
			o->hugepages = !strcmp(value, "on");
		} else {
			pr_err("--memory: unknown setting '%s' (expected hugepages=on|off)",
			       key);
			ret = -EINVAL;
			break;
		}
	}
	free(copy);
	if (first) {
		pr_err("--memory needs a size (e.g. 512M, 2G)");
		ret = -EINVAL;
	}
	return ret;
}

enum {
	OPT_CONSOLE = 0x100,
	OPT_NET,
	OPT_DEVICE,
	OPT_STATS,
};

int vm_options__parse(struct vm_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "memory", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'p' },
		{ "console", required_argument, NULL, OPT_CONSOLE },
		{ "net", required_argument, NULL, OPT_NET },
		{ "device", required_argument, NULL, OPT_DEVICE },
		{ "stats", required_argument, NULL, OPT_STATS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long n;
	int c;

	memset(o, 0, sizeof(*o));
	o->ram_size = DEFAULT_RAM_SIZE;
	o->nr_cpus = 1;
	o->console = CONSOLE_SERIAL;
	o->cmdline = DEFAULT_CMDLINE;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:i:c:m:p:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'k':
			o->kernel = optarg;
			break;
		case 'i':
			o->initrd = optarg;
			break;
		case 'c':
			o->cmdline = optarg;
			break;
		case 'm':
			if (parse_memory(o, optarg))
				return -EINVAL;
			break;
		case 'p':
			if (parse_uint(optarg, 1, MAX_CPUS_ACCEPTED, &n)) {
				pr_err("--cpus: '%s' is not a number of CPUs from 1 to %d",
				       optarg, MAX_CPUS_ACCEPTED);
				return -EINVAL;
			}
			o->nr_cpus = (int)n;
			break;
		case OPT_CONSOLE:
			if (!strcmp(optarg, "serial")) {
				o->console = CONSOLE_SERIAL;
			} else if (!strcmp(optarg, "none")) {
				o->console = CONSOLE_NONE;
			} else {
				pr_err("--console: '%s' is not serial or none",
				       optarg);
				return -EINVAL;
			}
			break;
		case OPT_NET:
			if (o->nr_nets == OPT_MAX_NETS) {
				pr_err("--net: at most %d network devices",
				       OPT_MAX_NETS);
				return -EINVAL;
			}
			o->nets[o->nr_nets++] = optarg;
			break;
		case OPT_DEVICE:
			if (o->nr_devices == OPT_MAX_DEVICES) {
				pr_err("--device: at most %d devices",
				       OPT_MAX_DEVICES);
				return -EINVAL;
			}
			o->devices[o->nr_devices++] = optarg;
			break;
		case OPT_STATS:
			o->stats_path = optarg;
			break;
		case 'h':
			vm_options__usage(stdout);
			return 1;
		case ':':
			pr_err("option '%s' needs a value (see triovm run --help)",
			       argv[optind - 1]);
			return -EINVAL;
		default:
			pr_err("unknown option '%s' (see triovm run --help)",
			       argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		pr_err("unexpected argument '%s' (see triovm run --help)",
		       argv[optind]);
		return -EINVAL;
	}
	if (!o->kernel) {
		pr_err("--kernel is required (see triovm run --help)");
		return -EINVAL;
	}
	if (o->ram_size < 64 * SZ_1M) {
		pr_err("--memory: at least 64M is needed to boot Linux");
		return -EINVAL;
	}
	if (o->ram_size > MEM_MAX_ACCEPTED) {
		pr_err("--memory: at most %lluG is supported",
		       (unsigned long long)(MEM_MAX_ACCEPTED / SZ_1G));
		return -EINVAL;
	}
	if (!IS_ALIGNED(o->ram_size, SZ_1M)) {
		pr_err("--memory: the size must be a whole number of MiB");
		return -EINVAL;
	}
	if (o->hugepages && !IS_ALIGNED(o->ram_size, SZ_2M)) {
		pr_err("--memory: with hugepages=on the size must be a multiple of 2M");
		return -EINVAL;
	}
	return 0;
}
