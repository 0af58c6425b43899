#!/bin/bash
# Direct passthrough: one of the test host's two e1000e (on one QEMU hub) is
# bound to vfio-pci and given to the guest, whose own e1000e driver drives
# it; 100 pings reach the other e1000e and 4 MiB cross intact. The exits
# triovm handles per packet are printed (expected close to zero), and a
# second triovm asking for the same device gets "in use", exit 2.
. "$(dirname "$0")/../lib.sh"

cat >"$WORK/guest-init" <<'GUEST'
#!/bin/sh
dev=eth0
i=0
while [ ! -e /sys/class/net/$dev ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
echo "E2E-DRIVER: $(basename "$(readlink /sys/class/net/$dev/device/driver)")"
ip link set $dev up
ip addr add 10.0.3.2/24 dev $dev
i=0
while [ "$(cat /sys/class/net/$dev/carrier)" != 1 ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
echo "E2E-CARRIER: $(cat /sys/class/net/$dev/carrier)"
mkfifo /tmp/hold
nc -l -p 5000 </tmp/hold >/tmp/recv &
nc_pid=$!
exec 3>/tmp/hold
echo "E2E-UP"
wait $nc_pid
echo "E2E-RECV: $(md5sum </tmp/recv | cut -d' ' -f1) $(wc -c </tmp/recv)"
GUEST
guest_initrd "$WORK/initrd" "$WORK/guest-init" "e1000e pvpanic_mmio"

cat >"$WORK/inner.sh" <<INNER
#!/bin/sh
W="$WORK"
T="$TRIOVM"
wait_for() {
	i=0
	while ! grep -q "\$2" "\$1" 2>/dev/null; do
		sleep 1; i=\$((i + 1))
		[ \$i -lt 400 ] || { echo "E2E-TIMEOUT waiting for \$2"; return 1; }
	done
}
snapshot() { # PID FILE: a --stats snapshot, waiting until it is written
	rm -f \$W/stats.json
	kill -USR2 \$1
	i=0
	while [ ! -s \$W/stats.json ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
	cp \$W/stats.json \$2
}
set -- \$(for d in /sys/bus/pci/devices/*; do
	[ "\$(cat \$d/vendor):\$(cat \$d/device)" = 0x8086:0x10d3 ] && basename \$d; done)
NIC=\$1 OTHER=\$2
echo "E2E-NIC: \$NIC other \$OTHER"
\$T vfio bind \$NIC
IF=\$(ls /sys/bus/pci/devices/\$OTHER/net/)
ip addr add 10.0.3.1/24 dev \$IF
ip link set \$IF up
head -c 4194304 /dev/urandom >/tmp/data
echo "E2E-SENT: \$(md5sum </tmp/data | cut -d' ' -f1) \$(wc -c </tmp/data)"
\$T run --kernel "$VMLINUZ" --initrd "$WORK/initrd" --memory 256M \
	--cmdline "console=ttyS0 quiet panic=-1" --device vfio,host=\$NIC \
	--stats \$W/stats.json </dev/null >\$W/guest.out 2>&1 &
pid=\$!
if wait_for \$W/guest.out E2E-UP; then
	\$T run --kernel "$VMLINUZ" --memory 256M --device vfio,host=\$NIC \
		</dev/null >/dev/null 2>\$W/second.err
	echo "E2E-SECOND-STATUS: \$?"
	sed 's/^/E2E-SECOND: /' \$W/second.err
	snapshot \$pid \$W/stats0.json
	busybox ping -c 100 -i 0.05 -W 10 10.0.3.2 >\$W/ping.out 2>&1
	snapshot \$pid \$W/stats1.json
	echo "E2E-PING: \$(grep -o '[0-9]* packets received' \$W/ping.out)"
	grep round-trip \$W/ping.out | sed 's/^/E2E-RTT: /'
	busybox nc 10.0.3.2 5000 </tmp/data
	wait_for \$W/guest.out E2E-RECV
fi
wait \$pid
echo "E2E-STATUS: \$?"
echo "E2E-DRIVER-AFTER-BIND: \$(basename \$(readlink /sys/bus/pci/devices/\$NIC/driver))"
\$T vfio unbind \$NIC
echo "E2E-DRIVER-AFTER: \$(basename \$(readlink /sys/bus/pci/devices/\$NIC/driver))"
sed 's/^/[guest] /' \$W/guest.out
INNER
in_kvm_host --devices nics --timeout 480 -- sh "$WORK/inner.sh" >"$WORK/out" 2>&1 || true

sent=$(sed -n 's/^E2E-SENT: //p' "$WORK/out")
[ -n "$sent" ] || { tail -40 "$WORK/out"; fail "the test host did not run the test"; }
expect_line "$WORK/out" '^\[guest\] E2E-DRIVER: e1000e$' "the guest's e1000e driver on the passed-through device"
expect_line "$WORK/out" '^\[guest\] E2E-CARRIER: 1$' "link up"
expect_line "$WORK/out" '^E2E-SECOND-STATUS: 2$' "a second triovm to exit 2"
expect_line "$WORK/out" '^E2E-SECOND: .*in use by another process.*triovm' "a second triovm to say the device is in use (and by whom)"
expect_line "$WORK/out" '^E2E-PING: 100 packets received' "100/100 ping replies"
expect_line "$WORK/out" "^\\[guest\\] E2E-RECV: $sent\$" "4 MiB to arrive intact ($sent)"
expect_line "$WORK/out" '^E2E-STATUS: 0$' "triovm to exit 0"
expect_line "$WORK/out" '^E2E-DRIVER-AFTER: e1000e$' "the NIC back on e1000e after unbind"
python3 - "$WORK" <<'PY' || fail "exit accounting"
import json, re, sys
w = sys.argv[1]
s0, s1 = (json.load(open("%s/stats%d.json" % (w, i))) for i in (0, 1))
pkts = 200
t0, t1 = s0["totals"], s1["totals"]
handled = (t1["triovm_exits"]["all"] - t0["triovm_exits"]["all"]) / pkts
kvm = (t1["kvm"]["exits"] - t0["kvm"]["exits"]) / pkts
rtt = re.search(r"E2E-RTT: (.*)", open(w + "/out").read())
print("passthrough e1000e, 100 pings (%d packets): %.3f exits/packet handled by triovm, %.2f KVM exits/packet"
      % (pkts, handled, kvm))
print("  ping %s" % (rtt.group(1) if rtt else "?"))
# The data path takes no exit to triovm; what remains is the guest's
# timers and the e1000e driver's periodic watchdog reads of trapped pages.
assert handled < 0.5, handled
PY
note "passed"
