// SPDX-License-Identifier: GPL-2.0
/* Parsing and printing host PCI addresses. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "triovm/pci-addr.h"

static int hex(const char *s, size_t n, unsigned int max, unsigned int *out)
{
	unsigned int v = 0;
	size_t i;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -EINVAL;
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int pci_addr__parse(const char *s, struct pci_addr *a)
{
	unsigned int dom = 0, bus, slot, func;
	const char *c1, *c2, *dot;

	if (!s)
		return -EINVAL;
	c1 = strchr(s, ':');
	if (!c1)
		return -EINVAL;
	c2 = strchr(c1 + 1, ':');
	if (c2) {
		if (hex(s, c1 - s, 0xffff, &dom) || c1 - s != 4)
			return -EINVAL;
		s = c1 + 1;
		c1 = c2;
	}
	dot = strchr(c1 + 1, '.');
	if (!dot || c1 - s != 2 || dot - c1 - 1 != 2 || strlen(dot + 1) != 1)
		return -EINVAL;
	if (hex(s, 2, 0xff, &bus) || hex(c1 + 1, 2, 0x1f, &slot) ||
	    hex(dot + 1, 1, 7, &func))
		return -EINVAL;
	a->domain = dom;
	a->bus = bus;
	a->slot = slot;
	a->func = func;
	return 0;
}

const char *pci_addr__format(const struct pci_addr *a, char *buf)
{
	snprintf(buf, PCI_ADDR_STRLEN, "%04x:%02x:%02x.%x", a->domain, a->bus,
		 a->slot, a->func);
	return buf;
}

uint16_t pci_addr__rid(const struct pci_addr *a)
{
	return (uint16_t)(a->bus << 8 | a->slot << 3 | a->func);
}

struct pci_addr pci_addr__from_rid(uint16_t domain, uint16_t rid)
{
	struct pci_addr a = {
		.domain = domain,
		.bus = rid >> 8,
		.slot = (rid >> 3) & 0x1f,
		.func = rid & 7,
	};

	return a;
}

bool pci_addr__equal(const struct pci_addr *a, const struct pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus &&
	       a->slot == b->slot && a->func == b->func;
}
