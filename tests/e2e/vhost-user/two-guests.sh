#!/bin/bash
# Two triovm guests on one DPDK switch (triovm-vswitch, or dpdk-testpmd
# forwarding between two vhost ports where the vswitch is not built): they
# ping each other 100/100 and move 8 MiB with busybox nc, intact. --stats
# snapshots (SIGUSR2) taken before and after that traffic show the exits
# triovm handled not growing with it: fewer than 0.01 per packet.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

MAC_A=52:54:00:00:00:0a
MAC_B=52:54:00:00:00:0b
BYTES=$((8 << 20))

cat >"$WORK/a.init" <<GUEST
$GUEST_LIB
net_up 10.0.0.1 || exit 1
i=0
until ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1; do
	i=\$((i + 1))
	[ \$i -lt 240 ] || { echo "E2E-NO-PEER"; exit 1; }
done
echo "E2E-PEER-REACHED: after \$i tries"
dd if=/dev/urandom of=/tmp/data bs=64k count=$((BYTES / 65536)) 2>/dev/null
sum=\$(md5sum /tmp/data | cut -d' ' -f1)
rx0=\$(stat_of rx_packets)
tx0=\$(stat_of tx_packets)
# The measured window: nothing on the console until WC.
echo "E2E-WINDOW-OPEN"
sleep 10
ping -c 100 -i 0.2 -W 2 -q 10.0.0.2 >/tmp/ping.out 2>&1
n=0
until nc 10.0.0.2 5000 </tmp/data >/dev/null 2>&1; do
	n=\$((n + 1))
	[ \$n -lt 30 ] || break
	sleep 1
done
rx1=\$(stat_of rx_packets)
tx1=\$(stat_of tx_packets)
sleep 3
echo WC
sleep 10
echo "E2E-PING: \$(grep 'packets transmitted' /tmp/ping.out)"
echo "E2E-NC-RETRIES: \$n"
echo "E2E-SENT: \$sum \$(wc -c </tmp/data)"
echo "E2E-WINDOW-PACKETS: \$((rx1 - rx0 + tx1 - tx0)) rx=\$((rx1 - rx0)) tx=\$((tx1 - tx0))"
echo "E2E-A-DONE"
GUEST

cat >"$WORK/b.init" <<GUEST
$GUEST_LIB
net_up 10.0.0.2 || exit 1
# nc's stdin must not end before the transfer does: a FIFO held open.
mkfifo /tmp/hold
nc -l -p 5000 </tmp/hold >/tmp/recv 2>/dev/null &
ncpid=\$!
exec 9>/tmp/hold
wait \$ncpid
exec 9>&-
# Quiet until a's measured window has closed.
sleep 60
echo "E2E-RECEIVED: \$(md5sum /tmp/recv | cut -d' ' -f1) \$(wc -c </tmp/recv)"
echo "E2E-B-DONE"
sleep 100000
GUEST
vu_initrd a
vu_initrd b

cat >"$WORK/inner.sh" <<INNER
. "\$VU_DIR/inner-lib.sh"
backend_start
vm_start a $MAC_A
# One guest booting at a time: the nested test host is slow at it.
wait_for "\$WORK/a.out" "^E2E-LINK-UP|E2E-NO" 600 "guest a's link up" a
vm_start b $MAC_B
wait_for "\$WORK/a.out" "^E2E-WINDOW-OPEN|E2E-NO" 900 "guest a to reach guest b" a b
grep -q E2E-NO "\$WORK/a.out" && inner_fail "guest a lacks its network"
snapshot a open
snapshot b open
wait_for "\$WORK/a.out" "^WC" 900 "guest a's traffic to end" a b
snapshot a close
snapshot b close
wait_for "\$WORK/a.out" "^E2E-A-DONE" 120 "guest a's results" b
wait_for "\$WORK/b.out" "^E2E-B-DONE" 300 "guest b's results" b
vm_wait a 60
vm_stop b
backend_stop
INNER
VU_TIMEOUT=900 vu_run "$WORK/inner.sh"

a=$WORK/a.out
b=$WORK/b.out
backend=$(sed -n 's/^E2E-BACKEND: \([^ ]*\).*/\1/p' "$WORK/inner.out" | head -n 1)
note "backend: $backend"
expect_line "$WORK/inner.out" '^E2E-VM-STATUS: a 0$' "guest a's triovm to exit 0"
expect_line "$WORK/inner.out" '^E2E-VM-STATUS: b 0$' "guest b's triovm to exit 0 on SIGTERM"
expect_line "$a" "^E2E-LINK-UP: 10.0.0.1 $MAC_A" "guest a's link up"
expect_line "$b" "^E2E-LINK-UP: 10.0.0.2 $MAC_B" "guest b's link up"
expect_line "$a" '^E2E-PING: 100 packets transmitted, 100 packets received' "100/100 pings from a to b"

sent=$(sed -n 's/^E2E-SENT: //p' "$a")
got=$(sed -n 's/^E2E-RECEIVED: //p' "$b")
[ -n "$sent" ] && [ "$sent" = "$got" ] && [ "${sent#* }" = "$BYTES" ] ||
	fail "expected b to receive a's $BYTES bytes intact (sent '$sent', received '$got')"
note "nc: $BYTES bytes from a to b, md5 ${sent%% *} on both sides"

packets=$(sed -n 's/^E2E-WINDOW-PACKETS: \([0-9]*\).*/\1/p' "$a")
[ -n "$packets" ] && [ "$packets" -gt 5000 ] ||
	fail "expected more than 5000 packets through a's interface in the window, got '$packets'"

python3 - "$WORK" "$packets" <<'PY' || fail "triovm-handled exits per packet"
import json, sys
work, packets = sys.argv[1], int(sys.argv[2])

def handled(s):
    """Everything triovm did for the guest: vCPU exits it handled, the
    interrupts it injected, and events on its loop (control queue, INTx)."""
    loop = sum(d.get("loop_events", 0) for d in s["devices"].values())
    return s["totals"]["triovm_exits"]["all"] + s["msi_injected"] + loop

def ranges(s):
    return {(r["bus"], r["name"]): r["exits"] for r in s["ranges"]}

worst = 0.0
for vm in ("a", "b"):
    o = json.load(open("%s/%s.open.json" % (work, vm)))
    c = json.load(open("%s/%s.close.json" % (work, vm)))
    for s in (o, c):
        d = s["devices"]["vhost-user-net0"]
        assert d["running"] and d["link_up"], (vm, d)
    dev_o, dev_c = o["devices"]["vhost-user-net0"], c["devices"]["vhost-user-net0"]
    n = handled(c) - handled(o)
    ro, rc = ranges(o), ranges(c)
    moved = {k[1]: rc[k] - ro.get(k, 0) for k in rc if rc[k] != ro.get(k, 0)}
    # Every frame a sends or receives is one b receives or sends.
    ratio = n / packets
    worst = max(worst, ratio)
    print("%s: %d triovm-handled exits for %d packets = %.5f per packet "
          "(vCPU exits by range %s; MSIs injected %d; ctrl queue wakeups %d; "
          "notify exits %d; KVM exits %d)"
          % (vm, n, packets, ratio, moved or "{}",
             c["msi_injected"] - o["msi_injected"],
             dev_c["ctrl_notifications"] - dev_o["ctrl_notifications"],
             dev_c["notify_exits"] - dev_o["notify_exits"],
             c["totals"]["kvm"]["exits"] - o["totals"]["kvm"]["exits"]))
    assert dev_c["notify_exits"] == dev_o["notify_exits"], "a queue notification exited to triovm"
assert worst < 0.01, "%.5f triovm-handled exits per packet, expected < 0.01" % worst
PY
for f in "$a" "$b"; do
	grep -q "error:" "$f" && { vu_dump "$f"; fail "expected no errors from triovm ($f)"; }
done
note "passed"
