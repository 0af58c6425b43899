/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small encoder for ACPI Machine Language (ACPI 6.4, chapter 20), enough
 * for the DSDT objects triovm declares: scopes, devices, names with integer,
 * string, package and resource-template values.
 *
 * Nested objects are written with a _begin()/_end() pair: _begin() returns a
 * mark and _end() inserts the PkgLength once the body's size is known.
 */
#ifndef TRIOVM_AML_H
#define TRIOVM_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aml {
	uint8_t *buf;
	size_t len;
	size_t cap;
	bool failed; /* out of memory or a malformed name: the table is unusable */
};

void aml_init(struct aml *a);
void aml_free(struct aml *a);

/* Names are ACPI name strings: "\\_SB_.PCI0", "COM1", "_HID" (<= 4 per segment). */
size_t aml_scope_begin(struct aml *a, const char *name);
void aml_scope_end(struct aml *a, size_t mark);
size_t aml_device_begin(struct aml *a, const char *name);
void aml_device_end(struct aml *a, size_t mark);

/* Name(NAME, ...): follow with exactly one data object. */
void aml_name(struct aml *a, const char *name);
void aml_integer(struct aml *a, uint64_t v);
void aml_string(struct aml *a, const char *s);
/* EISAID("PNP0501") as its compressed 32-bit integer. */
uint32_t aml_eisaid(const char *id);

size_t aml_package_begin(struct aml *a);
void aml_package_end(struct aml *a, size_t mark, uint8_t nr_elements);

/* ResourceTemplate() { ... }: a Buffer ending in an End Tag. */
size_t aml_restemplate_begin(struct aml *a);
void aml_restemplate_end(struct aml *a, size_t mark);
void aml_res_io(struct aml *a, uint16_t base, uint8_t len);
void aml_res_interrupt(struct aml *a, uint32_t gsi, bool level,
		       bool active_low);
void aml_res_bus_range(struct aml *a, uint16_t min, uint16_t max);
void aml_res_io_range(struct aml *a, uint16_t min, uint16_t max);
void aml_res_mem32_range(struct aml *a, uint32_t min, uint32_t max);
void aml_res_mem64_range(struct aml *a, uint64_t min, uint64_t max);
void aml_res_mem32_fixed(struct aml *a, uint32_t base, uint32_t len);

/* Low-level pieces, exposed for tests. */
void aml_bytes(struct aml *a, const void *p, size_t n);
size_t aml_pkglength_size(size_t body_len);

#endif
