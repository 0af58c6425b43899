// SPDX-License-Identifier: GPL-2.0
/* `--net MODEL,...`: the table of network device models. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/net.h"
#include "triovm/vm.h"

extern const struct net_model e1000_net_model;
extern const struct net_model vhost_user_net_model;

/* One line per model; NULL ends the list. */
static const struct net_model *const net_models[] = {
	&e1000_net_model,
	&vhost_user_net_model,
	NULL,
};

int net__parse_mac(const char *s, uint8_t mac[ETH_ALEN])
{
	unsigned int b[ETH_ALEN];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != ETH_ALEN ||
	    strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = b[i];
	/* A NIC's own address must be unicast. */
	return (mac[0] & 1) ? -EINVAL : 0;
}

void net__default_mac(int index, uint8_t mac[ETH_ALEN])
{
	static const uint8_t base[ETH_ALEN] = { 0x52, 0x54, 0x00,
						0x12, 0x34, 0x56 };

	memcpy(mac, base, ETH_ALEN);
	mac[5] = base[5] + index;
}

void vm__add_extra_device(struct vm *vm, struct vm_extra_device *dev)
{
	list_add_tail(&dev->list, &vm->extra_devices);
}

void vm__destroy_extra_devices(struct vm *vm)
{
	struct vm_extra_device *dev, *n;

	list_for_each_entry_safe(dev, n, &vm->extra_devices, list) {
		list_del(&dev->list);
		dev->destroy(dev);
	}
}

int net__parse_all(struct net_configs *nc, const struct vm_options *opts)
{
	int i, j, ret;

	memset(nc, 0, sizeof(*nc));
	for (i = 0; i < opts->nr_nets; i++) {
		char *spec = strdup(opts->nets[i]), *comma;
		const struct net_model *model = NULL;

		if (!spec)
			return -ENOMEM;
		comma = strchr(spec, ',');
		if (comma)
			*comma = '\0';
		for (j = 0; net_models[j]; j++)
			if (!strcmp(spec, net_models[j]->name))
				model = net_models[j];
		if (!model) {
			pr_err("--net %s: unknown model '%s' (e1000 or vhost-user)",
			       opts->nets[i], spec);
			free(spec);
			return -EINVAL;
		}
		ret = model->parse(comma ? comma + 1 : spec + strlen(spec), i,
				   &nc->cfg[i]);
		free(spec);
		if (ret)
			return ret;
		nc->model[i] = model;
		nc->nr = i + 1;
	}
	return 0;
}

void net__free_configs(struct net_configs *nc)
{
	int i;

	for (i = 0; i < nc->nr; i++) {
		if (nc->cfg[i] && nc->model[i]->free_cfg)
			nc->model[i]->free_cfg(nc->cfg[i]);
		nc->cfg[i] = NULL;
	}
	nc->nr = 0;
}

int net__create_all(struct vm *vm, struct net_configs *nc)
{
	int i, ret;

	for (i = 0; i < nc->nr; i++) {
		void *cfg = nc->cfg[i];

		nc->cfg[i] = NULL;
		ret = nc->model[i]->create(vm, cfg, i);
		if (ret)
			return ret;
	}
	return 0;
}
