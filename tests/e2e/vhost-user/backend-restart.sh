#!/bin/bash
# The backend dies mid-ping and comes back: guest a pings guest b through a
# DPDK switch (triovm-vswitch, or dpdk-testpmd where it is not built); the
# switch is killed (SIGKILL) and started again. Both guests see the link go
# down and up, both triovm processes keep running, reconnect, restore the
# rings, and the pings resume without a guest reboot.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

MAC_A=52:54:00:00:00:0a
MAC_B=52:54:00:00:00:0b

# Carrier changes as the guest sees them, printed as they happen.
WATCH_CARRIER='( last=1; while :; do c=$(cat /sys/class/net/eth0/carrier 2>/dev/null); if [ "$c" != "$last" ]; then echo "E2E-CARRIER: $c"; last=$c; fi; sleep 0.2; done ) &'

cat >"$WORK/a.init" <<GUEST
$GUEST_LIB
net_up 10.0.0.1 || exit 1
i=0
until ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1; do
	i=\$((i + 1))
	[ \$i -lt 240 ] || { echo "E2E-NO-PEER"; exit 1; }
done
echo "E2E-PEER-REACHED: after \$i tries"
$WATCH_CARRIER
# Straight to the console: a pipe would hold the lines back.
ping -i 0.5 -W 1 -w 300 10.0.0.2
GUEST

cat >"$WORK/b.init" <<GUEST
$GUEST_LIB
net_up 10.0.0.2 || exit 1
$WATCH_CARRIER
sleep 100000
GUEST
vu_initrd a
vu_initrd b

cat >"$WORK/inner.sh" <<INNER
. "\$VU_DIR/inner-lib.sh"
replies='^64 bytes from 10.0.0.2'
last_seq() {
	grep -E "\$replies" "\$WORK/a.out" | sed -n 's/.*seq=\([0-9]*\).*/\1/p' | tail -n 1
}
backend_start
vm_start a $MAC_A
# One guest booting at a time: the nested test host is slow at it.
wait_for "\$WORK/a.out" "^E2E-LINK-UP|E2E-NO" 600 "guest a's link up" a
vm_start b $MAC_B
wait_for "\$WORK/a.out" "^E2E-PEER-REACHED|E2E-NO" 900 "guest a to reach guest b" a b
wait_count "\$WORK/a.out" "\$replies" 10 120 "10 replies before the backend dies" a b
killed=\$(last_seq)
backend_kill
echo "E2E-KILLED-AFTER-SEQ: \$killed"
wait_for "\$WORK/a.out" "^E2E-CARRIER: 0" 60 "guest a to see its link go down" a b
wait_for "\$WORK/b.out" "^E2E-CARRIER: 0" 60 "guest b to see its link go down" a b
sleep 5
vm_alive a && vm_alive b || inner_fail "expected both triovm processes to survive the backend"
echo "E2E-BOTH-ALIVE-WITHOUT-BACKEND"
backend_start
wait_for "\$WORK/a.out" "^E2E-CARRIER: 1" 240 "guest a's link back up" a b
wait_for "\$WORK/b.out" "^E2E-CARRIER: 1" 240 "guest b's link back up" a b
for i in \$(seq 480); do
	s=\$(last_seq)
	[ -n "\$s" ] && [ "\$s" -ge \$((killed + 10)) ] &&
		[ "\$(grep -E "\$replies" "\$WORK/a.out" | sed -n 's/.*seq=\([0-9]*\).*/\1/p' | awk -v k=\$killed '\$1 > k' | wc -l)" -ge 10 ] && break
	vm_alive a && vm_alive b || inner_fail "expected both guests to keep running"
	sleep 0.5
done
echo "E2E-RESUMED-AT-SEQ: \$(last_seq)"
snapshot a after
snapshot b after
# Enough shown: the guests need not ping on (the nested test host is slow).
vm_stop a
vm_stop b
backend_stop
INNER
VU_TIMEOUT=700 vu_run "$WORK/inner.sh"

a=$WORK/a.out
b=$WORK/b.out
backend=$(sed -n 's/^E2E-BACKEND: \([^ ]*\).*/\1/p' "$WORK/inner.out" | head -n 1)
note "backend: $backend"
expect_line "$WORK/inner.out" '^E2E-BOTH-ALIVE-WITHOUT-BACKEND' "both triovm processes alive without a backend"
expect_line "$WORK/inner.out" '^E2E-VM-STATUS: a 0$' "guest a's triovm to exit 0 on SIGTERM"
expect_line "$WORK/inner.out" '^E2E-VM-STATUS: b 0$' "guest b's triovm to exit 0 on SIGTERM"

killed=$(sed -n 's/^E2E-KILLED-AFTER-SEQ: //p' "$WORK/inner.out")
[ -n "$killed" ] || fail "expected the backend to be killed mid-ping"
after=$(grep -E '^64 bytes from 10.0.0.2' "$a" | sed -n 's/.*seq=\([0-9]*\).*/\1/p' |
	awk -v k="$killed" '$1 > k' | wc -l)
[ "$after" -ge 10 ] || fail "expected at least 10 replies after the backend came back, got $after"
last=$(grep -E '^64 bytes from 10.0.0.2' "$a" | sed -n 's/.*seq=\([0-9]*\).*/\1/p' | tail -n 1)
total=$(grep -cE '^64 bytes from 10.0.0.2' "$a")
note "killed after seq $killed; $after replies since; $total replies for seq 0-$last ($((last + 1 - total)) lost)"

# The guests saw the link go down and come back, in that order.
for f in "$a" "$b"; do
	[ "$(grep -E '^E2E-CARRIER: [01]' "$f" | head -n 2 | tr -d '\n')" = "E2E-CARRIER: 0E2E-CARRIER: 1" ] ||
		{ vu_dump "$f"; fail "expected the guest ($f) to see its link go down, then up"; }
	expect_line "$f" 'vhost-user-net0: link down' "triovm to report the link down"
	expect_line "$f" 'vhost-user-net0: .*link down until a backend connects' "triovm to say why the link went down"
done

python3 - "$WORK" <<'PY' || fail "--stats after the restart"
import json, sys
for vm in ("a", "b"):
    d = json.load(open("%s/%s.after.json" % (sys.argv[1], vm)))["devices"]["vhost-user-net0"]
    assert d["connections"] == 2 and d["disconnects"] == 1, (vm, d)
    assert d["starts"] == 2 and d["running"] and d["link_up"], (vm, d)
    assert d["request_errors"] == 0, (vm, d)
    print("%s: %d connections, %d starts, link up again" % (vm, d["connections"], d["starts"]))
PY
note "passed"
