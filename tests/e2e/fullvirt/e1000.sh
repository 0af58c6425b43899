#!/bin/bash
# Full virtualization: the guest's own e1000 driver on triovm's emulated
# 82540EM, wired to a TAP device in the KVM host. 100 pings from the host get
# 100 replies, 4 MiB cross intact, and the exits per packet are printed for
# triovm and for QEMU's -device e1000 running the same guest.
. "$(dirname "$0")/../lib.sh"

cat >"$WORK/guest-init" <<'GUEST'
#!/bin/sh
dev=eth0
i=0
while [ ! -e /sys/class/net/$dev ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
echo "E2E-DRIVER: $(basename "$(readlink /sys/class/net/$dev/device/driver)")"
ip link set $dev up
ip addr add 10.0.2.2/24 dev $dev
i=0
while [ "$(cat /sys/class/net/$dev/carrier)" != 1 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
echo "E2E-CARRIER: $(cat /sys/class/net/$dev/carrier)"
# busybox nc ends when its stdin does: hold a FIFO open instead.
mkfifo /tmp/hold
nc -l -p 5000 </tmp/hold >/tmp/recv &
nc_pid=$!
exec 3>/tmp/hold
echo "E2E-UP"
wait $nc_pid
echo "E2E-RECV: $(md5sum </tmp/recv | cut -d' ' -f1) $(wc -c </tmp/recv)"
GUEST
guest_initrd "$WORK/initrd" "$WORK/guest-init" "e1000 pvpanic_mmio"

cat >"$WORK/inner.sh" <<INNER
#!/bin/sh
W="$WORK"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
head -c 4194304 /dev/urandom >/tmp/data
echo "E2E-SENT: \$(md5sum </tmp/data | cut -d' ' -f1) \$(wc -c </tmp/data)"

kvm_exits() { # PID -> "exits io_exits mmio_exits" from KVM's debugfs
	d=\$(ls -d /sys/kernel/debug/kvm/\$1-* | head -1)
	echo "\$(cat \$d/exits) \$(cat \$d/io_exits) \$(cat \$d/mmio_exits)"
}
wait_for() { # FILE PATTERN
	i=0
	while ! grep -q "\$2" "\$1" 2>/dev/null; do
		sleep 1; i=\$((i + 1))
		[ \$i -lt 400 ] || { echo "E2E-TIMEOUT waiting for \$2"; return 1; }
	done
}

# run NAME TAP COMMAND...: boot, 100 pings, 4 MiB, counters around the pings.
run() {
	name=\$1 tap=\$2
	shift 2
	ip tuntap add dev \$tap mode tap
	ip addr add 10.0.2.1/24 dev \$tap
	ip link set \$tap up
	"\$@" </dev/null >\$W/\$name.out 2>&1 &
	pid=\$!
	if wait_for \$W/\$name.out E2E-UP; then
		[ \$name = triovm ] && { kill -USR2 \$pid; sleep 1; cp \$W/stats.json \$W/stats0.json; }
		k0=\$(kvm_exits \$pid)
		busybox ping -c 100 -i 0.05 -W 10 10.0.2.2 >\$W/\$name.ping 2>&1
		k1=\$(kvm_exits \$pid)
		[ \$name = triovm ] && { kill -USR2 \$pid; sleep 1; cp \$W/stats.json \$W/stats1.json; }
		echo "E2E-\$name-PING: \$(grep -o '[0-9]* packets received' \$W/\$name.ping)"
		echo "E2E-\$name-KVM: \$k0 \$k1"
		busybox nc 10.0.2.2 5000 </tmp/data
		wait_for \$W/\$name.out E2E-RECV
	fi
	wait \$pid
	echo "E2E-\$name-STATUS: \$?"
	ip link del \$tap
	sed "s/^/[\$name] /" \$W/\$name.out
}

run triovm tap0 "$TRIOVM" run --kernel "$VMLINUZ" --initrd "$WORK/initrd" \
	--memory 256M --cmdline "console=ttyS0 quiet panic=-1" \
	--net e1000,tap=tap0 --stats "$WORK/stats.json"
run qemu tap1 qemu-system-x86_64 -accel kvm -cpu host -m 256 -smp 1 \
	-nodefaults -nic none -no-reboot -display none -serial stdio \
	-kernel "$VMLINUZ" -initrd "$WORK/initrd" \
	-append "console=ttyS0 quiet panic=-1" \
	-netdev tap,id=n0,ifname=tap1,script=no,downscript=no \
	-device e1000,netdev=n0
INNER
in_kvm_host --timeout 600 -- sh "$WORK/inner.sh" >"$WORK/out" 2>&1 || true

sent=$(sed -n 's/^E2E-SENT: //p' "$WORK/out")
[ -n "$sent" ] || { tail -40 "$WORK/out"; fail "the test host did not run the test"; }
expect_line "$WORK/out" '^\[triovm\] E2E-DRIVER: e1000$' "the guest's e1000 driver to bind"
expect_line "$WORK/out" '^\[triovm\] E2E-CARRIER: 1$' "link up"
expect_line "$WORK/out" '^E2E-triovm-PING: 100 packets received' "100/100 ping replies"
expect_line "$WORK/out" "^\\[triovm\\] E2E-RECV: $sent\$" "4 MiB to arrive intact ($sent)"
expect_line "$WORK/out" '^E2E-triovm-STATUS: 0$' "triovm to exit 0 after the guest powers off"
expect_line "$WORK/out" '^E2E-qemu-PING: 100 packets received' "QEMU's e1000 to answer too (the reference figure)"

python3 - "$WORK" <<'PY' || fail "exit accounting"
import json, re, sys
w = sys.argv[1]
out = open(w + "/out").read()
s0, s1 = (json.load(open("%s/stats%d.json" % (w, i))) for i in (0, 1))
pkts = 200  # 100 requests in, 100 replies out
t0, t1 = s0["totals"]["triovm_exits"], s1["totals"]["triovm_exits"]
dev0, dev1 = s0["devices"]["e1000.0"], s1["devices"]["e1000.0"]
assert dev1["rx_packets"] - dev0["rx_packets"] >= 100, (dev0, dev1)
assert dev1["tx_packets"] - dev0["tx_packets"] >= 100, (dev0, dev1)
handled = (t1["all"] - t0["all"]) / pkts
assert handled > 0, "an emulated NIC must exit"
def kvm(name):
    k = [int(x) for x in re.search(r"E2E-%s-KVM: (.*)" % name, out).group(1).split()]
    return [(k[i + 3] - k[i]) / pkts for i in range(3)]
tk, qk = kvm("triovm"), kvm("qemu")
print("e1000 exits per packet (100 pings, %d packets):" % pkts)
print("  triovm: %.2f handled by triovm; KVM: %.2f all, %.2f port I/O, %.2f MMIO"
      % (handled, tk[0], tk[1], tk[2]))
print("  QEMU:   %.2f handled by QEMU (port I/O + MMIO); KVM: %.2f all, %.2f port I/O, %.2f MMIO"
      % (qk[1] + qk[2], qk[0], qk[1], qk[2]))
print("  interrupts raised by triovm's e1000: %d (%d deferred by ITR)"
      % (dev1["interrupts"] - dev0["interrupts"],
         dev1["interrupts_deferred_by_itr"] - dev0["interrupts_deferred_by_itr"]))
PY
note "passed"
