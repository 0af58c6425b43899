// SPDX-License-Identifier: GPL-2.0
/* ACPI Machine Language encoding (ACPI 6.4, section 20.2). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/aml.h"

#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_STRING_PREFIX 0x0d
#define AML_QWORD_PREFIX 0x0e
#define AML_SCOPE_OP 0x10
#define AML_BUFFER_OP 0x11
#define AML_PACKAGE_OP 0x12
#define AML_EXT_OP_PREFIX 0x5b
#define AML_DEVICE_OP 0x82
#define AML_ROOT_CHAR '\\'
#define AML_DUAL_NAME_PREFIX 0x2e
#define AML_MULTI_NAME_PREFIX 0x2f

/* Resource descriptors (section 6.4). */
#define RES_IO 0x47
#define RES_END_TAG 0x79
#define RES_FIXED_MEM32 0x86
#define RES_DWORD_SPACE 0x87
#define RES_WORD_SPACE 0x88
#define RES_EXT_IRQ 0x89
#define RES_QWORD_SPACE 0x8a
#define SPACE_MEM 0
#define SPACE_IO 1
#define SPACE_BUS 2
#define SPACE_MIN_MAX_FIXED 0x0c /* _MIF | _MAF, producer, positive decode */

void aml_init(struct aml *a)
{
	memset(a, 0, sizeof(*a));
}

void aml_free(struct aml *a)
{
	free(a->buf);
	aml_init(a);
}

static bool reserve(struct aml *a, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (a->failed)
		return false;
	if (a->len + n <= a->cap)
		return true;
	cap = a->cap ? a->cap * 2 : 256;
	while (cap < a->len + n)
		cap *= 2;
	p = realloc(a->buf, cap);
	if (!p) {
		a->failed = true;
		return false;
	}
	a->buf = p;
	a->cap = cap;
	return true;
}

void aml_bytes(struct aml *a, const void *p, size_t n)
{
	if (!reserve(a, n))
		return;
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void byte(struct aml *a, uint8_t b)
{
	aml_bytes(a, &b, 1);
}

static void le(struct aml *a, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		byte(a, v >> (8 * i));
}

/* Insert n bytes at `at`, shifting what follows. */
static void insert(struct aml *a, size_t at, const uint8_t *p, size_t n)
{
	if (!reserve(a, n))
		return;
	memmove(a->buf + at + n, a->buf + at, a->len - at);
	memcpy(a->buf + at, p, n);
	a->len += n;
}

size_t aml_pkglength_size(size_t body_len)
{
	if (body_len + 1 < (1 << 6))
		return 1;
	if (body_len + 2 < (1 << 12))
		return 2;
	if (body_len + 3 < (1 << 20))
		return 3;
	return 4;
}

/* PkgLength counts itself: encode body_len + its own size at `mark`. */
static void insert_pkglength(struct aml *a, size_t mark)
{
	size_t body = a->len - mark;
	size_t n = aml_pkglength_size(body);
	size_t total = body + n;
	uint8_t enc[4];
	size_t i;

	if (n == 1) {
		enc[0] = total;
	} else {
		enc[0] = ((n - 1) << 6) | (total & 0x0f);
		for (i = 1; i < n; i++)
			enc[i] = total >> (4 + 8 * (i - 1));
	}
	insert(a, mark, enc, n);
}

static bool name_char_ok(char c)
{
	return isupper((unsigned char)c) || isdigit((unsigned char)c) ||
	       c == '_';
}

static void name_string(struct aml *a, const char *name)
{
	const char *p = name, *seg;
	char segs[8][4];
	int nsegs = 0, i, j;

	if (*p == AML_ROOT_CHAR) {
		byte(a, AML_ROOT_CHAR);
		p++;
	}
	while (*p) {
		seg = p;
		for (j = 0; j < 4 && *p && *p != '.'; j++, p++) {
			if (!name_char_ok(*p) ||
			    (j == 0 && isdigit((unsigned char)*p)))
				a->failed = true;
		}
		if ((*p && *p != '.') || j == 0 || nsegs == 8) {
			a->failed = true;
			return;
		}
		memset(segs[nsegs], '_', 4);
		memcpy(segs[nsegs], seg, j);
		nsegs++;
		if (*p == '.')
			p++;
	}
	if (nsegs == 2)
		byte(a, AML_DUAL_NAME_PREFIX);
	else if (nsegs > 2) {
		byte(a, AML_MULTI_NAME_PREFIX);
		byte(a, nsegs);
	} else if (nsegs == 0) {
		byte(a, 0); /* NullName */
	}
	for (i = 0; i < nsegs; i++)
		aml_bytes(a, segs[i], 4);
}

size_t aml_scope_begin(struct aml *a, const char *name)
{
	size_t mark;

	byte(a, AML_SCOPE_OP);
	mark = a->len;
	name_string(a, name);
	return mark;
}

void aml_scope_end(struct aml *a, size_t mark)
{
	insert_pkglength(a, mark);
}

size_t aml_device_begin(struct aml *a, const char *name)
{
	size_t mark;

	byte(a, AML_EXT_OP_PREFIX);
	byte(a, AML_DEVICE_OP);
	mark = a->len;
	name_string(a, name);
	return mark;
}

void aml_device_end(struct aml *a, size_t mark)
{
	insert_pkglength(a, mark);
}

void aml_name(struct aml *a, const char *name)
{
	byte(a, AML_NAME_OP);
	name_string(a, name);
}

void aml_integer(struct aml *a, uint64_t v)
{
	if (v == 0) {
		byte(a, AML_ZERO_OP);
	} else if (v == 1) {
		byte(a, AML_ONE_OP);
	} else if (v <= 0xff) {
		byte(a, AML_BYTE_PREFIX);
		le(a, v, 1);
	} else if (v <= 0xffff) {
		byte(a, AML_WORD_PREFIX);
		le(a, v, 2);
	} else if (v <= 0xffffffff) {
		byte(a, AML_DWORD_PREFIX);
		le(a, v, 4);
	} else {
		byte(a, AML_QWORD_PREFIX);
		le(a, v, 8);
	}
}

void aml_string(struct aml *a, const char *s)
{
	byte(a, AML_STRING_PREFIX);
	aml_bytes(a, s, strlen(s) + 1);
}

uint32_t aml_eisaid(const char *id)
{
	uint32_t vendor, product;

	if (strlen(id) != 7)
		return 0;
	vendor = ((id[0] - 0x40) & 0x1f) << 10 | ((id[1] - 0x40) & 0x1f) << 5 |
		 ((id[2] - 0x40) & 0x1f);
	product = (uint32_t)strtoul(id + 3, NULL, 16);
	/* Both halves are stored big-endian inside a little-endian dword. */
	return ((vendor >> 8) & 0xff) | (vendor & 0xff) << 8 |
	       ((product >> 8) & 0xff) << 16 | (product & 0xff) << 24;
}

size_t aml_package_begin(struct aml *a)
{
	byte(a, AML_PACKAGE_OP);
	return a->len;
}

void aml_package_end(struct aml *a, size_t mark, uint8_t nr_elements)
{
	insert(a, mark, &nr_elements, 1);
	insert_pkglength(a, mark);
}

size_t aml_restemplate_begin(struct aml *a)
{
	byte(a, AML_BUFFER_OP);
	return a->len;
}

void aml_restemplate_end(struct aml *a, size_t mark)
{
	struct aml size = { 0 };

	byte(a, RES_END_TAG);
	byte(a, 0); /* checksum 0: "treat as correct" */
	/* The Buffer's size prefix, then its PkgLength, go in front. */
	aml_integer(&size, a->len - mark);
	if (size.failed) {
		a->failed = true;
		return;
	}
	insert(a, mark, size.buf, size.len);
	aml_free(&size);
	insert_pkglength(a, mark);
}

void aml_res_io(struct aml *a, uint16_t base, uint8_t len)
{
	byte(a, RES_IO);
	byte(a, 1); /* 16-bit decode */
	le(a, base, 2);
	le(a, base, 2);
	byte(a, 1); /* alignment */
	byte(a, len);
}

void aml_res_interrupt(struct aml *a, uint32_t gsi, bool level, bool active_low)
{
	uint8_t flags = 0x01; /* consumer */

	if (!level)
		flags |= 0x02;
	if (active_low)
		flags |= 0x04;
	byte(a, RES_EXT_IRQ);
	le(a, 6, 2);
	byte(a, flags);
	byte(a, 1);
	le(a, gsi, 4);
}

static void word_space(struct aml *a, uint8_t type, uint8_t tflags,
		       uint16_t min, uint16_t max)
{
	byte(a, RES_WORD_SPACE);
	le(a, 13, 2);
	byte(a, type);
	byte(a, SPACE_MIN_MAX_FIXED);
	byte(a, tflags);
	le(a, 0, 2); /* granularity */
	le(a, min, 2);
	le(a, max, 2);
	le(a, 0, 2); /* translation */
	le(a, (uint32_t)max - min + 1, 2);
}

void aml_res_bus_range(struct aml *a, uint16_t min, uint16_t max)
{
	word_space(a, SPACE_BUS, 0, min, max);
}

void aml_res_io_range(struct aml *a, uint16_t min, uint16_t max)
{
	word_space(a, SPACE_IO, 0x03 /* ISA and non-ISA ranges */, min, max);
}

void aml_res_mem32_range(struct aml *a, uint32_t min, uint32_t max)
{
	byte(a, RES_DWORD_SPACE);
	le(a, 23, 2);
	byte(a, SPACE_MEM);
	byte(a, SPACE_MIN_MAX_FIXED);
	byte(a, 0x01); /* read-write, non-cacheable */
	le(a, 0, 4);
	le(a, min, 4);
	le(a, max, 4);
	le(a, 0, 4);
	le(a, (uint64_t)max - min + 1, 4);
}

void aml_res_mem64_range(struct aml *a, uint64_t min, uint64_t max)
{
	byte(a, RES_QWORD_SPACE);
	le(a, 43, 2);
	byte(a, SPACE_MEM);
	byte(a, SPACE_MIN_MAX_FIXED);
	byte(a, 0x01);
	le(a, 0, 8);
	le(a, min, 8);
	le(a, max, 8);
	le(a, 0, 8);
	le(a, max - min + 1, 8);
}

void aml_res_mem32_fixed(struct aml *a, uint32_t base, uint32_t len)
{
	byte(a, RES_FIXED_MEM32);
	le(a, 9, 2);
	byte(a, 1); /* read-write */
	le(a, base, 4);
	le(a, len, 4);
}
