// SPDX-License-Identifier: GPL-2.0
/*
 * The MSI-X capability, its table and its pending-bit array (PCI Local Bus
 * 3.0, section 6.8.2). The table is guest-written memory that triovm keeps and
 * validates; nothing in it is trusted beyond being a message to hand to KVM,
 * which routes MSIs by address and never to host memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/pci-msi.h"
#include "triovm/pci.h"
#include "triovm/vm.h"
#include "msi-vector.h"

#define ENTRY_ADDR_LO 0
#define ENTRY_ADDR_HI 1
#define ENTRY_DATA 2
#define ENTRY_CTRL 3

static void msix_poll(int fd, uint32_t events, void *opaque);

static struct msi_vector_ctx ctx(struct pci_msix *m)
{
	struct msi_vector_ctx c = {
		.vm = m->dev->vm,
		.deliver = m->deliver,
		.deliver_opaque = m->deliver_opaque,
		.poll_fn = msix_poll,
		.poll_opaque = m,
	};

	return c;
}

static bool live(struct pci_msix *m, int i)
{
	return m->enabled && !m->func_masked && !m->v[i].masked;
}

static void set_pba(struct pci_msix *m, int i, bool pending)
{
	if (pending)
		m->pba[i / 64] |= 1ULL << (i % 64);
	else
		m->pba[i / 64] &= ~(1ULL << (i % 64));
}

static void update_vector(struct pci_msix *m, int i)
{
	struct msi_vector_ctx c = ctx(m);
	struct pci_msi_vector *v = &m->v[i];
	uint32_t *e = &m->table[i * 4];

	v->addr = (uint64_t)e[ENTRY_ADDR_HI] << 32 | e[ENTRY_ADDR_LO];
	v->data = e[ENTRY_DATA];
	v->masked = e[ENTRY_CTRL] & PCI_MSIX_ENTRY_CTRL_MASKBIT;
	msi_vector__update(&c, v, live(m, i));
	set_pba(m, i, v->pending);
	if (m->update)
		m->update(m->update_opaque, i);
}

static void msix_poll(int fd, uint32_t events, void *opaque)
{
	struct pci_msix *m = opaque;
	struct msi_vector_ctx c = ctx(m);
	int i;

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->nr; i++) {
		if (m->v[i].irqfd == fd) {
			msi_vector__polled(&c, &m->v[i], live(m, i));
			if (!m->enabled)
				m->v[i].pending = false;
			set_pba(m, i, m->v[i].pending);
			break;
		}
	}
	pthread_mutex_unlock(&m->lock);
}

void pci_msix__config_changed(struct pci_msix *m)
{
	uint16_t ctrl =
		pci_config__get16(&m->dev->cfg, m->cap + PCI_MSIX_FLAGS);
	bool enabled = ctrl & PCI_MSIX_FLAGS_ENABLE;
	bool masked = ctrl & PCI_MSIX_FLAGS_MASKALL;
	int i;

	pthread_mutex_lock(&m->lock);
	if (enabled != m->enabled || masked != m->func_masked) {
		m->enabled = enabled;
		m->func_masked = masked;
		for (i = 0; i < m->nr; i++)
			update_vector(m, i);
	}
	pthread_mutex_unlock(&m->lock);
}

void pci_msix__table_access(void *opaque, uint64_t addr, uint8_t *data,
			    uint32_t len, bool is_write)
{
	struct pci_msix *m = opaque;
	uint64_t idx = addr / 4;
	int vec = addr / PCI_MSIX_ENTRY_SIZE;
	uint32_t i, n = len / 4;

	/* The spec allows aligned DWORD and QWORD accesses only. */
	if ((len != 4 && len != 8) || addr % len ||
	    addr + len > (uint64_t)m->nr * PCI_MSIX_ENTRY_SIZE) {
		if (!is_write)
			memset(data, 0xff, len);
		pr_warn_ratelimited(
			"%s: MSI-X table access of %u bytes at 0x%llx ignored",
			m->dev->name, len, (unsigned long long)addr);
		return;
	}
	pthread_mutex_lock(&m->lock);
	if (!is_write) {
		for (i = 0; i < n; i++)
			memcpy(data + 4 * i, &m->table[idx + i], 4);
		pthread_mutex_unlock(&m->lock);
		return;
	}
	for (i = 0; i < n; i++) {
		uint32_t val;

		memcpy(&val, data + 4 * i, 4);
		switch ((idx + i) % 4) {
		case ENTRY_ADDR_LO:
			val &= ~3U; /* DWORD-aligned message address */
			break;
		case ENTRY_CTRL:
			val &= PCI_MSIX_ENTRY_CTRL_MASKBIT;
			break;
		}
		m->table[idx + i] = val;
	}
	update_vector(m, vec);
	pthread_mutex_unlock(&m->lock);
}

void pci_msix__pba_access(void *opaque, uint64_t addr, uint8_t *data,
			  uint32_t len, bool is_write)
{
	struct pci_msix *m = opaque;
	uint64_t words = (m->nr + 63) / 64;
	uint8_t *bytes = (uint8_t *)m->pba;
	uint32_t i;

	if (is_write)
		return; /* read-only */
	pthread_mutex_lock(&m->lock);
	for (i = 0; i < len; i++)
		data[i] = addr + i < words * 8 ? bytes[addr + i] : 0;
	pthread_mutex_unlock(&m->lock);
}

static int msix_init(struct pci_device *d, uint16_t cap, int nr, int bar,
		     uint32_t table_off, uint32_t pba_off);

int pci_msix__init(struct pci_device *d, int nr, int bar, uint32_t table_off,
		   uint32_t pba_off)
{
	uint16_t cap = pci_config__add_cap(&d->cfg, PCI_CAP_ID_MSIX,
					   PCI_CAP_MSIX_SIZEOF);

	if (!cap)
		return -ENOSPC;
	return msix_init(d, cap, nr, bar, table_off, pba_off);
}

int pci_msix__init_at(struct pci_device *d, uint16_t cap, int nr, int bar,
		      uint32_t table_off, uint32_t pba_off)
{
	if (cap < PCI_STD_HEADER_SIZEOF ||
	    cap + PCI_CAP_MSIX_SIZEOF > PCI_CFG_SPACE_SIZE)
		return -EINVAL;
	pci_config__set8(&d->cfg, cap + PCI_CAP_LIST_ID, PCI_CAP_ID_MSIX);
	return msix_init(d, cap, nr, bar, table_off, pba_off);
}

static int msix_init(struct pci_device *d, uint16_t cap, int nr, int bar,
		     uint32_t table_off, uint32_t pba_off)
{
	struct pci_msix *m;
	uint64_t table_len = (uint64_t)nr * PCI_MSIX_ENTRY_SIZE;
	uint64_t pba_len = ALIGN_UP((uint64_t)(nr + 63) / 64 * 8, 8ULL);
	int i, ret;

	if (nr < 1 || nr > 2048 || bar < 0 || bar >= PCI_NUM_BARS ||
	    table_off % 8 || pba_off % 8 ||
	    ranges_overlap(table_off, table_len, pba_off, pba_len))
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->table = calloc(nr, PCI_MSIX_ENTRY_SIZE);
	m->pba = calloc(pba_len / 8, 8);
	m->v = calloc(nr, sizeof(*m->v));
	if (!m->table || !m->pba || !m->v) {
		ret = -ENOMEM;
		goto err;
	}
	m->dev = d;
	m->nr = nr;
	m->bar = bar;
	m->table_off = table_off;
	m->pba_off = pba_off;
	m->deliver = msi_vector__default_deliver;
	m->deliver_opaque = d->vm;
	pthread_mutex_init(&m->lock, NULL);
	for (i = 0; i < nr; i++) {
		msi_vector__init(&m->v[i]);
		/* Vectors come out of reset masked. */
		m->table[i * 4 + ENTRY_CTRL] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
	}

	m->cap = cap;
	pci_config__set16(&d->cfg, m->cap + PCI_MSIX_FLAGS, nr - 1);
	pci_config__set_wmask(&d->cfg, m->cap + PCI_MSIX_FLAGS,
			      PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL,
			      2);
	pci_config__set32(&d->cfg, m->cap + PCI_MSIX_TABLE, table_off | bar);
	pci_config__set32(&d->cfg, m->cap + PCI_MSIX_PBA, pba_off | bar);

	ret = pci_device__add_bar_region(d, bar, table_off, table_len,
					 pci_msix__table_access, m,
					 "MSI-X table");
	if (!ret)
		ret = pci_device__add_bar_region(d, bar, pba_off, pba_len,
						 pci_msix__pba_access, m,
						 "MSI-X PBA");
	if (ret)
		goto err;
	d->msix = m;
	return 0;
err:
	free(m->table);
	free(m->pba);
	free(m->v);
	free(m);
	return ret;
}

void pci_msix__exit(struct pci_device *d)
{
	struct pci_msix *m = d->msix;
	struct msi_vector_ctx c;
	int i;

	if (!m)
		return;
	c = ctx(m);
	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->nr; i++)
		msi_vector__release(&c, &m->v[i]);
	pthread_mutex_unlock(&m->lock);
	pthread_mutex_destroy(&m->lock);
	free(m->table);
	free(m->pba);
	free(m->v);
	free(m);
	d->msix = NULL;
}

void pci_msix__notify(struct pci_msix *m, int vector)
{
	struct msi_vector_ctx c;

	if (vector < 0 || vector >= m->nr)
		return;
	c = ctx(m);
	pthread_mutex_lock(&m->lock);
	/* With MSI-X off the function does not signal at all (QEMU alike). */
	if (m->enabled) {
		msi_vector__notify(&c, &m->v[vector], live(m, vector));
		set_pba(m, vector, m->v[vector].pending);
	}
	pthread_mutex_unlock(&m->lock);
}

int pci_msix__set_irqfd(struct pci_msix *m, int vector, int fd)
{
	struct msi_vector_ctx c;
	int ret;

	if (vector < 0 || vector >= m->nr)
		return -EINVAL;
	c = ctx(m);
	pthread_mutex_lock(&m->lock);
	ret = msi_vector__set_irqfd(&c, &m->v[vector], fd, live(m, vector));
	set_pba(m, vector, m->v[vector].pending);
	pthread_mutex_unlock(&m->lock);
	return ret;
}

bool pci_msix__enabled(struct pci_msix *m)
{
	bool e;

	pthread_mutex_lock(&m->lock);
	e = m->enabled;
	pthread_mutex_unlock(&m->lock);
	return e;
}

bool pci_msix__vector_live(struct pci_msix *m, int vector)
{
	bool l;

	if (vector < 0 || vector >= m->nr)
		return false;
	pthread_mutex_lock(&m->lock);
	l = live(m, vector);
	pthread_mutex_unlock(&m->lock);
	return l;
}
