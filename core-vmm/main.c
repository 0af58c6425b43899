// SPDX-License-Identifier: GPL-2.0
/* triovm's entry point: global options and the subcommand table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/commands.h"
#include "triovm/exit-status.h"
#include "triovm/log.h"
#include "triovm/version.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "run", cmd_run, "boot a Linux guest on KVM" },
	{ "vfio", cmd_vfio,
	  "bind host PCI devices to vfio-pci for passthrough" },
	{ "sriov", cmd_sriov, "manage SR-IOV physical and virtual functions" },
	{ "compare", cmd_compare,
	  "the three I/O modes side by side, on triovm and QEMU" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: triovm [-v|-q] COMMAND [ARGS...]\n"
		"\n"
		"A virtual machine monitor on KVM with three I/O paths: emulated devices,\n"
		"vhost-user paravirtual devices and VFIO passthrough.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n"
		   "Options:\n"
		   "  -v, --verbose  more messages (debug)\n"
		   "  -q, --quiet    errors only\n"
		   "  -h, --help     this text\n"
		   "  -V, --version  the version\n"
		   "\n"
		   "`triovm COMMAND --help` describes each command.\n");
}

int main(int argc, char **argv)
{
	const char *env = getenv("TRIOVM_LOG");
	size_t i;
	int argi = 1;

	if (env && !strcmp(env, "debug"))
		log_set_level(LOG_DEBUG);
	for (; argi < argc && argv[argi][0] == '-'; argi++) {
		const char *a = argv[argi];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("triovm %s\n", TRIOVM_VERSION);
			return 0;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			log_set_level(LOG_DEBUG);
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			log_set_level(LOG_ERR);
		} else {
			pr_err("unknown option '%s' (see triovm --help)", a);
			return EXIT_BAD_INPUT;
		}
	}
	if (argi == argc) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[argi], commands[i].name))
			return commands[i].fn(argc - argi, argv + argi);
	pr_err("unknown command '%s' (see triovm --help)", argv[argi]);
	return EXIT_BAD_INPUT;
}
