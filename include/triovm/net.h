/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network devices from `--net MODEL,key=value,...`. Each model (e1000,
 * vhost-user, ...) is one entry in core-vmm/net.c's table; its create
 * function parses its own keys, builds the device and puts it on the PCI bus.
 */
#ifndef TRIOVM_NET_H
#define TRIOVM_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "list.h"
#include "options.h"

struct vm;

#define ETH_ALEN 6

/* A device created from the command line, torn down at VM exit. */
struct vm_extra_device {
	struct list_head list;
	const char *name;
	void (*destroy)(struct vm_extra_device *dev);
};

struct net_model {
	const char *name;
	/*
	 * Check `spec`, the text after "MODEL," (NUL-terminated, modifiable),
	 * into a configuration of the model's own; `index` counts --net
	 * options from 0. Runs before anything touches KVM, so bad input is
	 * reported anywhere. Returns 0 or a negative errno after printing one
	 * line about what is wrong.
	 */
	int (*parse)(char *spec, int index, void **cfg);
	/* Build the device from its configuration; takes ownership of cfg. */
	int (*create)(struct vm *vm, void *cfg, int index);
	/* Free a configuration that was parsed but never created. */
	void (*free_cfg)(void *cfg);
};

/* The --net options, parsed. */
struct net_configs {
	const struct net_model *model[OPT_MAX_NETS];
	void *cfg[OPT_MAX_NETS];
	int nr;
};

int net__parse_all(struct net_configs *nc, const struct vm_options *opts);
void net__free_configs(struct net_configs *nc);
/* Create every parsed --net device (consumes the configurations). */
int net__create_all(struct vm *vm, struct net_configs *nc);
void vm__add_extra_device(struct vm *vm, struct vm_extra_device *dev);
void vm__destroy_extra_devices(struct vm *vm);

/* "52:54:00:12:34:56" -> bytes; 0 or -EINVAL (also for multicast). */
int net__parse_mac(const char *s, uint8_t mac[ETH_ALEN]);
/* A locally administered MAC, stable for this index: 52:54:00:12:34:NN. */
void net__default_mac(int index, uint8_t mac[ETH_ALEN]);

#endif
