#!/bin/bash
# triovm-vswitch's default arrangement: the frontends listen and the vswitch
# connects, retrying every second. Two dpdk-testpmd frontends (net_virtio_user
# in server mode) come up after the vswitch; A streams frames to B; B is
# killed mid-traffic. The vswitch keeps switching (and counts the frames with
# nowhere to go), reconnects when a new B listens on the same socket, and
# delivers to it; every count matches the frontends' exactly. Then A is killed
# while sending, and the vswitch still stops cleanly.
. "$(dirname "$0")/lib.sh"

MAC_A=02:00:00:00:00:0a
MAC_B=02:00:00:00:00:0b

# The vswitch first: nobody listens yet, it keeps trying.
vsw_start --stats-interval 1 \
	--port "vhost-user,path=$WORK/a.sock,name=a" \
	--port "vhost-user,path=$WORK/b.sock,name=b"
sleep 3
vsw_alive || fail "expected triovm-vswitch to wait for its frontends"
vsw_check 'not port("a")["up"] and not port("b")["up"]' ||
	fail "expected both ports down before any frontend listens"

tp_frontend a "$WORK/a.sock" $MAC_A server=1
tp_frontend b "$WORK/b.sock" $MAC_B server=1
tp_ready a 60
tp_ready b 60
# --stats-interval 1 keeps the JSON fresh; SIGUSR1 only adds reports.
vsw_wait 30 "both ports up" 'port("a")["up"] and port("b")["up"]'
note "connected to both frontends"

tp_cmd b start
tp_cmd a "set fwd txonly"
tp_cmd a "set eth-peer 0 $MAC_B"
tp_cmd a start
vsw_wait 60 "traffic from a to b" 'port("b")["tx_packets"] >= 2000'

# B dies mid-traffic.
tp_kill b
vsw_wait 30 "port b down after its frontend died" 'not port("b")["up"]'
a_rx=$(vsw_get 'port("a")["rx_packets"]')
vsw_wait 30 "the switch to go on receiving from a, with nowhere to send" \
	"port('a')['rx_packets'] > $a_rx + 1000 and port('a')['rx_dropped'] > 0"
b_tx_before=$(vsw_get 'port("b")["tx_packets"]')
note "b killed; a's frames dropped at the switch since ($(vsw_get 'port("a")["rx_dropped"]'))"

# A new B on the same socket (the dead one's file is stale: a new listener
# cannot bind over it).
rm -f "$WORK/b.sock"
tp_frontend b2 "$WORK/b.sock" $MAC_B server=1
tp_ready b2 60
vsw_wait 30 "port b to reconnect" 'port("b")["up"] and port("b")["connections"] == 2'
tp_cmd b2 start
vsw_wait 60 "traffic from a to the new b" "port('b')['tx_packets'] >= $b_tx_before + 2000"
note "b reconnected"

# Stop the stream; the counts on both sides must then agree exactly.
tp_cmd a stop
tp_stats a
a_tx=$TP_TX
vsw_wait 30 "the switch to have received all $a_tx frames a sent, each sent to b or dropped" \
	"port('a')['rx_packets'] == $a_tx and $a_tx == port('a')['rx_dropped'] + port('b')['tx_packets'] + port('b')['tx_dropped']"
tp_wait_rx b2 $(($(vsw_get 'port("b")["tx_packets"]') - b_tx_before)) 30
note "a sent $a_tx frames; the new b received $TP_RX, as the switch counted"

# Now the sender dies mid-stream, while the switch dequeues from it.
b_tx=$(vsw_get 'port("b")["tx_packets"]')
tp_cmd a start
vsw_wait 60 "a streaming again" "port('b')['tx_packets'] >= $b_tx + 2000"
tp_kill a
vsw_wait 30 "port a down after its frontend died" 'not port("a")["up"] and port("b")["up"]'
note "a killed while sending"

vsw_stop
vsw_check 'port("b")["connections"] == 2 and port("a")["connections"] == 1' ||
	fail "expected one connection for a and two for b"
tp_quit b2
note "passed"
