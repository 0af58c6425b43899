/* SPDX-License-Identifier: GPL-2.0 */
/* Between the PCI device model and the root bus; private to core-vmm/pci. */
#ifndef TRIOVM_PCI_BUS_H
#define TRIOVM_PCI_BUS_H

#include <stdbool.h>
#include <stdint.h>

struct pci_device;

/* Drive the device's INTx onto its GSI, shared with other devices. */
void pci_bus__set_intx(struct pci_device *d, bool level);
void pci_device__update_bars(struct pci_device *d);
uint32_t pci_device__config_read(struct pci_device *d, uint32_t off, int len);
void pci_device__config_write(struct pci_device *d, uint32_t off, uint32_t val,
			      int len);

#endif
