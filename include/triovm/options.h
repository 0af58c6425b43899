/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TRIOVM_OPTIONS_H
#define TRIOVM_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define OPT_MAX_NETS 8
#define OPT_MAX_DEVICES 16

enum console_mode { CONSOLE_SERIAL, CONSOLE_NONE };

/* `triovm run`'s command line, checked but not yet acted on. */
struct vm_options {
	const char *kernel;
	const char *initrd;
	const char *cmdline;
	uint64_t ram_size;
	bool hugepages;
	int nr_cpus;
	enum console_mode console;
	const char *stats_path;
	/* Repeatable options, validated by the subsystem that owns them. */
	const char *nets[OPT_MAX_NETS];
	int nr_nets;
	const char *devices[OPT_MAX_DEVICES];
	int nr_devices;
};

/*
 * Parse `triovm run`'s arguments (argv[0] is "run"). Returns 0 on success, 1
 * when --help was printed, or -EINVAL after printing one line saying what is
 * wrong.
 */
int vm_options__parse(struct vm_options *o, int argc, char **argv);
void vm_options__usage(FILE *f);

/* "512M", "2G", "1048576": 0 or -EINVAL. K/M/G/T are binary multiples. */
int parse_size(const char *s, uint64_t *out);
/* A whole decimal number in [min, max]: 0 or -EINVAL. */
int parse_uint(const char *s, unsigned long long min, unsigned long long max,
	       unsigned long long *out);

/*
 * Split "kind,key=value,flag,..." one item at a time: returns the next item
 * (NUL-terminated in place), sets *key and *value (value NULL for a bare
 * flag), advances *cursor, and returns NULL at the end.
 */
char *kv_next(char **cursor, char **key, char **value);

#endif
