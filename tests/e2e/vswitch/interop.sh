#!/bin/bash
# triovm-vswitch against DPDK's own vhost-user frontend: three dpdk-testpmd
# processes with net_virtio_user ports connect to three vswitch ports in
# server mode and send fixed numbers of 64-byte frames. The switch floods an
# unknown destination, learns where each MAC is, sends known unicast to one
# port only, floods broadcast, never sends a frame back where it came from;
# every count the testpmds see matches the vswitch's JSON counters exactly.
. "$(dirname "$0")/lib.sh"

MAC_A=02:00:00:00:00:0a
MAC_B=02:00:00:00:00:0b
MAC_C=02:00:00:00:00:0c

vsw_start --port "vhost-user,path=$WORK/a.sock,server,name=a" \
	--port "vhost-user,path=$WORK/b.sock,server,name=b" \
	--port "vhost-user,path=$WORK/c.sock,server,name=c"
for x in a b c; do
	for _ in $(seq 40); do
		[ -S "$WORK/$x.sock" ] && break
		vsw_alive || fail "expected triovm-vswitch to start"
		sleep 0.25
	done
	[ -S "$WORK/$x.sock" ] || fail "expected triovm-vswitch to listen on $WORK/$x.sock"
done

# Rings of 1024: every frame of this test fits in a receive ring even when
# the receiving testpmd does not get the CPU for a while, so none may drop.
tp_frontend a "$WORK/a.sock" $MAC_A
tp_frontend b "$WORK/b.sock" $MAC_B
tp_frontend c "$WORK/c.sock" $MAC_C
for x in a b c; do
	tp_ready "$x" 60
	tp_cmd "$x" start
done
vsw_wait 30 "all three ports up" \
	'all(p["up"] and p["connections"] == 1 for p in s["ports"])'
note "three testpmd frontends connected"

# send NAME DST BURSTS: BURSTS bursts of 32 frames, then back to receiving.
send() {
	tp_cmd "$1" stop
	tp_cmd "$1" "set eth-peer 0 $2"
	tp_cmd "$1" "start tx_first $3"
}

# 1. A to B, unknown yet: flooded to B and C.
send a $MAC_B 1
vsw_wait 30 "32 frames from a flooded to b and c" \
	'port("a")["rx_packets"] == 32 and port("b")["tx_packets"] == 32 and port("c")["tx_packets"] == 32'
# 2. B to A, learned on a: to A only.
send b $MAC_A 1
vsw_wait 30 "32 frames from b to a only" \
	'port("b")["rx_packets"] == 32 and port("a")["tx_packets"] == 32'
# 3. A to B, learned on b: 320 frames to B only.
send a $MAC_B 10
vsw_wait 30 "320 more frames from a to b only" \
	'port("a")["rx_packets"] == 352 and port("b")["tx_packets"] == 352'
# 4. C broadcasts: to A and B.
send c ff:ff:ff:ff:ff:ff 1
vsw_wait 30 "32 broadcast frames from c to a and b" \
	'port("c")["rx_packets"] == 32 and port("a")["tx_packets"] == 64 and port("b")["tx_packets"] == 384'
note "switched: flood, learn, unicast, broadcast"

# What each frontend sent and received, against the switch's view of it.
declare -A want_tx=([a]=352 [b]=32 [c]=32) want_rx=([a]=64 [b]=384 [c]=32)
for x in a b c; do
	tp_wait_rx "$x" "${want_rx[$x]}" 30
	[ "$TP_TX" = "${want_tx[$x]}" ] ||
		fail "expected testpmd $x to have sent ${want_tx[$x]} frames, not $TP_TX"
	note "testpmd $x: sent $TP_TX, received $TP_RX"
done
vsw_wait 10 "the switch's counters to match the testpmds'" "$(
	printf '%s and ' \
		'port("a")["rx_packets"] == 352 and port("a")["tx_packets"] == 64' \
		'port("b")["rx_packets"] == 32 and port("b")["tx_packets"] == 384' \
		'port("c")["rx_packets"] == 32 and port("c")["tx_packets"] == 32' \
		'all(p["rx_bytes"] == 64 * p["rx_packets"] and p["tx_bytes"] == 64 * p["tx_packets"] for p in s["ports"])' \
		'all(p["rx_dropped"] == 0 and p["tx_dropped"] == 0 for p in s["ports"])'
	echo 's["fdb_entries"] == 3')"
grep -q "MACs learned" "$WORK/vswitch.out" ||
	fail "expected SIGUSR1 to print the counters on stdout"

# The vswitch stops cleanly with the frontends still connected, removes the
# sockets it listened on and writes its final counters.
rm -f "$VSW_STATS"
vsw_stop
[ -s "$VSW_STATS" ] || fail "expected the final counters in $VSW_STATS"
vsw_check 'port("b")["tx_packets"] == 384' || fail "expected the final counters to be the last ones"
for x in a b c; do
	[ -e "$WORK/$x.sock" ] && fail "expected $WORK/$x.sock to be removed at exit"
	tp_quit "$x"
done
note "passed"
