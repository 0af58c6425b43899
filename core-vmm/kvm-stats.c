// SPDX-License-Identifier: GPL-2.0
/* Reading KVM's binary statistics file descriptors. */
#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triovm/kvm-stats.h"

#ifdef KVM_GET_STATS_FD

/* A hostile or newer kernel layout must not make us allocate without bound. */
#define MAX_DESCS 4096
#define MAX_NAME 1024

int kvm_stats__open(struct kvm_stats *s, int fd)
{
	struct kvm_stats_header hdr;
	size_t len;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (fd < 0)
		return -ENOENT;
	if (pread(fd, &hdr, sizeof(hdr), 0) != sizeof(hdr))
		return -EIO;
	if (hdr.num_desc > MAX_DESCS || hdr.name_size > MAX_NAME ||
	    !hdr.name_size)
		return -EINVAL;
	s->desc_size = sizeof(struct kvm_stats_desc) + hdr.name_size;
	len = s->desc_size * hdr.num_desc;
	s->descs = malloc(len ? len : 1);
	if (!s->descs)
		return -ENOMEM;
	if (pread(fd, s->descs, len, hdr.desc_offset) != (ssize_t)len) {
		free(s->descs);
		s->descs = NULL;
		return -EIO;
	}
	s->fd = fd;
	s->name_size = hdr.name_size;
	s->num_desc = hdr.num_desc;
	s->data_offset = hdr.data_offset;
	return 0;
}

void kvm_stats__close(struct kvm_stats *s)
{
	free(s->descs);
	s->descs = NULL;
	s->fd = -1;
}

static struct kvm_stats_desc *desc(struct kvm_stats *s, uint32_t i)
{
	return (struct kvm_stats_desc *)(s->descs + i * s->desc_size);
}

static bool read_scalar(struct kvm_stats *s, struct kvm_stats_desc *d,
			uint64_t *v)
{
	uint32_t type = d->flags & KVM_STATS_TYPE_MASK;

	if (d->size != 1 ||
	    (type != KVM_STATS_TYPE_CUMULATIVE &&
	     type != KVM_STATS_TYPE_INSTANT && type != KVM_STATS_TYPE_PEAK))
		return false;
	return pread(s->fd, v, sizeof(*v), s->data_offset + d->offset) ==
	       sizeof(*v);
}

int kvm_stats__get(struct kvm_stats *s, const char *name, uint64_t *value)
{
	uint32_t i;

	for (i = 0; i < s->num_desc; i++) {
		struct kvm_stats_desc *d = desc(s, i);

		if (!strncmp(d->name, name, s->name_size))
			return read_scalar(s, d, value) ? 0 : -EIO;
	}
	return -ENOENT;
}

int kvm_stats__for_each(struct kvm_stats *s,
			void (*fn)(const char *name, uint64_t value, void *arg),
			void *arg)
{
	char name[MAX_NAME + 1];
	uint32_t i;
	uint64_t v;

	for (i = 0; i < s->num_desc; i++) {
		struct kvm_stats_desc *d = desc(s, i);

		if (!read_scalar(s, d, &v))
			continue;
		memcpy(name, d->name, s->name_size);
		name[s->name_size] = '\0';
		fn(name, v, arg);
	}
	return 0;
}

#else /* kernel headers older than 5.14 */

int kvm_stats__open(struct kvm_stats *s, int fd)
{
	(void)fd;
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	return -EOPNOTSUPP;
}

void kvm_stats__close(struct kvm_stats *s)
{
	(void)s;
}

int kvm_stats__get(struct kvm_stats *s, const char *name, uint64_t *value)
{
	(void)s;
	(void)name;
	(void)value;
	return -ENOENT;
}

int kvm_stats__for_each(struct kvm_stats *s,
			void (*fn)(const char *name, uint64_t value, void *arg),
			void *arg)
{
	(void)s;
	(void)fn;
	(void)arg;
	return -EOPNOTSUPP;
}

#endif
