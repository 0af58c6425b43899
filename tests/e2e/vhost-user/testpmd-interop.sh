#!/bin/bash
# triovm's vhost-user frontend against DPDK's own backend, dpdk-testpmd with a
# net_vhost port connecting to triovm's socket. The guest (2 vCPUs, 2 queue
# pairs) binds virtio_net to triovm's virtio-pci function and sees the link
# come up; with testpmd reflecting frames (macswap) the guest receives what
# it sent; with icmpecho testpmd answers the guest's ARP and pings, on both
# queue pairs. testpmd's port counters and the guest's agree that the frames
# went through. Before testpmd, a hostile backend answers triovm's first
# request wrongly in every way it can: triovm hangs up each time, keeps
# running, and serves the real backend that comes next.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

GUEST_MAC=52:54:00:00:00:0a
PEER_MAC=02:00:00:00:00:02

cat >"$WORK/a.init" <<GUEST
$GUEST_LIB
net_up 10.0.0.1 || exit 1
# macswap: frames to a made-up neighbour come back addressed to us.
arp -s 10.0.0.2 $PEER_MAC
rx0=\$(stat_of rx_packets)
tx0=\$(stat_of tx_packets)
ping -c 20 -i 0.2 -W 1 -q 10.0.0.2 >/dev/null 2>&1
sleep 2
echo "E2E-MACSWAP: rx=\$((\$(stat_of rx_packets) - rx0)) tx=\$((\$(stat_of tx_packets) - tx0))"
echo "E2E-PHASE: macswap done"
# icmpecho: testpmd answers ARP and echo requests, once it switched modes.
arp -d 10.0.0.2
i=0
until ping -c 1 -W 2 10.0.0.2 >/dev/null 2>&1; do
	i=\$((i + 1))
	[ \$i -lt 90 ] || break
done
echo "E2E-ECHO-AFTER: \$i tries"
ping -c 10 -i 0.2 -W 2 10.0.0.2 | tail -n 2 | sed 's/^/E2E-PING: /'
# From each CPU: transmit queue n is CPU n's; testpmd answers on the queue
# a request came in on.
for c in 0 1; do
	taskset -c \$c ping -c 5 -i 0.2 -W 2 10.0.0.2 | grep transmitted | sed "s/^/E2E-PING-CPU\$c: /"
done
echo "E2E-QUEUES: \$(ls /sys/class/net/eth0/queues | tr '\n' ' ')"
for q in input.0 output.0 input.1 output.1; do
	echo "E2E-IRQ: \$q \$(grep "virtio0-\$q\$" /proc/interrupts | awk '{ print \$2 + \$3 }')"
done
echo "E2E-NEIGH: \$(ip neigh show 10.0.0.2)"
echo "E2E-STATS: rx=\$(stat_of rx_packets) tx=\$(stat_of tx_packets)"
GUEST
vu_initrd a

cat >"$WORK/inner.sh" <<'INNER'
. "$VU_DIR/inner-lib.sh"

vm_start a 52:54:00:00:00:0a ,queues=2 --cpus 2
python3 "$VU_DIR/hostile-backend.py" "$RUN/a.sock" >"$WORK/hostile.out" 2>&1 ||
	inner_fail "expected triovm to reject every hostile reply ($(grep -v rejected "$WORK/hostile.out" | head -n 3))"
vm_alive a || inner_fail "expected triovm to survive the hostile backend"

# testpmd, interactive through a FIFO, reflecting frames back (macswap).
mkfifo "$RUN/tp.in"
stdbuf -oL dpdk-testpmd --lcores 0@0,1@1 --no-huge -m 512 --no-pci \
	--file-prefix "$PREFIX-tp" \
	--vdev "net_vhost0,iface=$RUN/a.sock,client=1,queues=2" -- -i \
	--rxq=2 --txq=2 --port-topology=loop --forward-mode=macswap \
	--total-num-mbufs=8192 \
	<"$RUN/tp.in" >"$WORK/testpmd.out" 2>&1 &
BE_PID=$!
exec 3>"$RUN/tp.in"
tp() { echo "$*" >&3; }
wait_for "$WORK/testpmd.out" "testpmd> " 120 "testpmd's prompt"
tp start
wait_for "$WORK/a.out" "E2E-PHASE: macswap done|E2E-NO" 600 "the guest's macswap phase" a
tp "show port stats all"
tp stop
tp "set fwd icmpecho"
tp start
wait_for "$WORK/a.out" "E2E-STATS:|E2E-NO" 600 "the guest's echo phase"
vm_wait a 120
tp "show port stats all"
tp stop
sleep 2
tp quit
exec 3>&-
for i in $(seq 40); do
	kill -0 "$BE_PID" 2>/dev/null || break
	sleep 0.5
done
echo "E2E-TESTPMD-EXIT"
INNER
vu_run "$WORK/inner.sh"

out=$WORK/a.out
tpo=$WORK/testpmd.out
grep -q "E2E-NO" "$out" && { vu_dump "$out" "$tpo"; fail "expected the guest to find eth0 and its link"; }
expect_line "$WORK/inner.out" '^E2E-VM-STATUS: a 0$' "triovm to exit 0 after the guest powered off"
expect_line "$out" '^E2E-DRIVER: virtio_net on virtio' "virtio_net bound to triovm's virtio-pci function"
expect_line "$out" "^E2E-LINK-UP: 10.0.0.1 $GUEST_MAC" "the link up, with triovm's MAC"
expect_line "$out" 'vhost-user backend connected' "triovm to see testpmd connect"
expect_line "$tpo" 'virtio is now ready for processing' "testpmd to take the rings"
expect_line "$tpo" 'negotiated Virtio features: 0x1[0-9a-f]{8}' "testpmd to negotiate VERSION_1 features"

# macswap: every echo request went out and came back.
read -r mrx mtx < <(sed -n 's/^E2E-MACSWAP: rx=\([0-9]*\) tx=\([0-9]*\).*/\1 \2/p' "$out")
[ -n "${mrx:-}" ] || fail "expected the guest's macswap counters"
[ "$mtx" -ge 20 ] && [ "$mrx" -ge 20 ] ||
	fail "expected at least 20 frames out and back through testpmd (macswap), got tx=$mtx rx=$mrx"
note "macswap: the guest sent $mtx frames and received $mrx back"

# icmpecho: testpmd answered ARP (the neighbour's MAC is testpmd's port) and 10/10 pings.
expect_line "$out" '^E2E-PING: 10 packets transmitted, 10 packets received' "10/10 pings answered by testpmd's icmpecho"
expect_line "$out" '^E2E-NEIGH: 10.0.0.2 dev eth0 lladdr' "an ARP answer from testpmd"

# Two queue pairs: the guest asked for both (VQ_PAIRS_SET), triovm enabled
# rings 2 and 3 with testpmd, and replies came in on both.
expect_line "$out" '^E2E-QUEUES: rx-0 rx-1 tx-0 tx-1' "two queue pairs in the guest"
expect_line "$out" '^E2E-PING-CPU0: 5 packets transmitted, 5 packets received' "5/5 pings from CPU 0"
expect_line "$out" '^E2E-PING-CPU1: 5 packets transmitted, 5 packets received' "5/5 pings from CPU 1"
expect_line "$tpo" 'read message VHOST_USER_GET_QUEUE_NUM' "triovm to ask testpmd for its queue count"
expect_line "$tpo" 'set queue enable: 1 to qp idx: 3' "triovm to enable the second pair's rings"
for q in input.1 output.1; do
	n=$(sed -n "s/^E2E-IRQ: $q //p" "$out")
	[ "${n:-0}" -gt 0 ] || fail "expected interrupts on virtio0-$q (second queue pair), got '${n:-none}'"
done
note "both queue pairs carried traffic ($(grep '^E2E-IRQ:' "$out" | sed 's/E2E-IRQ: //' | tr '\n' ' '))"

# testpmd's own counters: the guest's frames arrived and went back.
python3 - "$tpo" "$mtx" <<'PY' || fail "testpmd's port counters"
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"NIC statistics for port 0.*?RX-packets:\s*(\d+).*?TX-packets:\s*(\d+)",
                    text, re.S)
assert len(blocks) >= 2, "no 'show port stats' output"
rx1, tx1 = map(int, blocks[-2])
rx2, tx2 = map(int, blocks[-1])
want = int(sys.argv[2])
assert rx1 >= want and tx1 >= want, (rx1, tx1, want)
# icmpecho: at least the 10 echo requests in and their replies out.
assert rx2 >= rx1 + 10 and tx2 >= tx1 + 10, (rx1, tx1, rx2, tx2)
print("testpmd: %d frames in / %d out after macswap, %d / %d at the end" % (rx1, tx1, rx2, tx2))
PY
python3 - "$WORK/a.final.json" <<'PY' || fail "--stats of the vhost-user device"
import json, sys
s = json.load(open(sys.argv[1]))
d = s["devices"]["vhost-user-net0"]
# Eight hostile backends, then testpmd.
assert d["connections"] == 9 and d["disconnects"] == 8 and d["starts"] >= 1, d
assert d["request_errors"] == 8, d
assert d["notify_exits"] == 0, d
print("triovm: %d vhost-user messages, %d replies, features 0x%x" %
      (d["messages_sent"], d["replies_received"], d["features_sent"]))
PY
# The hostile backend: each bad reply rejected with one line, then testpmd.
[ "$(grep -c ': rejected$' "$WORK/hostile.out")" = 8 ] ||
	{ vu_dump "$WORK/hostile.out"; fail "expected all 8 hostile replies rejected"; }
[ "$(grep -c 'error: vhost-user-net0: vhost-user GET_FEATURES: ' "$out")" = 8 ] ||
	{ vu_dump "$out"; fail "expected one error line per hostile reply"; }
[ "$(grep -c 'error:' "$out")" = 8 ] || { vu_dump "$out"; fail "expected no other errors from triovm"; }
note "hostile backend: $(grep -c ': rejected$' "$WORK/hostile.out") bad replies rejected, e.g. '$(grep -m1 'error:' "$out")'"
note "passed"
