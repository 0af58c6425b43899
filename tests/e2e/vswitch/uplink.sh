#!/bin/bash
# An ethdev uplink is just another switch port: triovm-vswitch with two
# vhost-user ports (dpdk-testpmd frontends) and a net_af_packet uplink on one
# end of a veth pair, in a network namespace of the test's own (IPv6 off, no
# addresses: the kernel sends nothing there). A station behind the uplink
# broadcasts and both guests receive it; guest A answers it by MAC and only
# the uplink carries the answer out, where the station sees exactly those
# frames.
if [ -z "${VSW_TEST_NETNS:-}" ]; then
	unshare --net true 2>/dev/null || {
		echo "FAIL (vswitch-uplink): expected to create a network namespace (unshare --net, as root)" >&2
		exit 1
	}
	VSW_TEST_NETNS=1 exec unshare --net -- bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
ETHER="python3 $(dirname "$0")/ether.py"

MAC_A=02:00:00:00:00:0a
MAC_B=02:00:00:00:00:0b
MAC_U=02:00:00:00:00:0e # behind the uplink

ip link add vsw0 type veth peer name vsw1 ||
	fail "expected to create a veth pair in the test's network namespace"
for i in vsw0 vsw1; do
	# Without IPv6 there is nothing to silence.
	[ ! -d /proc/sys/net/ipv6 ] || echo 1 >"/proc/sys/net/ipv6/conf/$i/disable_ipv6"
	ip link set "$i" up
done

vsw_start --port "vhost-user,path=$WORK/a.sock,server,name=a" \
	--port "vhost-user,path=$WORK/b.sock,server,name=b" \
	--uplink net_af_packet0,iface=vsw0
vsw_wait 30 "the uplink up" 'port("uplink0")["up"] and port("uplink0")["kind"] == "ethdev"'
tp_frontend a "$WORK/a.sock" $MAC_A
tp_frontend b "$WORK/b.sock" $MAC_B
for x in a b; do
	tp_ready "$x" 60
	tp_cmd "$x" start
done
vsw_wait 30 "both vhost-user ports up" 'port("a")["up"] and port("b")["up"]'

# 1. The station broadcasts: the switch learns it on the uplink, floods.
$ETHER send vsw1 $MAC_U ff:ff:ff:ff:ff:ff 64
vsw_wait 30 "64 broadcast frames from the uplink to a and b" \
	'port("uplink0")["rx_packets"] == 64 and port("a")["tx_packets"] == 64 and port("b")["tx_packets"] == 64'

# 2. A answers the station: out of the uplink only.
$ETHER count vsw1 $MAC_A $MAC_U 32 60 "$WORK/listening" >"$WORK/count" &
counter=$!
for _ in $(seq 40); do
	[ -e "$WORK/listening" ] && break
	sleep 0.25
done
[ -e "$WORK/listening" ] || fail "expected the frame counter to listen on vsw1"
tp_cmd a stop
tp_cmd a "set eth-peer 0 $MAC_U"
tp_cmd a "start tx_first 1"
vsw_wait 30 "32 frames from a out of the uplink only" \
	'port("a")["rx_packets"] == 32 and port("uplink0")["tx_packets"] == 32 and port("b")["tx_packets"] == 64'
wait $counter || fail "expected the frame counter to run"
[ "$(cat "$WORK/count")" = 32 ] ||
	fail "expected the station to receive 32 frames from a, not $(cat "$WORK/count")"

tp_wait_rx a 64 30
tp_wait_rx b 64 30
vsw_wait 10 "no drops, and the station's frames counted once" \
	'port("uplink0")["rx_packets"] == 64 and all(p["rx_dropped"] == 0 and p["tx_dropped"] == 0 for p in s["ports"])'
vsw_stop
tp_quit a
tp_quit b
note "passed"
