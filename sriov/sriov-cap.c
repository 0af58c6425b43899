// SPDX-License-Identifier: GPL-2.0
/*
 * The SR-IOV extended capability in raw config-space bytes, and the VF
 * routing-ID arithmetic (PCIe base spec, 9.3.3.9/9.3.3.10).
 */
#include <errno.h>
#include <linux/pci_regs.h>

#include "triovm/sriov.h"

#define EXT_CAP_START 0x100
#define SRIOV_CAP_LEN 0x40

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | (uint32_t)le16(p + 2) << 16;
}

int sriov_cap__parse(const uint8_t *cfg, size_t len, struct sriov_cap *cap)
{
	uint32_t off = EXT_CAP_START;
	int guard = (PCI_CFG_SPACE_EXP_SIZE - EXT_CAP_START) / 4;

	if (len < EXT_CAP_START + 4)
		return -ENOENT; /* a conventional device: no extended space */
	while (guard--) {
		uint32_t hdr;
		const uint8_t *c;

		if (off < EXT_CAP_START || off % 4 || off + 4 > len)
			return -EINVAL;
		hdr = le32(cfg + off);
		if (hdr == 0 || hdr == 0xffffffff)
			return -ENOENT;
		if (PCI_EXT_CAP_ID(hdr) == PCI_EXT_CAP_ID_SRIOV) {
			if (off + SRIOV_CAP_LEN > len)
				return -EINVAL;
			c = cfg + off;
			cap->offset = off;
			cap->ctrl = le16(c + PCI_SRIOV_CTRL);
			cap->initial_vfs = le16(c + PCI_SRIOV_INITIAL_VF);
			cap->total_vfs = le16(c + PCI_SRIOV_TOTAL_VF);
			cap->num_vfs = le16(c + PCI_SRIOV_NUM_VF);
			cap->vf_offset = le16(c + PCI_SRIOV_VF_OFFSET);
			cap->vf_stride = le16(c + PCI_SRIOV_VF_STRIDE);
			cap->vf_device = le16(c + PCI_SRIOV_VF_DID);
			return 0;
		}
		off = PCI_EXT_CAP_NEXT(hdr);
		if (!off)
			return -ENOENT;
	}
	return -EINVAL; /* the list loops */
}

int sriov__vf_addr(const struct pci_addr *pf, const struct sriov_cap *cap,
		   unsigned int n, struct pci_addr *vf)
{
	uint32_t rid = pci_addr__rid(pf) + cap->vf_offset +
		       (uint32_t)n * cap->vf_stride;

	if (n >= cap->total_vfs || rid > 0xffff)
		return -ERANGE;
	*vf = pci_addr__from_rid(pf->domain, rid);
	return 0;
}
