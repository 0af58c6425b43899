// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-pci common configuration's semantics (virtio v1.2, 4.1.4.3):
 * feature select windows, queue size rules, queue_enable, MSI-X vectors,
 * device status sequencing, reset, and reads of unselected or absent queues.
 */
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "triovm/util.h"
#include "triovm/virtio-pci.h"

#define OFFERED (BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(5) | BIT_ULL(40))
#define NQ 3
#define NVEC 4
#define QMAX 256

static struct virtio_pci_common c;
static bool refuse;

static bool features_ok(void *opaque, uint64_t f)
{
	return !refuse;
}

static int setup(void **state)
{
	virtio_pci_common__init(&c, NQ, QMAX, NVEC, OFFERED);
	c.features_ok = features_ok;
	refuse = false;
	return 0;
}

static uint64_t rd(uint64_t off, uint32_t len)
{
	uint64_t v = 0;

	virtio_pci_common__read(&c, off, (uint8_t *)&v, len);
	return v;
}

static unsigned int wr(uint64_t off, uint64_t v, uint32_t len)
{
	uint16_t q;

	return virtio_pci_common__write(&c, off, (uint8_t *)&v, len, &q);
}

static void ack_features(uint64_t f)
{
	wr(VIRTIO_PCI_COMMON_GFSELECT, 0, 4);
	wr(VIRTIO_PCI_COMMON_GF, (uint32_t)f, 4);
	wr(VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
	wr(VIRTIO_PCI_COMMON_GF, f >> 32, 4);
}

static uint8_t status(void)
{
	return rd(VIRTIO_PCI_COMMON_STATUS, 1);
}

static void to_driver_ok(void)
{
	wr(VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE, 1);
	wr(VIRTIO_PCI_COMMON_STATUS,
	   VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER, 1);
	ack_features(BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(5));
	wr(VIRTIO_PCI_COMMON_STATUS,
	   VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		   VIRTIO_CONFIG_S_FEATURES_OK,
	   1);
	assert_true(status() & VIRTIO_CONFIG_S_FEATURES_OK);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_STATUS, 0x0f, 1),
			 VIRTIO_PCI_EV_STATUS);
	assert_int_equal(status(), 0x0f);
}

static void test_feature_windows(void **state)
{
	wr(VIRTIO_PCI_COMMON_DFSELECT, 0, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_DF, 4), (uint32_t)OFFERED);
	wr(VIRTIO_PCI_COMMON_DFSELECT, 1, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_DFSELECT, 4), 1);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_DF, 4), OFFERED >> 32);
	/* Windows past the 64 feature bits read as zero. */
	wr(VIRTIO_PCI_COMMON_DFSELECT, 2, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_DF, 4), 0);
	wr(VIRTIO_PCI_COMMON_DFSELECT, 0xffffffff, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_DF, 4), 0);
	/* device_feature is read-only. */
	wr(VIRTIO_PCI_COMMON_DFSELECT, 0, 4);
	wr(VIRTIO_PCI_COMMON_DF, 0, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_DF, 4), (uint32_t)OFFERED);

	ack_features(0x123456789aULL);
	assert_int_equal(c.driver_features, 0x123456789aULL);
	wr(VIRTIO_PCI_COMMON_GFSELECT, 0, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_GF, 4), 0x3456789a);
	wr(VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_GF, 4), 0x12);
	/* A write through a window past bit 63 goes nowhere. */
	wr(VIRTIO_PCI_COMMON_GFSELECT, 2, 4);
	wr(VIRTIO_PCI_COMMON_GF, 0xffffffff, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_GF, 4), 0);
	assert_int_equal(c.driver_features, 0x123456789aULL);
	/* Half-width writes are not feature writes. */
	wr(VIRTIO_PCI_COMMON_GFSELECT, 0, 4);
	wr(VIRTIO_PCI_COMMON_GF, 0, 2);
	assert_int_equal(c.driver_features, 0x123456789aULL);
}

static void test_num_queues_and_notify_off(void **state)
{
	int q;

	assert_int_equal(rd(VIRTIO_PCI_COMMON_NUMQ, 2), NQ);
	wr(VIRTIO_PCI_COMMON_NUMQ, 9, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_NUMQ, 2), NQ);
	for (q = 0; q < NQ; q++) {
		wr(VIRTIO_PCI_COMMON_Q_SELECT, q, 2);
		assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_NOFF, 2), q);
		assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), QMAX);
	}
}

static void test_queue_size(void **state)
{
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 1, 2);
	wr(VIRTIO_PCI_COMMON_Q_SIZE, 128, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), 128);
	wr(VIRTIO_PCI_COMMON_Q_SIZE, 100, 2); /* not a power of two */
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), 128);
	wr(VIRTIO_PCI_COMMON_Q_SIZE, 512, 2); /* above the maximum */
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), 128);
	wr(VIRTIO_PCI_COMMON_Q_SIZE, 0, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), 128);
	wr(VIRTIO_PCI_COMMON_Q_SIZE, 1, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), 1);
	wr(VIRTIO_PCI_COMMON_Q_SIZE, QMAX, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), QMAX);
	/* Other queues keep theirs. */
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), QMAX);
}

static void test_queue_addresses(void **state)
{
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 2, 2);
	wr(VIRTIO_PCI_COMMON_Q_DESCLO, 0x1000, 4);
	wr(VIRTIO_PCI_COMMON_Q_DESCHI, 0x2, 4);
	wr(VIRTIO_PCI_COMMON_Q_AVAILLO, 0x123456789000ULL, 8);
	wr(VIRTIO_PCI_COMMON_Q_USEDLO, 0x3000, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_DESCLO, 8), 0x200001000ULL);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_DESCHI, 4), 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_AVAILLO, 4), 0x56789000);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_AVAILHI, 4), 0x1234);
	assert_int_equal(c.queues[2].device, 0x3000);
	/* A 2-byte write into an address is not a valid access. */
	wr(VIRTIO_PCI_COMMON_Q_USEDLO, 0xffff, 2);
	assert_int_equal(c.queues[2].device, 0x3000);
}

static void test_queue_enable(void **state)
{
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
	wr(VIRTIO_PCI_COMMON_Q_SIZE, 64, 2);
	wr(VIRTIO_PCI_COMMON_Q_DESCLO, 0x1000, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_Q_ENABLE, 0, 2), 0);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2),
			 VIRTIO_PCI_EV_QUEUE_ENABLE);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_ENABLE, 2), 1);
	/* An enabled queue's setup is frozen. */
	wr(VIRTIO_PCI_COMMON_Q_SIZE, 32, 2);
	wr(VIRTIO_PCI_COMMON_Q_DESCLO, 0x5000, 4);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), 64);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_DESCLO, 4), 0x1000);
	/* Writing 0 does not disable it (no VIRTIO_F_RING_RESET). */
	wr(VIRTIO_PCI_COMMON_Q_ENABLE, 0, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_ENABLE, 2), 1);
	/* Other queues stay disabled. */
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 1, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
}

static void test_absent_queue(void **state)
{
	unsigned int ev;

	wr(VIRTIO_PCI_COMMON_Q_SELECT, NQ, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SELECT, 2), NQ);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_MSIX, 2), VIRTIO_MSI_NO_VECTOR);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_DESCLO, 8), 0);
	ev = wr(VIRTIO_PCI_COMMON_Q_SIZE, 64, 2);
	ev |= wr(VIRTIO_PCI_COMMON_Q_MSIX, 1, 2);
	ev |= wr(VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
	ev |= wr(VIRTIO_PCI_COMMON_Q_DESCLO, 0x1000, 8);
	assert_int_equal(ev, 0);
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 0xffff, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), 0);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2), 0);
	/* Beyond the structure: zeros, writes ignored. */
	assert_int_equal(rd(VIRTIO_PCI_COMMON_CFG_SIZE, 4), 0);
	assert_int_equal(rd(0xff8, 8), 0);
	assert_int_equal(wr(0xff8, ~0ULL, 8), 0);
}

static void test_vectors(void **state)
{
	assert_int_equal(rd(VIRTIO_PCI_COMMON_MSIX, 2), VIRTIO_MSI_NO_VECTOR);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_MSIX, 0, 2),
			 VIRTIO_PCI_EV_CONFIG_VECTOR);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_MSIX, 2), 0);
	/* A vector the function lacks reads back as NO_VECTOR. */
	wr(VIRTIO_PCI_COMMON_MSIX, NVEC, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_MSIX, 2), VIRTIO_MSI_NO_VECTOR);
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 1, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_MSIX, 2), VIRTIO_MSI_NO_VECTOR);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_Q_MSIX, 3, 2),
			 VIRTIO_PCI_EV_QUEUE_VECTOR);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_MSIX, 2), 3);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_Q_MSIX, 3, 2), 0);
	wr(VIRTIO_PCI_COMMON_Q_MSIX, 0x7fff, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_MSIX, 2), VIRTIO_MSI_NO_VECTOR);
}

static void test_status_sequence(void **state)
{
	to_driver_ok();
	/* Features are fixed after FEATURES_OK. */
	ack_features(OFFERED);
	assert_int_equal(c.driver_features,
			 BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(5));
	/* Queues are frozen once the device runs. */
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
	wr(VIRTIO_PCI_COMMON_Q_SIZE, 16, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), QMAX);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2), 0);
	/* The driver cannot clear bits, nor set NEEDS_RESET. */
	wr(VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE, 1);
	assert_int_equal(status(), 0x0f);
	wr(VIRTIO_PCI_COMMON_STATUS, 0x0f | VIRTIO_CONFIG_S_NEEDS_RESET, 1);
	assert_int_equal(status(), 0x0f);
	/* FAILED is the driver's to set. */
	wr(VIRTIO_PCI_COMMON_STATUS, 0x0f | VIRTIO_CONFIG_S_FAILED, 1);
	assert_int_equal(status(), 0x0f | VIRTIO_CONFIG_S_FAILED);
	/* Status is one byte wide. */
	assert_int_equal(wr(VIRTIO_PCI_COMMON_STATUS, 0, 2), 0);
	assert_false(c.reset_pending);
}

static void test_features_refused(void **state)
{
	uint8_t base = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;

	wr(VIRTIO_PCI_COMMON_STATUS, base, 1);
	/* No VERSION_1: a modern-only device refuses. */
	ack_features(BIT_ULL(5));
	wr(VIRTIO_PCI_COMMON_STATUS, base | VIRTIO_CONFIG_S_FEATURES_OK, 1);
	assert_int_equal(status(), base);
	/* A bit that was never offered. */
	ack_features(BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(6));
	wr(VIRTIO_PCI_COMMON_STATUS, base | VIRTIO_CONFIG_S_FEATURES_OK, 1);
	assert_int_equal(status(), base);
	/* The device's own check. */
	refuse = true;
	ack_features(BIT_ULL(VIRTIO_F_VERSION_1));
	wr(VIRTIO_PCI_COMMON_STATUS, base | VIRTIO_CONFIG_S_FEATURES_OK, 1);
	assert_int_equal(status(), base);
	/* DRIVER_OK without FEATURES_OK does not stick. */
	wr(VIRTIO_PCI_COMMON_STATUS, base | VIRTIO_CONFIG_S_DRIVER_OK, 1);
	assert_int_equal(status(), base);
	refuse = false;
	wr(VIRTIO_PCI_COMMON_STATUS, base | VIRTIO_CONFIG_S_FEATURES_OK, 1);
	assert_int_equal(status(), base | VIRTIO_CONFIG_S_FEATURES_OK);
}

static void test_reset(void **state)
{
	unsigned int ev;
	uint8_t gen;

	wr(VIRTIO_PCI_COMMON_MSIX, 1, 2);
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 1, 2);
	wr(VIRTIO_PCI_COMMON_Q_SIZE, 32, 2);
	wr(VIRTIO_PCI_COMMON_Q_MSIX, 2, 2);
	wr(VIRTIO_PCI_COMMON_Q_DESCLO, 0x1000, 8);
	wr(VIRTIO_PCI_COMMON_Q_AVAILLO, 0x2000, 8);
	wr(VIRTIO_PCI_COMMON_Q_USEDLO, 0x3000, 8);
	wr(VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
	wr(VIRTIO_PCI_COMMON_DFSELECT, 1, 4);
	to_driver_ok();
	gen = rd(VIRTIO_PCI_COMMON_CFGGENERATION, 1);

	ev = wr(VIRTIO_PCI_COMMON_STATUS, 0, 1);
	assert_int_equal(ev, VIRTIO_PCI_EV_RESET);
	assert_true(c.reset_pending);
	/* Until the device is done, status reads non-zero and writes wait. */
	assert_int_equal(status(), 0x0f);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_STATUS, 1, 1), 0);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_Q_SELECT, 2, 2), 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SELECT, 2), 1);

	virtio_pci_common__reset(&c);
	assert_false(c.reset_pending);
	assert_int_equal(status(), 0);
	assert_int_equal(c.driver_features, 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_DFSELECT, 4), 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_GFSELECT, 4), 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_MSIX, 2), VIRTIO_MSI_NO_VECTOR);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SELECT, 2), 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_CFGGENERATION, 1), gen);
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 1, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), QMAX);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_MSIX, 2), VIRTIO_MSI_NO_VECTOR);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_DESCLO, 8), 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_AVAILLO, 8), 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_USEDLO, 8), 0);
	/* And the device can be brought up again. */
	to_driver_ok();
}

static void test_reset_from_zero(void **state)
{
	/* Linux's first reset: status 0 already, and it reads 0 back at once. */
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 1, 2);
	wr(VIRTIO_PCI_COMMON_Q_SIZE, 32, 2);
	wr(VIRTIO_PCI_COMMON_Q_MSIX, 2, 2);
	assert_int_equal(wr(VIRTIO_PCI_COMMON_STATUS, 0, 1),
			 VIRTIO_PCI_EV_RESET_DONE);
	assert_false(c.reset_pending);
	assert_int_equal(status(), 0);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SELECT, 2), 0);
	wr(VIRTIO_PCI_COMMON_Q_SELECT, 1, 2);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_SIZE, 2), QMAX);
	assert_int_equal(rd(VIRTIO_PCI_COMMON_Q_MSIX, 2), VIRTIO_MSI_NO_VECTOR);
	/* Its next writes count. */
	assert_int_equal(wr(VIRTIO_PCI_COMMON_STATUS,
			    VIRTIO_CONFIG_S_ACKNOWLEDGE, 1),
			 VIRTIO_PCI_EV_STATUS);
	assert_int_equal(status(), VIRTIO_CONFIG_S_ACKNOWLEDGE);
}

static void test_byte_reads(void **state)
{
	uint8_t b[VIRTIO_PCI_COMMON_CFG_SIZE];
	int i;

	wr(VIRTIO_PCI_COMMON_Q_SELECT, 2, 2);
	wr(VIRTIO_PCI_COMMON_Q_DESCLO, 0x8877665544332211ULL, 8);
	/* Any split of a read gives the same bytes. */
	for (i = 0; i < (int)sizeof(b); i++)
		b[i] = rd(i, 1);
	assert_int_equal(b[VIRTIO_PCI_COMMON_Q_DESCLO], 0x11);
	assert_int_equal(b[VIRTIO_PCI_COMMON_Q_DESCHI + 3], 0x88);
	assert_int_equal(b[VIRTIO_PCI_COMMON_NUMQ], NQ);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_feature_windows),  T(test_num_queues_and_notify_off),
		T(test_queue_size),	  T(test_queue_addresses),
		T(test_queue_enable),	  T(test_absent_queue),
		T(test_vectors),	  T(test_status_sequence),
		T(test_features_refused), T(test_reset),
		T(test_reset_from_zero),  T(test_byte_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
