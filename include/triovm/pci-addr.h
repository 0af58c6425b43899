/* SPDX-License-Identifier: GPL-2.0 */
/* Host PCI addresses, DDDD:BB:DD.F as sysfs and lspci write them. */
#ifndef TRIOVM_PCI_ADDR_H
#define TRIOVM_PCI_ADDR_H

#include <stdbool.h>
#include <stdint.h>

struct pci_addr {
	uint16_t domain;
	uint8_t bus;
	uint8_t slot; /* 0..31 */
	uint8_t func; /* 0..7 */
};

/* "DDDD:BB:DD.F" or "BB:DD.F" (domain 0); 0 or -EINVAL. */
int pci_addr__parse(const char *s, struct pci_addr *a);
/* Always the full form; buf needs PCI_ADDR_STRLEN bytes. */
#define PCI_ADDR_STRLEN 16
const char *pci_addr__format(const struct pci_addr *a, char *buf);
/* 16-bit routing ID (bus << 8 | devfn) and back, within a domain. */
uint16_t pci_addr__rid(const struct pci_addr *a);
struct pci_addr pci_addr__from_rid(uint16_t domain, uint16_t rid);
bool pci_addr__equal(const struct pci_addr *a, const struct pci_addr *b);

#endif
