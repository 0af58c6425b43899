// SPDX-License-Identifier: GPL-2.0
/* Recognize a bzImage and read its setup header (boot protocol, section 1). */
#include <errno.h>
#include <string.h>

#include "triovm/boot.h"
#include "triovm/log.h"

#define SETUP_HEADER_OFFSET 0x1f1
#define BOOT_FLAG 0xaa55
#define DEFAULT_SETUP_SECTS 4

int bzimage__parse(struct bzimage *bz, const uint8_t *buf, size_t len,
		   const char *name)
{
	struct setup_header *hdr = &bz->hdr;
	size_t setup_sects;

	memset(bz, 0, sizeof(*bz));
	if (len < SETUP_HEADER_OFFSET + sizeof(*hdr)) {
		pr_err("%s is not a bzImage: %zu bytes, too short for a setup header",
		       name, len);
		return -EINVAL;
	}
	memcpy(hdr, buf + SETUP_HEADER_OFFSET, sizeof(*hdr));
	if (hdr->boot_flag != BOOT_FLAG || hdr->header != BZIMAGE_MAGIC) {
		pr_err("%s is not a bzImage (no \"HdrS\" setup header; an ELF vmlinux or a compressed file will not boot)",
		       name);
		return -EINVAL;
	}
	if (hdr->version < BOOT_PROTOCOL_MIN) {
		pr_err("%s uses boot protocol %u.%02u; triovm needs %u.%02u or later (Linux 3.8+)",
		       name, hdr->version >> 8, hdr->version & 0xff,
		       BOOT_PROTOCOL_MIN >> 8, BOOT_PROTOCOL_MIN & 0xff);
		return -EINVAL;
	}
	if (!(hdr->loadflags & LOADED_HIGH)) {
		pr_err("%s is a zImage (loaded low), not a bzImage", name);
		return -EINVAL;
	}
	if (!(hdr->xloadflags & XLF_KERNEL_64)) {
		pr_err("%s has no 64-bit entry point (not an x86-64 kernel)",
		       name);
		return -EINVAL;
	}
	setup_sects = hdr->setup_sects ? hdr->setup_sects : DEFAULT_SETUP_SECTS;
	bz->setup_len = (setup_sects + 1) * 512;
	if (bz->setup_len >= len) {
		pr_err("%s is truncated: its setup code claims %zu of %zu bytes",
		       name, bz->setup_len, len);
		return -EINVAL;
	}
	bz->kernel = buf + bz->setup_len;
	bz->kernel_len = len - bz->setup_len;
	/*
	 * syssize counts 16-byte paragraphs of the protected-mode code; a file
	 * shorter than that was cut off in transfer.
	 */
	if (hdr->syssize && (uint64_t)hdr->syssize * 16 > bz->kernel_len) {
		pr_err("%s is truncated: %zu bytes of kernel, the header says %llu",
		       name, bz->kernel_len,
		       (unsigned long long)hdr->syssize * 16);
		return -EINVAL;
	}
	if (hdr->init_size && hdr->init_size < bz->kernel_len) {
		pr_err("%s has an init_size smaller than the kernel itself",
		       name);
		return -EINVAL;
	}
	return 0;
}
