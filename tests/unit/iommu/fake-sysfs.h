/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A sysfs tree made by a test, laid out as the kernel's: PCI devices under
 * devices/pci0000:00, bus/pci links and drivers, kernel/iommu_groups.
 */
#ifndef TRIOVM_TEST_FAKE_SYSFS_H
#define TRIOVM_TEST_FAKE_SYSFS_H

#include <stddef.h>
#include <stdint.h>

/* A fresh empty tree under $TMPDIR; returns its root (free with _remove). */
char *fake_sysfs__new(void);
void fake_sysfs__remove(char *root);

/* kernel/iommu_groups/GROUP with these reserved_regions (NULL: msi window). */
void fake_sysfs__group(const char *root, unsigned int group,
		       const char *reserved_regions);
/* An empty kernel/iommu_groups: a host without an IOMMU. */
void fake_sysfs__no_iommu(const char *root);
/*
 * A PCI device: class (0x020000 a NIC, 0x060400 a bridge), driver ("" for
 * none), IOMMU group (-1 for none). Header type 1 in config for bridges.
 */
void fake_sysfs__pci_dev(const char *root, const char *bdf, uint32_t class,
			 const char *driver, int group);
/* A loaded driver with no device: bus/pci/drivers/NAME. */
void fake_sysfs__driver(const char *root, const char *name);

/* Everything written to stderr between _begin and _end, into buf. */
void stderr_capture__begin(void);
const char *stderr_capture__end(char *buf, size_t len);
/* Number of '\n' in s. */
int count_lines(const char *s);

#endif
