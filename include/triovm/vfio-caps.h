/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VFIO's info capability chains (struct vfio_info_cap_header), shared by
 * VFIO_IOMMU_GET_INFO and VFIO_DEVICE_GET_REGION_INFO.
 */
#ifndef TRIOVM_VFIO_CAPS_H
#define TRIOVM_VFIO_CAPS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/vfio.h>

/*
 * Called for each capability: `cap` points at its header inside the buffer
 * and `len` is how many bytes it may use (up to the next one, or the end).
 * The pointer may be unaligned: copy out with memcpy. A non-zero return
 * stops the walk and is returned.
 */
typedef int (*vfio_cap_fn)(const struct vfio_info_cap_header *hdr,
			   const void *cap, size_t len, void *arg);

/*
 * Walk the chain of an info struct `len` bytes long whose first capability
 * is at offset `first` (0: none) and whose fixed part is `fixed` bytes.
 * Each next offset must lie beyond the capability before it and inside the
 * buffer: a chain pointing backwards or outside is refused with -EINVAL,
 * so a hostile one can neither loop nor read out of bounds.
 */
int vfio_caps__walk(const void *buf, size_t len, uint32_t first, size_t fixed,
		    vfio_cap_fn fn, void *arg);

#endif
