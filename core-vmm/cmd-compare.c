// SPDX-License-Identifier: GPL-2.0
/*
 * `triovm compare`: the three I/O modes side by side, on triovm and on QEMU.
 * The orchestration (guests, backends, traffic, counters, table, JSON and
 * chart) is bench/compare/triovm-compare.py; this finds it and hands over,
 * telling it where this triovm's build folder is.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triovm/commands.h"
#include "triovm/exit-status.h"
#include "triovm/log.h"

#ifndef TRIOVM_SOURCE_DIR
#define TRIOVM_SOURCE_DIR "."
#endif
#define COMPARE_SCRIPT "/bench/compare/triovm-compare.py"

int cmd_compare(int argc, char **argv)
{
	char exe[PATH_MAX], script[PATH_MAX];
	const char *env = getenv("TRIOVM_COMPARE_SCRIPT");
	char **args;
	ssize_t n;
	int i;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0) {
		pr_err("compare: cannot find triovm's own path: %s",
		       strerror(errno));
		return EXIT_BAD_INPUT;
	}
	exe[n] = '\0';
	snprintf(script, sizeof(script), "%s",
		 env && *env ? env : TRIOVM_SOURCE_DIR COMPARE_SCRIPT);
	if (access(script, R_OK)) {
		pr_err("compare: %s is missing (set TRIOVM_COMPARE_SCRIPT)",
		       script);
		return EXIT_BAD_INPUT;
	}
	/* python3 SCRIPT --build-dir DIR(triovm) ARGS... */
	args = calloc(argc + 5, sizeof(*args));
	if (!args)
		return EXIT_VMM_ERROR;
	args[0] = "python3";
	args[1] = script;
	args[2] = "--build-dir";
	args[3] = dirname(exe);
	for (i = 1; i < argc; i++)
		args[3 + i] = argv[i];
	execvp("python3", args);
	pr_err("compare: cannot run python3: %s (apt-get install python3)",
	       strerror(errno));
	free(args);
	return EXIT_BAD_INPUT;
}
