/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving a host PCI device between drivers with driver_override, the way
 * `driverctl` and libvirt do: the one implementation behind `triovm vfio
 * bind/unbind` and `triovm sriov bind/unbind`.
 */
#ifndef TRIOVM_DRIVER_BIND_H
#define TRIOVM_DRIVER_BIND_H

#include <stddef.h>

#include "pci-addr.h"

/*
 * Where the driver a device had before bind is remembered until unbind;
 * $TRIOVM_RUN_DIR overrides it.
 */
#define TRIOVM_RUN_DIR "/run/triovm"

/* The driver bound to the device now ("" when none); -ENODEV if no device. */
int pci_driver__current(const char *sysfs, const struct pci_addr *a, char *buf,
			size_t len);

/*
 * Bind the device to `driver` (e.g. "vfio-pci"): set driver_override, unbind
 * the current driver, probe. Returns 0 or a negative errno after printing one
 * line saying why; on failure the device keeps the driver it had.
 */
int pci_driver__bind(const char *sysfs, const struct pci_addr *a,
		     const char *driver);

/*
 * Undo pci_driver__bind: clear driver_override, unbind, and give the device
 * back to the driver it had (or let the kernel pick one).
 */
int pci_driver__unbind(const char *sysfs, const struct pci_addr *a);

#endif
