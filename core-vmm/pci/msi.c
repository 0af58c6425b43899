// SPDX-License-Identifier: GPL-2.0
/* The MSI capability (PCI Local Bus 3.0, section 6.8.1), multi-message aware. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/log.h"
#include "triovm/pci-msi.h"
#include "triovm/pci.h"
#include "triovm/vm.h"
#include "msi-vector.h"

static void msi_poll(int fd, uint32_t events, void *opaque);

static struct msi_vector_ctx ctx(struct pci_msi *m)
{
	struct msi_vector_ctx c = {
		.vm = m->dev->vm,
		.deliver = m->deliver,
		.deliver_opaque = m->deliver_opaque,
		.poll_fn = msi_poll,
		.poll_opaque = m,
	};

	return c;
}

static uint16_t off_data(struct pci_msi *m)
{
	return m->cap + (m->is64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32);
}

static uint16_t off_mask(struct pci_msi *m)
{
	return m->cap + (m->is64 ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);
}

static uint16_t off_pending(struct pci_msi *m)
{
	return m->cap + (m->is64 ? PCI_MSI_PENDING_64 : PCI_MSI_PENDING_32);
}

static bool live(struct pci_msi *m, int i)
{
	return m->enabled && i < m->nr_enabled && !m->v[i].masked;
}

static void sync_pending(struct pci_msi *m)
{
	uint32_t bits = 0;
	int i;

	if (!m->maskable)
		return;
	for (i = 0; i < m->nr; i++)
		if (m->v[i].pending)
			bits |= 1U << i;
	pci_config__set32(&m->dev->cfg, off_pending(m), bits);
}

/* Re-read the capability registers into the vectors. */
static void refresh(struct pci_msi *m)
{
	struct pci_config *cfg = &m->dev->cfg;
	struct msi_vector_ctx c = ctx(m);
	uint16_t flags = pci_config__get16(cfg, m->cap + PCI_MSI_FLAGS);
	uint64_t addr = pci_config__get32(cfg, m->cap + PCI_MSI_ADDRESS_LO);
	uint32_t data = pci_config__get16(cfg, off_data(m));
	uint32_t mask = m->maskable ? pci_config__get32(cfg, off_mask(m)) : 0;
	int mme = (flags & PCI_MSI_FLAGS_QSIZE) >> 4, i;

	if (m->is64)
		addr |= (uint64_t)pci_config__get32(cfg,
						    m->cap + PCI_MSI_ADDRESS_HI)
			<< 32;
	m->enabled = flags & PCI_MSI_FLAGS_ENABLE;
	/* The guest cannot enable more vectors than the device asked for. */
	m->nr_enabled = min(1 << mme, m->nr);
	for (i = 0; i < m->nr; i++) {
		struct pci_msi_vector *v = &m->v[i];

		v->addr = addr;
		/* Vector i changes the low bits of the message data. */
		v->data = (data & ~(uint32_t)(m->nr_enabled - 1)) | i;
		v->masked = mask & (1U << i);
		msi_vector__update(&c, v, live(m, i));
		if (m->update)
			m->update(m->update_opaque, i);
	}
	sync_pending(m);
}

static void msi_poll(int fd, uint32_t events, void *opaque)
{
	struct pci_msi *m = opaque;
	struct msi_vector_ctx c = ctx(m);
	int i;

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->nr; i++) {
		if (m->v[i].irqfd == fd) {
			msi_vector__polled(&c, &m->v[i], live(m, i));
			sync_pending(m);
			break;
		}
	}
	pthread_mutex_unlock(&m->lock);
}

void pci_msi__config_changed(struct pci_msi *m)
{
	pthread_mutex_lock(&m->lock);
	refresh(m);
	pthread_mutex_unlock(&m->lock);
}

static int msi_len(bool is64, bool maskable)
{
	return maskable ? (is64 ? 24 : 20) : (is64 ? 14 : 10);
}

static int msi_init(struct pci_device *d, uint16_t cap, int nr, bool is64,
		    bool maskable);

int pci_msi__init(struct pci_device *d, int nr, bool is64, bool maskable)
{
	uint16_t cap;

	if (nr < 1 || nr > PCI_MSI_MAX_VECTORS || !is_power_of_2(nr))
		return -EINVAL;
	cap = pci_config__add_cap(&d->cfg, PCI_CAP_ID_MSI,
				  msi_len(is64, maskable));
	if (!cap)
		return -ENOSPC;
	return msi_init(d, cap, nr, is64, maskable);
}

int pci_msi__init_at(struct pci_device *d, uint16_t cap, int nr, bool is64,
		     bool maskable)
{
	if (nr < 1 || nr > PCI_MSI_MAX_VECTORS || !is_power_of_2(nr) ||
	    cap < PCI_STD_HEADER_SIZEOF ||
	    cap + msi_len(is64, maskable) > PCI_CFG_SPACE_SIZE)
		return -EINVAL;
	pci_config__set8(&d->cfg, cap + PCI_CAP_LIST_ID, PCI_CAP_ID_MSI);
	return msi_init(d, cap, nr, is64, maskable);
}

static int msi_init(struct pci_device *d, uint16_t cap, int nr, bool is64,
		    bool maskable)
{
	struct pci_config *cfg = &d->cfg;
	struct pci_msi *m;
	uint16_t flags = 0;
	int log2 = 0, i;

	while ((1 << log2) < nr)
		log2++;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->dev = d;
	m->nr = nr;
	m->is64 = is64;
	m->maskable = maskable;
	m->nr_enabled = 1;
	m->deliver = msi_vector__default_deliver;
	m->deliver_opaque = d->vm;
	pthread_mutex_init(&m->lock, NULL);
	for (i = 0; i < PCI_MSI_MAX_VECTORS; i++) {
		msi_vector__init(&m->v[i]);
		m->v[i].masked = false; /* MSI vectors are unmasked at reset */
	}

	m->cap = cap;
	flags = log2 << 1;
	if (is64)
		flags |= PCI_MSI_FLAGS_64BIT;
	if (maskable)
		flags |= PCI_MSI_FLAGS_MASKBIT;
	pci_config__set16(cfg, m->cap + PCI_MSI_FLAGS, flags);
	pci_config__set_wmask(cfg, m->cap + PCI_MSI_FLAGS,
			      PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE, 2);
	pci_config__set_wmask(cfg, m->cap + PCI_MSI_ADDRESS_LO, ~3U, 4);
	if (is64)
		pci_config__set_wmask(cfg, m->cap + PCI_MSI_ADDRESS_HI, ~0U, 4);
	pci_config__set_wmask(cfg, off_data(m), 0xffff, 2);
	if (maskable)
		pci_config__set_wmask(cfg, off_mask(m),
				      nr == 32 ? ~0U : (1U << nr) - 1, 4);
	d->msi = m;
	return 0;
}

void pci_msi__exit(struct pci_device *d)
{
	struct pci_msi *m = d->msi;
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
	free(m);
	d->msi = NULL;
}

void pci_msi__notify(struct pci_msi *m, int vector)
{
	struct msi_vector_ctx c;

	if (vector < 0 || vector >= m->nr)
		return;
	c = ctx(m);
	pthread_mutex_lock(&m->lock);
	if (m->enabled && vector < m->nr_enabled) {
		msi_vector__notify(&c, &m->v[vector], live(m, vector));
		sync_pending(m);
	}
	pthread_mutex_unlock(&m->lock);
}

int pci_msi__set_irqfd(struct pci_msi *m, int vector, int fd)
{
	struct msi_vector_ctx c;
	int ret;

	if (vector < 0 || vector >= m->nr)
		return -EINVAL;
	c = ctx(m);
	pthread_mutex_lock(&m->lock);
	ret = msi_vector__set_irqfd(&c, &m->v[vector], fd, live(m, vector));
	pthread_mutex_unlock(&m->lock);
	return ret;
}

bool pci_msi__enabled(struct pci_msi *m)
{
	bool e;

	pthread_mutex_lock(&m->lock);
	e = m->enabled;
	pthread_mutex_unlock(&m->lock);
	return e;
}
