// SPDX-License-Identifier: GPL-2.0
/*
 * Capability chains as the kernel builds them (vfio_info_cap_add): each
 * capability is appended after the previous one, so offsets only grow. Taking
 * that as a rule is what bounds the walk.
 */
#include <errno.h>
#include <string.h>

#include "triovm/vfio-caps.h"

int vfio_caps__walk(const void *buf, size_t len, uint32_t first, size_t fixed,
		    vfio_cap_fn fn, void *arg)
{
	const uint8_t *base = buf;
	size_t off = first;

	if (!first)
		return 0;
	if (off < fixed)
		return -EINVAL;
	for (;;) {
		struct vfio_info_cap_header hdr;
		size_t end;
		int ret;

		if (off > len || len - off < sizeof(hdr))
			return -EINVAL;
		memcpy(&hdr, base + off, sizeof(hdr));
		if (hdr.next &&
		    (hdr.next < off + sizeof(hdr) || hdr.next > len))
			return -EINVAL;
		end = hdr.next ? hdr.next : len;
		ret = fn(&hdr, base + off, end - off, arg);
		if (ret)
			return ret;
		if (!hdr.next)
			return 0;
		off = hdr.next;
	}
}
