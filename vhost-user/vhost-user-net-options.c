// SPDX-License-Identifier: GPL-2.0
/* `--net vhost-user,socket=PATH[,client][,mac=MAC][,queues=N]`, checked. */
#include <errno.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/options.h"
#include "vhost-user-net.h"

int vhost_user_net__parse_cfg(char *spec, int index,
			      struct vhost_user_net_cfg *cfg)
{
	char *cur = spec, *key, *value;
	unsigned long long n;

	memset(cfg, 0, sizeof(*cfg));
	net__default_mac(index, cfg->mac);
	cfg->pairs = 1;
	while (kv_next(&cur, &key, &value)) {
		if (!strcmp(key, "socket")) {
			if (!value || !*value) {
				pr_err("--net vhost-user: socket= needs a path");
				return -EINVAL;
			}
			if (strlen(value) >= sizeof(cfg->path)) {
				pr_err("--net vhost-user: socket path '%s' is longer than %zu bytes",
				       value, sizeof(cfg->path) - 1);
				return -EINVAL;
			}
			strcpy(cfg->path, value);
		} else if (!strcmp(key, "client")) {
			if (value) {
				pr_err("--net vhost-user: client takes no value");
				return -EINVAL;
			}
			cfg->client = true;
		} else if (!strcmp(key, "mac")) {
			if (!value || net__parse_mac(value, cfg->mac)) {
				pr_err("--net vhost-user: mac '%s' is not a unicast MAC address (e.g. 52:54:00:12:34:56)",
				       value ? value : "");
				return -EINVAL;
			}
		} else if (!strcmp(key, "queues")) {
			if (!value ||
			    parse_uint(value, 1, VIRTIO_NET_MAX_PAIRS, &n)) {
				pr_err("--net vhost-user: queues must be a number of queue pairs from 1 to %d",
				       VIRTIO_NET_MAX_PAIRS);
				return -EINVAL;
			}
			cfg->pairs = n;
		} else {
			pr_err("--net vhost-user: unknown key '%s' (socket, client, mac, queues)",
			       key);
			return -EINVAL;
		}
	}
	if (!cfg->path[0]) {
		pr_err("--net vhost-user: socket=PATH is required");
		return -EINVAL;
	}
	return 0;
}
