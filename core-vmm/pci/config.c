// SPDX-License-Identifier: GPL-2.0
/*
 * Config space as bytes plus per-byte write rules: what is writable, and what
 * clears when written with 1. Everything the guest may not change is simply
 * not in wmask.
 */
#include <string.h>

#include "triovm/pci.h"
#include "triovm/util.h"

void pci_config__init(struct pci_config *c, bool express)
{
	memset(c, 0, sizeof(*c));
	c->size = express ? PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE;
	c->free_cap = PCI_STD_HEADER_SIZEOF; /* 0x40 */
	c->free_ext_cap = PCI_CFG_SPACE_SIZE; /* 0x100 */
	/* An extended list that is empty still has a null header at 0x100. */
}

static bool in_range(const struct pci_config *c, uint32_t off, int len)
{
	return (len == 1 || len == 2 || len == 4) && off < c->size &&
	       off + len <= c->size;
}

uint32_t pci_config__read(const struct pci_config *c, uint32_t off, int len)
{
	uint32_t v = 0;
	int i;

	if (!in_range(c, off, len))
		return len >= 4 ? 0xffffffffU : (1U << (8 * len)) - 1;
	for (i = 0; i < len; i++)
		v |= (uint32_t)c->data[off + i] << (8 * i);
	return v;
}

bool pci_config__write(struct pci_config *c, uint32_t off, uint32_t val,
		       int len)
{
	int i;

	if (!in_range(c, off, len))
		return false;
	for (i = 0; i < len; i++) {
		uint8_t b = val >> (8 * i);
		uint8_t wm = c->wmask[off + i], w1c = c->w1cmask[off + i];
		uint8_t old = c->data[off + i];

		c->data[off + i] = ((old & ~wm) | (b & wm)) & ~(b & w1c);
	}
	return true;
}

void pci_config__set8(struct pci_config *c, uint32_t off, uint8_t v)
{
	if (off < sizeof(c->data))
		c->data[off] = v;
}

void pci_config__set16(struct pci_config *c, uint32_t off, uint16_t v)
{
	pci_config__set8(c, off, v);
	pci_config__set8(c, off + 1, v >> 8);
}

void pci_config__set32(struct pci_config *c, uint32_t off, uint32_t v)
{
	pci_config__set16(c, off, v);
	pci_config__set16(c, off + 2, v >> 16);
}

uint8_t pci_config__get8(const struct pci_config *c, uint32_t off)
{
	return off < sizeof(c->data) ? c->data[off] : 0xff;
}

uint16_t pci_config__get16(const struct pci_config *c, uint32_t off)
{
	return pci_config__get8(c, off) | pci_config__get8(c, off + 1) << 8;
}

uint32_t pci_config__get32(const struct pci_config *c, uint32_t off)
{
	return pci_config__get16(c, off) |
	       (uint32_t)pci_config__get16(c, off + 2) << 16;
}

void pci_config__set_wmask(struct pci_config *c, uint32_t off, uint32_t mask,
			   int len)
{
	int i;

	for (i = 0; i < len && off + i < sizeof(c->wmask); i++)
		c->wmask[off + i] = mask >> (8 * i);
}

void pci_config__set_w1cmask(struct pci_config *c, uint32_t off, uint32_t mask,
			     int len)
{
	int i;

	for (i = 0; i < len && off + i < sizeof(c->w1cmask); i++)
		c->w1cmask[off + i] = mask >> (8 * i);
}

uint16_t pci_config__add_cap(struct pci_config *c, uint8_t id, uint8_t len)
{
	uint16_t off = ALIGN_UP(c->free_cap, (uint16_t)4);

	if (len < 2 || off + len > PCI_CFG_SPACE_SIZE)
		return 0;
	c->data[off + PCI_CAP_LIST_ID] = id;
	c->data[off + PCI_CAP_LIST_NEXT] = 0;
	if (c->last_cap)
		c->data[c->last_cap + PCI_CAP_LIST_NEXT] = off;
	else
		c->data[PCI_CAPABILITY_LIST] = off;
	c->data[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	c->last_cap = off;
	c->free_cap = off + len;
	return off;
}

uint16_t pci_config__add_ext_cap(struct pci_config *c, uint16_t id,
				 uint8_t version, uint16_t len)
{
	uint16_t off = ALIGN_UP(c->free_ext_cap, (uint16_t)4);
	uint32_t hdr;

	if (c->size < PCI_CFG_SPACE_EXP_SIZE || len < 4 ||
	    off + len > PCI_CFG_SPACE_EXP_SIZE)
		return 0;
	hdr = id | (uint32_t)(version & 0xf) << 16;
	pci_config__set32(c, off, hdr);
	if (c->last_ext_cap) {
		uint32_t prev = pci_config__get32(c, c->last_ext_cap);

		prev = (prev & 0x000fffff) | (uint32_t)off << 20;
		pci_config__set32(c, c->last_ext_cap, prev);
	}
	c->last_ext_cap = off;
	c->free_ext_cap = off + len;
	return off;
}

uint16_t pci_config__find_cap(const struct pci_config *c, uint8_t id)
{
	uint8_t off = c->data[PCI_CAPABILITY_LIST] & ~3;
	int guard = 48; /* 192 bytes / 4: a longer walk is a loop */

	if (!(c->data[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		return 0;
	while (off >= PCI_STD_HEADER_SIZEOF && guard--) {
		if (c->data[off + PCI_CAP_LIST_ID] == id)
			return off;
		off = c->data[off + PCI_CAP_LIST_NEXT] & ~3;
	}
	return 0;
}
