// SPDX-License-Identifier: GPL-2.0
/* --stats: the exit accounting of a VM, as JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triovm/iobus.h"
#include "triovm/irq.h"
#include "triovm/json.h"
#include "triovm/kvm-cpu.h"
#include "triovm/kvm-stats.h"
#include "triovm/log.h"
#include "triovm/stats.h"
#include "triovm/version.h"
#include "triovm/vm.h"

void stats__add_source(struct vm *vm, struct stats_source *src)
{
	list_add_tail(&src->list, &vm->stats_sources);
}

/* Sums of each KVM statistic over all vCPUs, in first-seen order. */
struct stat_sum {
	char name[64];
	uint64_t value;
};

struct sums {
	struct stat_sum *v;
	int n, cap;
};

static void sum_add(const char *name, uint64_t value, void *arg)
{
	struct sums *s = arg;
	int i;

	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i].name, name)) {
			s->v[i].value += value;
			return;
		}
	}
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 64;
		struct stat_sum *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return;
		s->v = v;
		s->cap = cap;
	}
	snprintf(s->v[s->n].name, sizeof(s->v[s->n].name), "%s", name);
	s->v[s->n].value = value;
	s->n++;
}

static void write_stat(const char *name, uint64_t value, void *arg)
{
	json_u64(arg, name, value);
}

struct range_ctx {
	struct json *j;
	const char *bus;
};

static void write_range(const struct iobus_range *r, void *arg)
{
	struct range_ctx *c = arg;

	json_object_begin(c->j, NULL);
	json_string(c->j, "name", r->name);
	json_string(c->j, "bus", c->bus);
	json_u64(c->j, "base", r->base);
	json_u64(c->j, "length", r->len);
	json_u64(c->j, "exits", __atomic_load_n(&r->exits, __ATOMIC_RELAXED));
	json_object_end(c->j);
}

int stats__write_json(struct vm *vm, const char *path)
{
	struct vcpu_exit_counts total = { 0 };
	struct sums sums = { 0 };
	struct stats_source *src;
	struct range_ctx rc;
	struct json j;
	char tmp[4096];
	FILE *f;
	int i;

	/* Written aside and renamed: a reader never sees half a snapshot. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		int err = errno;

		pr_err("--stats: cannot write '%s': %s", path, strerror(err));
		return -err;
	}
	json_init(&j, f, true);
	json_object_begin(&j, NULL);
	json_string(&j, "triovm_version", TRIOVM_VERSION);
	json_string(&j, "stop_reason", vm__stop_reason_name(vm->stop_reason));
	json_u64(&j, "vcpus_count", vm->nr_vcpus);

	json_array_begin(&j, "vcpus");
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = vm->vcpus[i];
		struct kvm_stats ks;

		json_object_begin(&j, NULL);
		json_u64(&j, "id", v->id);
		json_object_begin(&j, "triovm_exits");
		json_u64(&j, "io", v->exits.io);
		json_u64(&j, "mmio", v->exits.mmio);
		json_u64(&j, "other", v->exits.other);
		json_u64(&j, "all",
			 v->exits.io + v->exits.mmio + v->exits.other);
		json_object_end(&j);
		total.io += v->exits.io;
		total.mmio += v->exits.mmio;
		total.other += v->exits.other;
		json_object_begin(&j, "kvm");
		if (kvm_stats__open(&ks, v->stats_fd) == 0) {
			kvm_stats__for_each(&ks, write_stat, &j);
			kvm_stats__for_each(&ks, sum_add, &sums);
			kvm_stats__close(&ks);
		}
		json_object_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);

	json_object_begin(&j, "totals");
	json_object_begin(&j, "triovm_exits");
	json_u64(&j, "io", total.io);
	json_u64(&j, "mmio", total.mmio);
	json_u64(&j, "other", total.other);
	json_u64(&j, "all", total.io + total.mmio + total.other);
	json_object_end(&j);
	json_object_begin(&j, "kvm");
	for (i = 0; i < sums.n; i++)
		json_u64(&j, sums.v[i].name, sums.v[i].value);
	json_object_end(&j);
	json_object_end(&j);
	free(sums.v);

	json_array_begin(&j, "ranges");
	rc.j = &j;
	rc.bus = "pio";
	iobus__for_each(&vm->pio_bus, write_range, &rc);
	rc.bus = "mmio";
	iobus__for_each(&vm->mmio_bus, write_range, &rc);
	json_array_end(&j);
	json_u64(&j, "msi_injected", irq__injected(vm));
	json_object_begin(&j, "unhandled");
	json_u64(&j, "pio", vm->pio_bus.unhandled);
	json_u64(&j, "mmio", vm->mmio_bus.unhandled);
	json_object_end(&j);

	json_object_begin(&j, "devices");
	list_for_each_entry(src, &vm->stats_sources, list) {
		json_object_begin(&j, src->name);
		src->write(&j, src->opaque);
		json_object_end(&j);
	}
	json_object_end(&j);

	json_object_end(&j);
	json_finish(&j);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		pr_err("--stats: cannot write '%s'", path);
		unlink(tmp);
		return -EIO;
	}
	return 0;
}
