// SPDX-License-Identifier: GPL-2.0
/* `--device vfio,host=DDDD:BB:DD.F`: which host devices a VM gets. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/options.h"
#include "triovm/vfio.h"

#define SPEC_USAGE "vfio,host=DDDD:BB:DD.F"

static int parse(char *cur, const char *spec, struct vfio_device_spec *out)
{
	char *key, *value;
	bool have_host = false;

	if (!kv_next(&cur, &key, &value)) {
		pr_err("--device needs a value (%s)", SPEC_USAGE);
		return -EINVAL;
	}
	if (value || strcmp(key, "vfio")) {
		pr_err("--device '%s': unknown kind '%s' (expected %s)", spec,
		       key, SPEC_USAGE);
		return -EINVAL;
	}
	while (kv_next(&cur, &key, &value)) {
		if (strcmp(key, "host")) {
			pr_err("--device '%s': unknown setting '%s' (expected %s)",
			       spec, key, SPEC_USAGE);
			return -EINVAL;
		}
		if (have_host) {
			pr_err("--device '%s': host= is given twice", spec);
			return -EINVAL;
		}
		if (!value || pci_addr__parse(value, &out->host)) {
			pr_err("--device '%s': '%s' is not a PCI address (DDDD:BB:DD.F, as lspci -D prints it)",
			       spec, value ? value : "");
			return -EINVAL;
		}
		have_host = true;
	}
	if (!have_host) {
		pr_err("--device '%s': host= is required (%s)", spec,
		       SPEC_USAGE);
		return -EINVAL;
	}
	return 0;
}

int vfio_device_spec__parse(const char *spec, struct vfio_device_spec *out)
{
	char *copy;
	int ret;

	memset(out, 0, sizeof(*out));
	copy = strdup(spec ? spec : "");
	if (!copy)
		return -ENOMEM;
	ret = parse(copy, spec ? spec : "", out);
	free(copy);
	return ret;
}

int vfio_device_specs__parse(const char *const *specs, int n,
			     struct vfio_device_spec *out, int max)
{
	char bdf[PCI_ADDR_STRLEN];
	int i, j, ret;

	if (n > max) {
		pr_err("--device: at most %d devices", max);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		ret = vfio_device_spec__parse(specs[i], &out[i]);
		if (ret)
			return ret;
		for (j = 0; j < i; j++) {
			if (pci_addr__equal(&out[i].host, &out[j].host)) {
				pr_err("--device: %s is given twice",
				       pci_addr__format(&out[i].host, bdf));
				return -EINVAL;
			}
		}
	}
	return n;
}
