// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net's control queue as triovm serves it: commands from a driver in
 * real guest RAM get VIRTIO_NET_OK or VIRTIO_NET_ERR; malformed chains are
 * an error on the queue; a driver that floods the queue cannot hold triovm.
 */
#include <errno.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "triovm/util.h"
#include "triovm/virtio-net.h"
#include "triovm/virtqueue.h"
#include "ring.h"

#define FEATURES                                                       \
	(BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(VIRTIO_NET_F_CTRL_VQ) | \
	 BIT_ULL(VIRTIO_NET_F_CTRL_RX) | BIT_ULL(VIRTIO_NET_F_MQ))

static struct ring r;
static struct virtq vq;
static struct virtio_net net;
static int pairs_calls;
static uint16_t pairs_seen;

static void on_pairs(void *opaque, uint16_t pairs)
{
	pairs_calls++;
	pairs_seen = pairs;
}

static int setup(void **state)
{
	static const uint8_t mac[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	const char *why = NULL;

	ring_init(&r, 64);
	assert_int_equal(virtq__init(&vq, &r.mem, 64, RING_DESC, RING_AVAIL,
				     RING_USED, false, &why),
			 0);
	virtio_net__init(&net, mac, 4);
	net.set_queue_pairs = on_pairs;
	pairs_calls = 0;
	pairs_seen = 0;
	return 0;
}

static int teardown(void **state)
{
	ring_exit(&r);
	return 0;
}

/*
 * A command as Linux sends it: header, data, status byte, in three
 * descriptors starting at `head`. Returns where the status byte is.
 */
static uint64_t post(uint16_t head, uint8_t class, uint8_t cmd,
		     const void *data, uint32_t len)
{
	uint64_t buf = RING_BUFS + 0x1000ULL * head;
	uint8_t hdr[2] = { class, cmd };

	memcpy(gpa(&r, buf, 2), hdr, 2);
	if (len)
		memcpy(gpa(&r, buf + 0x10, len), data, len);
	*(uint8_t *)gpa(&r, buf + 0x800, 1) = 0xee;
	set_desc(&r, RING_DESC, head, buf, 2, VRING_DESC_F_NEXT, head + 1);
	if (len) {
		set_desc(&r, RING_DESC, head + 1, buf + 0x10, len,
			 VRING_DESC_F_NEXT, head + 2);
		set_desc(&r, RING_DESC, head + 2, buf + 0x800, 1,
			 VRING_DESC_F_WRITE, 0);
	} else {
		set_desc(&r, RING_DESC, head + 1, buf + 0x800, 1,
			 VRING_DESC_F_WRITE, 0);
	}
	make_avail(&r, head);
	return buf + 0x800;
}

static uint8_t run_one(uint64_t status_at, uint64_t features)
{
	const char *why = NULL;
	bool irq;

	assert_int_equal(
		virtio_net_ctrl__process(&net, &vq, features, &irq, &why), 1);
	assert_true(irq);
	return *(uint8_t *)gpa(&r, status_at, 1);
}

static void test_rx_modes(void **state)
{
	uint8_t on = 1;

	assert_int_equal(run_one(post(0, VIRTIO_NET_CTRL_RX,
				      VIRTIO_NET_CTRL_RX_PROMISC, &on, 1),
				 FEATURES),
			 VIRTIO_NET_OK);
	assert_true(net.promisc);
	assert_int_equal(run_one(post(3, VIRTIO_NET_CTRL_RX,
				      VIRTIO_NET_CTRL_RX_ALLMULTI, &on, 1),
				 FEATURES),
			 VIRTIO_NET_OK);
	assert_true(net.allmulti);
	/* The extra RX modes need a feature triovm does not offer. */
	assert_int_equal(run_one(post(6, VIRTIO_NET_CTRL_RX,
				      VIRTIO_NET_CTRL_RX_NOBCAST, &on, 1),
				 FEATURES),
			 VIRTIO_NET_ERR);
	/* Without CTRL_RX negotiated, nothing. */
	assert_int_equal(run_one(post(9, VIRTIO_NET_CTRL_RX,
				      VIRTIO_NET_CTRL_RX_PROMISC, &on, 1),
				 BIT_ULL(VIRTIO_NET_F_CTRL_VQ)),
			 VIRTIO_NET_ERR);
	assert_int_equal(net.ctrl_commands, 4);
}

static void test_mac_table(void **state)
{
	/* One unicast entry, two multicast entries. */
	uint8_t t[4 + 6 + 4 + 12] = { 1, 0, 0, 0 };

	t[10] = 2;
	assert_int_equal(run_one(post(0, VIRTIO_NET_CTRL_MAC,
				      VIRTIO_NET_CTRL_MAC_TABLE_SET, t,
				      sizeof(t)),
				 FEATURES),
			 VIRTIO_NET_OK);
	/* A count that claims more entries than were sent. */
	t[10] = 200;
	assert_int_equal(run_one(post(3, VIRTIO_NET_CTRL_MAC,
				      VIRTIO_NET_CTRL_MAC_TABLE_SET, t,
				      sizeof(t)),
				 FEATURES),
			 VIRTIO_NET_ERR);
	t[0] = 0xff;
	t[3] = 0xff;
	assert_int_equal(run_one(post(6, VIRTIO_NET_CTRL_MAC,
				      VIRTIO_NET_CTRL_MAC_TABLE_SET, t,
				      sizeof(t)),
				 FEATURES),
			 VIRTIO_NET_ERR);
}

static void test_mq(void **state)
{
	uint16_t pairs = 3;

	assert_int_equal(run_one(post(0, VIRTIO_NET_CTRL_MQ,
				      VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &pairs,
				      2),
				 FEATURES),
			 VIRTIO_NET_OK);
	assert_int_equal(pairs_calls, 1);
	assert_int_equal(pairs_seen, 3);
	assert_int_equal(net.active_pairs, 3);
	pairs = 5; /* more than the device has */
	assert_int_equal(run_one(post(3, VIRTIO_NET_CTRL_MQ,
				      VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &pairs,
				      2),
				 FEATURES),
			 VIRTIO_NET_ERR);
	pairs = 0;
	assert_int_equal(run_one(post(6, VIRTIO_NET_CTRL_MQ,
				      VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &pairs,
				      2),
				 FEATURES),
			 VIRTIO_NET_ERR);
	pairs = 2; /* MQ not negotiated */
	assert_int_equal(run_one(post(9, VIRTIO_NET_CTRL_MQ,
				      VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &pairs,
				      2),
				 BIT_ULL(VIRTIO_NET_F_CTRL_VQ)),
			 VIRTIO_NET_ERR);
	/* A short payload. */
	assert_int_equal(run_one(post(12, VIRTIO_NET_CTRL_MQ,
				      VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &pairs,
				      1),
				 FEATURES),
			 VIRTIO_NET_ERR);
	assert_int_equal(pairs_calls, 1);
	assert_int_equal(net.active_pairs, 3);
}

static void test_unknown_class(void **state)
{
	uint8_t x = 0;

	assert_int_equal(run_one(post(0, VIRTIO_NET_CTRL_VLAN,
				      VIRTIO_NET_CTRL_VLAN_ADD, &x, 1),
				 FEATURES),
			 VIRTIO_NET_ERR);
	assert_int_equal(run_one(post(3, 0xff, 0xff, NULL, 0), FEATURES),
			 VIRTIO_NET_ERR);
}

static void test_no_status_byte(void **state)
{
	const char *why = NULL;
	bool irq;

	set_desc(&r, RING_DESC, 0, RING_BUFS, 2, 0, 0);
	make_avail(&r, 0);
	assert_int_equal(virtio_net_ctrl__process(&net, &vq, FEATURES, &irq,
						  &why),
			 -EINVAL);
	assert_non_null(why);
}

static void test_no_header(void **state)
{
	const char *why = NULL;
	bool irq;

	set_desc(&r, RING_DESC, 0, RING_BUFS, 1, VRING_DESC_F_WRITE, 0);
	make_avail(&r, 0);
	assert_int_equal(virtio_net_ctrl__process(&net, &vq, FEATURES, &irq,
						  &why),
			 -EINVAL);
}

static void test_hostile_chain(void **state)
{
	const char *why = NULL;
	bool irq;

	set_desc(&r, RING_DESC, 0, RING_BUFS, 2, VRING_DESC_F_NEXT, 1);
	set_desc(&r, RING_DESC, 1, RING_BUFS, 2, VRING_DESC_F_NEXT, 0);
	make_avail(&r, 0);
	assert_int_equal(virtio_net_ctrl__process(&net, &vq, FEATURES, &irq,
						  &why),
			 -EINVAL);
}

static void test_budget(void **state)
{
	const char *why = NULL;
	uint8_t on = 1;
	bool irq;
	int i;

	/* Every entry of the queue, the same chain over and over. */
	post(0, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC, &on, 1);
	for (i = 1; i < 64; i++)
		make_avail(&r, 0);
	assert_int_equal(virtio_net_ctrl__process(&net, &vq, FEATURES, &irq,
						  &why),
			 VIRTIO_NET_CTRL_BUDGET);
	assert_int_equal(used_idx(&r), 64);
	assert_int_equal(
		virtio_net_ctrl__process(&net, &vq, FEATURES, &irq, &why), 0);
}

static void test_config_space(void **state)
{
	uint8_t cfg[16];

	net.status = VIRTIO_NET_S_LINK_UP;
	virtio_net__config_read(&net, 0, cfg, sizeof(cfg));
	assert_memory_equal(cfg, net.mac, ETH_ALEN);
	assert_int_equal(cfg[6], VIRTIO_NET_S_LINK_UP);
	assert_int_equal(cfg[8], 4); /* max_virtqueue_pairs */
	assert_int_equal(cfg[12], 0); /* past the end */
	assert_int_equal(virtio_net__ctrl_queue(&net), 8);
	assert_true(virtio_net__device_features(&net) &
		    BIT_ULL(VIRTIO_NET_F_MQ));
	assert_true(virtio_net__emulated_features() &
		    BIT_ULL(VIRTIO_NET_F_STATUS));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_rx_modes),
		T(test_mac_table),
		T(test_mq),
		T(test_unknown_class),
		T(test_no_status_byte),
		T(test_no_header),
		T(test_hostile_chain),
		T(test_budget),
		T(test_config_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
