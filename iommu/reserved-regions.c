// SPDX-License-Identifier: GPL-2.0
/*
 * An IOMMU group's reserved regions: IOVAs the IOMMU will not translate for
 * its devices (the MSI window, firmware's RMRRs). Guest RAM mapped there would
 * be DMA the device can never reach, or worse, MSI writes taken for DMA.
 * The kernel prints them as "0x%016llx 0x%016llx %s\n" (start, inclusive
 * end, type): iommu_group_show_resv_regions().
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/iommu.h"
#include "triovm/log.h"
#include "triovm/sysfs.h"
#include "triovm/util.h"

static const struct {
	const char *name;
	enum iommu_resv_type type;
} resv_types[] = {
	{ "direct", IOMMU_RESV_TYPE_DIRECT },
	{ "direct-relaxable", IOMMU_RESV_TYPE_DIRECT_RELAXABLE },
	{ "reserved", IOMMU_RESV_TYPE_RESERVED },
	{ "msi", IOMMU_RESV_TYPE_MSI },
};

bool iommu_resv__blocks_dma(const struct iommu_resv_region *r)
{
	return r->type != IOMMU_RESV_TYPE_DIRECT_RELAXABLE;
}

/* A hex number with or without 0x; strtoull alone would take "-1". */
static const char *parse_hex(const char *s, uint64_t *v)
{
	const char *digits = s;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		digits = s + 2;
	if (!isxdigit((unsigned char)*digits))
		return NULL;
	errno = 0;
	*v = strtoull(digits, &end, 16);
	if (errno)
		return NULL;
	return end;
}

static bool parse_type(const char *s, size_t n, struct iommu_resv_region *r)
{
	size_t i;

	if (!n || n >= sizeof(r->type_name))
		return false;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	memcpy(r->type_name, s, n);
	r->type_name[n] = '\0';
	/* Unknown (newer) types are kept out of the DMA map, to be safe. */
	r->type = IOMMU_RESV_TYPE_OTHER;
	for (i = 0; i < ARRAY_SIZE(resv_types); i++)
		if (!strcmp(r->type_name, resv_types[i].name))
			r->type = resv_types[i].type;
	return true;
}

static bool parse_line(const char *line, size_t len,
		       struct iommu_resv_region *r)
{
	char buf[128];
	const char *p, *type;
	size_t n;

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, line, len);
	buf[len] = '\0';
	p = parse_hex(buf, &r->start);
	if (!p || *p != ' ')
		return false;
	p = parse_hex(p + 1, &r->last);
	if (!p || *p != ' ' || r->last < r->start)
		return false;
	type = p + 1;
	n = strcspn(type, " \t");
	if (type[n])
		return false;
	return parse_type(type, n, r);
}

int iommu_resv__parse(const char *text, unsigned int group,
		      struct iommu_resv_regions *out)
{
	const char *line = text;
	int lineno = 0;

	while (*line) {
		size_t len = strcspn(line, "\n");
		struct iommu_resv_region r = { .group = group };

		lineno++;
		if (len && !parse_line(line, len, &r)) {
			pr_err("IOMMU group %u: reserved_regions line %d is not 'START END TYPE': '%.*s'",
			       group, lineno, (int)min(len, (size_t)80), line);
			return -EINVAL;
		}
		if (len) {
			if (out->nr == IOMMU_MAX_RANGES) {
				pr_err("IOMMU group %u: more than %d reserved regions",
				       group, IOMMU_MAX_RANGES);
				return -E2BIG;
			}
			out->r[out->nr++] = r;
		}
		line += len;
		if (*line == '\n')
			line++;
	}
	return 0;
}

int iommu_resv__read(const char *sysfs, unsigned int group,
		     struct iommu_resv_regions *out)
{
	/* sysfs attributes are at most a page; leave room for a larger one. */
	char *buf = malloc(16384);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = sysfs_read(sysfs, buf, 16384,
			 "kernel/iommu_groups/%u/reserved_regions", group);
	if (ret)
		pr_err("cannot read the reserved regions of IOMMU group %u: %s",
		       group, strerror(-ret));
	else
		ret = iommu_resv__parse(buf, group, out);
	free(buf);
	return ret;
}
