#!/bin/bash
# triovm boots Debian's kernel with a busybox initramfs on 2 vCPUs and 256 MiB;
# the guest prints a marker, sees both CPUs and powers off; triovm exits 0 and
# --stats reports the exits it handled.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/guest-init" <<'GUEST'
#!/bin/sh
echo "E2E-MARKER: guest is up"
echo "E2E-CPUS: $(grep -c ^processor /proc/cpuinfo)"
echo "E2E-ONLINE: $(cat /sys/devices/system/cpu/online)"
GUEST
guest_initrd "$WORK/initrd" "$WORK/guest-init" "pvpanic_mmio"

cat >"$WORK/inner.sh" <<INNER
#!/bin/sh
timeout 180 "$TRIOVM" run --kernel "$VMLINUZ" --initrd "$WORK/initrd" \
	--cpus 2 --memory 256M --cmdline "console=ttyS0 quiet panic=-1" \
	--stats "$WORK/stats.json" </dev/null
echo "E2E-STATUS: \$?"

# The same guest on 2 MiB huge pages (memfd on hugetlbfs).
echo 160 >/proc/sys/vm/nr_hugepages
timeout 180 "$TRIOVM" run --kernel "$VMLINUZ" --initrd "$WORK/initrd" \
	--memory 256M,hugepages=on --cmdline "console=ttyS0 quiet" \
	</dev/null >"$WORK/huge.out" 2>&1
echo "E2E-HUGE-STATUS: \$?"
sed 's/^E2E-/E2E-HUGE-/' "$WORK/huge.out"
grep -E 'HugePages_(Total|Free)' /proc/meminfo
INNER
in_kvm_host --timeout 420 -- sh "$WORK/inner.sh" >"$WORK/out" 2>&1 || true

expect_line "$WORK/out" '^E2E-MARKER: guest is up' "the guest's marker"
expect_line "$WORK/out" '^E2E-CPUS: 2$' "2 CPUs in /proc/cpuinfo"
expect_line "$WORK/out" '^E2E-ONLINE: 0-1$' "CPUs 0-1 online"
expect_line "$WORK/out" 'triovm: the guest powered off' "triovm to see the poweroff"
expect_line "$WORK/out" '^E2E-STATUS: 0$' "exit status 0"
expect_line "$WORK/out" '^E2E-HUGE-MARKER: guest is up' "the guest's marker with hugepages=on"
expect_line "$WORK/out" '^E2E-HUGE-STATUS: 0$' "exit status 0 with hugepages=on"

# --stats: valid JSON with the guest's console exits and KVM's counters.
[ -s "$WORK/stats.json" ] || fail "--stats wrote nothing"
python3 - "$WORK/stats.json" <<'PY' || fail "--stats content"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["stop_reason"] == "poweroff", s["stop_reason"]
assert len(s["vcpus"]) == 2
com1 = [r for r in s["ranges"] if r["name"] == "serial COM1"][0]
assert com1["bus"] == "pio" and com1["base"] == 0x3f8 and com1["exits"] > 100, com1
t = s["totals"]
assert t["triovm_exits"]["io"] >= com1["exits"], t
assert t["kvm"]["exits"] > t["triovm_exits"]["all"], t
assert t["kvm"]["io_exits"] >= t["triovm_exits"]["io"], t
print("stats: %d KVM exits, %d handled by triovm (%d port I/O), COM1 %d"
      % (t["kvm"]["exits"], t["triovm_exits"]["all"], t["triovm_exits"]["io"], com1["exits"]))
PY
note "passed"
