#!/bin/bash
# VFIO on a real kernel, in the KVM test host (its intel-iommu, e1000e and
# ICH9 functions), without a guest:
# - `triovm vfio bind` moves an e1000e (found by 8086:10d3) to vfio-pci and
#   `unbind` gives it back to e1000e;
# - `triovm vfio check` (the checks `run --device` makes) gives status 2 and
#   one line for: a BDF that does not exist, a device not on vfio-pci, a group
#   not viable (the ICH9 SATA function beside the SMBus one on i801_smbus),
#   a group held open by another process, a host without IOMMU groups;
# - `triovm vfio probe` opens container, groups (two devices sharing one
#   group fd), the KVM VFIO device and the devices: the e1000e shows BAR0 and
#   MSI-X vectors, a memfd maps for DMA at 0 and above 4 GiB, and maps over
#   the MSI window or outside the usable IOVA ranges are refused; guest RAM
#   laid out as `triovm run` does maps at IOVA = GPA.
. "$(dirname "$0")/../lib.sh"

{
	printf 'T=%q\nW=%q\nKTREE=%q\n' "$TRIOVM" "$WORK" "$KTREE"
	cat <<'INNER'
set -u
# run NAME COMMAND...: status, stdout and stderr into $W/NAME.*
run() {
	name=$1
	shift
	timeout 120 "$@" >"$W/$name.out" 2>"$W/$name.err"
	echo $? >"$W/$name.status"
}
# by_id VENDOR DEVICE [N]: the Nth (1st) PCI device with these IDs
by_id() {
	n=0
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor"):$(cat "$d/device")" = "$1:$2" ]; then
			n=$((n + 1))
			[ "$n" = "${3:-1}" ] && basename "$d" && return 0
		fi
	done
	return 1
}
driver_of() {
	l=$(readlink "/sys/bus/pci/devices/$1/driver")
	if [ -n "$l" ]; then basename "$l"; else echo none; fi
}
group_of() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }

NIC=$(by_id 0x8086 0x10d3 1) || { echo "E2E-NO-E1000E"; exit 1; }
SATA=$(by_id 0x8086 0x2922) || { echo "E2E-NO-ICH9-SATA"; exit 1; }
SMBUS=$(by_id 0x8086 0x2930) || { echo "E2E-NO-ICH9-SMBUS"; exit 1; }
G=$(group_of "$NIC")
echo "E2E-NIC: $NIC group $G driver $(driver_of "$NIC")"
echo "E2E-ICH9: $SATA group $(group_of "$SATA"), $SMBUS group $(group_of "$SMBUS")"

run absent "$T" vfio check 0000:fe:1f.7
run not-bound "$T" vfio check "$NIC"
run no-iommu unshare -m sh -c \
	'mount -t tmpfs none /sys/kernel/iommu_groups && exec "$0" vfio check "$1"' "$T" "$NIC"
run bad-bdf "$T" vfio check 00:03
run bind-absent "$T" vfio bind 0000:fe:1f.7

run bind "$T" vfio bind "$NIC"
echo "E2E-NIC-BOUND: $(driver_of "$NIC")"
run check "$T" vfio check "$NIC"
run probe "$T" vfio probe "$NIC" --dma 0x0,2M --dma 0x100000000,2M \
	--dma 0xfee00000,4K --dma 0xfed00000,4M --dma 0x10000000000000,2M

# Another process holds the group open.
sleep 600 3<>"/dev/vfio/$G" &
holder=$!
i=0
while [ ! -e "/proc/$holder/fd/3" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
run busy "$T" vfio check "$NIC"
run busy-probe "$T" vfio probe "$NIC"
run busy-unbind "$T" vfio unbind "$NIC"
kill "$holder"
wait "$holder" 2>/dev/null
run released "$T" vfio check "$NIC"

# The ICH9 group: SATA and SMBus functions (and the LPC bridge) together.
modprobe -d "$KTREE" i2c-i801 || echo "E2E-MODPROBE-FAILED"
echo "E2E-SMBUS-DRIVER: $(driver_of "$SMBUS")"
run bind-sata "$T" vfio bind "$SATA"
run not-viable "$T" vfio check "$SATA"
run bind-smbus "$T" vfio bind "$SMBUS"
run shared "$T" vfio probe "$SATA" "$SMBUS" "$NIC" --ram 256M \
	--dma 0x10000000,2M --dma 0x0,2M
run unbind-smbus "$T" vfio unbind "$SMBUS"
echo "E2E-SMBUS-AFTER: $(driver_of "$SMBUS")"
run unbind-sata "$T" vfio unbind "$SATA"

run unbind "$T" vfio unbind "$NIC"
echo "E2E-NIC-AFTER: $(driver_of "$NIC")"
run unbind-again "$T" vfio unbind "$NIC"
echo "E2E-DONE"
INNER
} >"$WORK/inner.sh"

in_kvm_host --devices nics,edu --timeout 360 -- sh "$WORK/inner.sh" >"$WORK/out" 2>&1 || true
expect_line "$WORK/out" '^E2E-DONE' "the checks in the test host to run to the end"

status_of() {
	[ -e "$WORK/$1.status" ] || fail "$1 did not run (see the output above)"
	cat "$WORK/$1.status"
}
# expect_ok NAME: exit status 0
expect_ok() {
	local s
	s=$(status_of "$1")
	[ "$s" = 0 ] || fail "$1: exit status $s, expected 0: $(cat "$WORK/$1.err")"
}
# expect_bad NAME REGEX: exit status 2 and exactly one line on stderr
expect_bad() {
	local s err
	s=$(status_of "$1")
	err=$(cat "$WORK/$1.err")
	[ "$s" = 2 ] || fail "$1: exit status $s, expected 2 ($err)"
	[ "$(wc -l <"$WORK/$1.err")" = 1 ] || fail "$1: expected one line, got: $err"
	printf '%s\n' "$err" | grep -Eq -- "$2" || fail "$1: '$err' does not match /$2/"
	[ ! -s "$WORK/$1.out" ] || fail "$1: expected nothing on stdout, got: $(cat "$WORK/$1.out")"
	note "ok: $1 -> $err"
}

nic=$(sed -n 's/^E2E-NIC: \([^ ]*\) .*/\1/p' "$WORK/out")
group=$(sed -n 's/^E2E-NIC: [^ ]* group \([0-9]*\) .*/\1/p' "$WORK/out")
[ -n "$nic" ] && [ -n "$group" ] || fail "no e1000e (8086:10d3) with an IOMMU group in the test host"
expect_line "$WORK/out" "^E2E-NIC: $nic group $group driver e1000e$" "the e1000e on e1000e at first"

# Bad input: one line, status 2.
expect_bad absent '^triovm: error: 0000:fe:1f.7: no such PCI device'
expect_bad not-bound "^triovm: error: $nic is bound to e1000e, not vfio-pci: run \`triovm vfio bind $nic\` first$"
expect_bad no-iommu "^triovm: error: $nic: the host has no IOMMU \(/sys/kernel/iommu_groups is empty\)"
expect_bad bad-bdf "'00:03' is not a PCI address"
expect_bad bind-absent '0000:fe:1f.7: no such PCI device'
expect_bad busy "^triovm: error: $nic: IOMMU group $group is in use by another process \(/dev/vfio/$group is held by pid [0-9]+, sleep\)$"
expect_bad busy-probe "IOMMU group $group is in use by another process"
expect_bad busy-unbind "IOMMU group $group is in use by another process"
expect_bad not-viable "^triovm: error: 0000:00:1f.2: IOMMU group [0-9]+ is not viable: 0000:00:1f.3 is bound to i801_smbus \(free it with \`triovm vfio bind 0000:00:1f.3\`\)$"

# bind / unbind
expect_ok bind
expect_line "$WORK/out" '^E2E-NIC-BOUND: vfio-pci$' "the e1000e on vfio-pci after bind"
expect_ok check
expect_line "$WORK/check.out" "^$nic: ready for passthrough \(IOMMU group $group\)$" "check to pass once bound"
expect_ok released
expect_ok unbind
expect_line "$WORK/out" '^E2E-NIC-AFTER: e1000e$' "the e1000e back on e1000e after unbind"
expect_ok unbind-again
expect_line "$WORK/unbind-again.err" 'is not bound to vfio-pci .*nothing to do' "a second unbind to do nothing"

# probe: what VFIO says about the e1000e, and the DMA map checks.
expect_ok probe
p=$WORK/probe.out
expect_line "$p" "^device $nic: IOMMU group $group, flags 0x[0-9a-f]+, 9 regions, 5 IRQ indexes" "the device's info"
expect_line "$p" '^  region 0 BAR0: size 0x20000 offset 0x0 flags read,write,mmap' "BAR0 (128 KiB, mmappable)"
expect_line "$p" '^  region 7 config: size 0x1000 ' "the config space region"
expect_line "$p" '^  irq 2 MSI-X: count [1-9][0-9]* ' "MSI-X vectors"
expect_line "$p" '^iommu: page sizes 0x[0-9a-f]+, usable 0x0-0xfedfffff,0xfef00000-0x[0-9a-f]+, dma mappings available [0-9]+$' "usable IOVA ranges around the MSI window"
expect_line "$p" "^reserved: 0xfee00000-0xfeefffff msi \(IOMMU group $group\)$" "the group's MSI reserved region"
expect_line "$p" "^kvm-vfio: groups $group added to the KVM VFIO device$" "the group added to the KVM VFIO device"
expect_line "$p" '^dma 0x0\+0x200000: mapped$' "a memfd mapped for DMA at IOVA 0"
expect_line "$p" '^dma 0x100000000\+0x200000: mapped$' "a memfd mapped for DMA above 4 GiB"
expect_line "$p" '^dma 0xfee00000\+0x1000: refused$' "a map over the MSI window refused"
expect_line "$p" '^dma 0xfed00000\+0x400000: refused$' "a map across the MSI window refused"
expect_line "$p" '^dma 0x10000000000000\+0x200000: refused$' "a map outside the usable ranges refused"
expect_line "$WORK/probe.err" "cannot map memory at 0xfee00000-0xfee00fff for DMA: IOVA 0xfee00000-0xfee00fff falls in reserved region 0xfee00000-0xfeefffff \(msi\) of IOMMU group $group$" "the refusal to name the MSI window"
expect_line "$WORK/probe.err" "cannot map memory at 0xfed00000-0xff0fffff for DMA: IOVA 0xfee00000-0xfeefffff falls in reserved region" "the refusal to name the overlap"
expect_line "$WORK/probe.err" "IOVA 0x10000000000000-0x100000001fffff is outside the IOMMU's usable IOVA ranges" "the refusal outside the usable ranges"
grep -v 'cannot map memory\|offers no way to reset' "$WORK/probe.err" | grep . &&
	fail "probe: unexpected messages (above)"
grep 'irq 2 MSI-X' "$p" | sed 's/^ */probe: /'

# Two devices in one group (one group fd), plus the e1000e's group.
expect_line "$WORK/out" '^E2E-SMBUS-DRIVER: i801_smbus$' "i2c-i801 to take the ICH9 SMBus function"
expect_ok bind-sata
expect_line "$WORK/bind-sata.err" "IOMMU group [0-9]+ is not viable yet: 0000:00:1f.3 is bound to i801_smbus" "bind to warn that the group is not viable yet"
expect_ok bind-smbus
expect_ok shared
s=$WORK/shared.out
ich9=$(sed -n 's/^device 0000:00:1f.2: IOMMU group \([0-9]*\),.*/\1/p' "$s")
[ -n "$ich9" ] || fail "shared: no line for 0000:00:1f.2 ($(cat "$s"))"
expect_line "$s" "^device 0000:00:1f.3: IOMMU group $ich9," "the SMBus function in the same group"
expect_line "$s" "^device $nic: IOMMU group $group," "the e1000e beside them"
expect_line "$s" "^kvm-vfio: groups $ich9 $group added to the KVM VFIO device$" "each group added once to the KVM VFIO device"
expect_line "$s" "^reserved: 0x0-0xffffff direct-relaxable \(IOMMU group $ich9\) relaxable$" "the ICH9 group's relaxable region"
expect_line "$s" '^guest RAM 0x0-0xfffffff: mapped$' "256 MiB of guest RAM mapped, over the relaxable region"
expect_line "$s" '^dma 0x10000000\+0x200000: mapped$' "a memfd mapped right above guest RAM"
expect_line "$s" '^dma 0x0\+0x200000: refused$' "a map over guest RAM refused"
expect_line "$WORK/shared.err" 'VFIO_IOMMU_MAP_DMA of memory at 0x0\+0x200000: File exists \(it overlaps a mapping already made\)$' "the kernel's EEXIST explained"
expect_ok unbind-smbus
expect_line "$WORK/out" '^E2E-SMBUS-AFTER: i801_smbus$' "the SMBus function back on i801_smbus"
expect_ok unbind-sata
note "passed"
