// SPDX-License-Identifier: GPL-2.0
/*
 * A passed-through device's config space. triovm emulates the header (BARs
 * at guest addresses, ROM, interrupt line), the MSI and MSI-X capabilities
 * (at the device's own offsets) and the extended capability headers (so that
 * SR-IOV, ARI and Resizable BAR can be unlinked, as QEMU's vfio_add_ext_cap
 * does); every other byte is read from and written to the device through
 * VFIO, whose kernel driver keeps the guest from what it may not change.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "triovm/log.h"
#include "triovm/vfio-pci.h"

/* Extended capabilities the guest must not see (they are the host's). */
static bool ext_cap_hidden(uint16_t id)
{
	return id == PCI_EXT_CAP_ID_SRIOV || id == PCI_EXT_CAP_ID_ARI ||
	       id == PCI_EXT_CAP_ID_REBAR || id == 0x24 /* VF Resizable BAR */;
}

bool vfio_pci__byte_emulated(const struct vfio_pci *vp, uint32_t off)
{
	return off >= vp->cfg_size ||
	       (vp->emulated[off / 8] & (1 << (off % 8)));
}

void vfio_pci__set_emulated(struct vfio_pci *vp, uint32_t off, uint32_t len)
{
	uint32_t i;

	for (i = off; i < off + len && i < PCI_CFG_SPACE_EXP_SIZE; i++)
		vp->emulated[i / 8] |= 1 << (i % 8);
}

static int dev_read(struct vfio_pci *vp, uint32_t off, void *buf, size_t len)
{
	ssize_t n = pread(vp->dev->fd, buf, len, vp->cfg_region->offset + off);

	return n == (ssize_t)len ? 0 : -EIO;
}

static void dev_write(struct vfio_pci *vp, uint32_t off, const void *buf,
		      size_t len)
{
	if (pwrite(vp->dev->fd, buf, len, vp->cfg_region->offset + off) !=
	    (ssize_t)len)
		pr_warn_ratelimited(
			"%s: config write of %zu bytes at 0x%x failed",
			vp->name, len, off);
}

/* The first byte after the capability at offs[i]: the next one by address. */
static uint32_t ext_cap_end(const uint16_t *offs, int n, int i, uint32_t size)
{
	uint32_t end = size;
	int k;

	for (k = 0; k < n; k++)
		if (offs[k] > offs[i] && offs[k] < end)
			end = offs[k];
	return end;
}

/*
 * Rewrite the extended capability chain's headers so hidden capabilities
 * are skipped; one at 0x100 cannot move, so it becomes a null capability
 * pointing at the next visible one. A chain that loops or leaves the space
 * ends where it goes wrong: the device's numbers are not trusted either.
 */
void vfio_pci__ext_caps_init(struct vfio_pci *vp, const uint8_t *phys)
{
	struct pci_config *c = &vp->pci.cfg;
	uint16_t offs[64], ids[64];
	uint32_t off = PCI_CFG_SPACE_SIZE, hdr, end;
	int n = 0, i, j;

	if (vp->cfg_size < PCI_CFG_SPACE_EXP_SIZE)
		return;
	while (off && n < 64) {
		if (off < PCI_CFG_SPACE_SIZE || off + 4 > vp->cfg_size ||
		    off % 4)
			break;
		for (i = 0; i < n && offs[i] != off; i++)
			;
		if (i < n)
			break; /* a loop */
		memcpy(&hdr, phys + off, 4);
		if (!hdr || hdr == 0xffffffff)
			break;
		offs[n] = off;
		ids[n] = PCI_EXT_CAP_ID(hdr);
		n++;
		off = PCI_EXT_CAP_NEXT(hdr);
	}
	for (i = 0; i < n; i++) {
		uint32_t next = 0;

		for (j = i + 1; j < n; j++) {
			if (!ext_cap_hidden(ids[j])) {
				next = offs[j];
				break;
			}
		}
		memcpy(&hdr, phys + offs[i], 4);
		if (ext_cap_hidden(ids[i])) {
			if (offs[i] != PCI_CFG_SPACE_SIZE)
				continue; /* unlinked: nothing points at it */
			hdr = 0; /* a null capability keeps the chain at 0x100 */
			/* Its body reads as zeros: the host's, not the guest's. */
			end = ext_cap_end(offs, n, i, vp->cfg_size);
			memset(c->data + offs[i] + 4, 0, end - offs[i] - 4);
			vfio_pci__set_emulated(vp, offs[i] + 4,
					       end - offs[i] - 4);
		}
		hdr = (hdr & 0x000fffff) | next << 20;
		pci_config__set32(c, offs[i], hdr);
		vfio_pci__set_emulated(vp, offs[i], 4);
	}
}

int vfio_pci__config_init(struct vfio_pci *vp)
{
	struct pci_config *c = &vp->pci.cfg;
	uint8_t phys[PCI_CFG_SPACE_EXP_SIZE];
	uint16_t vendor, device;
	uint32_t class;
	bool express;

	vp->cfg_region =
		vfio_device__region(vp->dev, VFIO_PCI_CONFIG_REGION_INDEX);
	if (!vp->cfg_region || vp->cfg_region->size < PCI_CFG_SPACE_SIZE) {
		pr_err("%s: VFIO offers no config space region", vp->name);
		return -EINVAL;
	}
	vp->cfg_size =
		min(vp->cfg_region->size, (uint64_t)PCI_CFG_SPACE_EXP_SIZE);
	memset(phys, 0, sizeof(phys));
	if (dev_read(vp, 0, phys, vp->cfg_size)) {
		pr_err("%s: cannot read its config space", vp->name);
		return -EIO;
	}
	memcpy(&vendor, phys + PCI_VENDOR_ID, 2);
	memcpy(&device, phys + PCI_DEVICE_ID, 2);
	memcpy(&class, phys + PCI_CLASS_REVISION, 4);
	express = vp->cfg_size > PCI_CFG_SPACE_SIZE;
	pci_device__init(&vp->pci, vp->vm, vp->name, vendor, device, class >> 8,
			 class & 0xff, express);
	vp->pci.opaque = vp;

	/* The header is emulated; BAR types and subsystem IDs come from it. */
	vfio_pci__set_emulated(vp, 0, PCI_STD_HEADER_SIZEOF);
	memcpy(c->data + PCI_BASE_ADDRESS_0, phys + PCI_BASE_ADDRESS_0, 24);
	memcpy(c->data + PCI_SUBSYSTEM_VENDOR_ID,
	       phys + PCI_SUBSYSTEM_VENDOR_ID, 4);
	c->data[PCI_CAPABILITY_LIST] = phys[PCI_CAPABILITY_LIST];
	c->data[PCI_STATUS] |= phys[PCI_STATUS] & PCI_STATUS_CAP_LIST;
	/* Capabilities: the device's bytes, passed through unless emulated. */
	memcpy(c->data + PCI_STD_HEADER_SIZEOF, phys + PCI_STD_HEADER_SIZEOF,
	       vp->cfg_size - PCI_STD_HEADER_SIZEOF);
	vfio_pci__ext_caps_init(vp, phys);
	if (phys[PCI_INTERRUPT_PIN] >= 1 && phys[PCI_INTERRUPT_PIN] <= 4) {
		const struct vfio_irq *irq =
			vfio_device__irq(vp->dev, VFIO_PCI_INTX_IRQ_INDEX);

		if (irq && irq->count)
			pci_device__set_intx_pin(&vp->pci,
						 phys[PCI_INTERRUPT_PIN]);
	}
	return 0;
}

uint32_t vfio_pci__config_read(struct pci_device *d, uint32_t off, int len,
			       uint32_t val)
{
	struct vfio_pci *vp = d->opaque;
	uint8_t buf[4];
	int i;

	for (i = 0; i < len; i++)
		if (!vfio_pci__byte_emulated(vp, off + i))
			break;
	if (i == len)
		return val;
	if (dev_read(vp, off, buf, len))
		return val;
	/* Merge: the device's bytes where they are passed through. */
	for (i = 0; i < len; i++) {
		if (vfio_pci__byte_emulated(vp, off + i))
			continue;
		val = (val & ~(0xffU << (8 * i))) | (uint32_t)buf[i] << (8 * i);
	}
	return val;
}

void vfio_pci__config_write(struct pci_device *d, uint32_t off, uint32_t val,
			    int len)
{
	struct vfio_pci *vp = d->opaque;
	uint8_t bytes[4];
	uint16_t cmd;
	int i;

	memcpy(bytes, &val, 4);
	for (i = 0; i < len; i++)
		if (!vfio_pci__byte_emulated(vp, off + i))
			dev_write(vp, off + i, &bytes[i], 1);
	/*
	 * The device needs the guest's command bits too: memory decoding and
	 * bus mastering (DMA) on the real function; vfio-pci guards the rest.
	 */
	if (ranges_overlap(off, len, PCI_COMMAND, 2)) {
		cmd = pci_config__get16(&d->cfg, PCI_COMMAND);
		dev_write(vp, PCI_COMMAND, &cmd, 2);
	}
}
