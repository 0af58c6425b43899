#!/bin/bash
# SR-IOV lifecycle on the test host's NVMe controller (QEMU's nvme with
# sriov_max_vfs=2): list, enable, bring the secondary controllers online with
# `nvme virt-mgmt`, bind a VF to vfio-pci, give it to a guest whose nvme
# driver probes the VF's controller; refuse to disable while the guest runs,
# and with --force have vfio-pci ask triovm for the VF back (triovm stops the
# guest and the VFs go); refuse --force for a holder that is not triovm, or
# while the VF is bound; unbind, disable; and the bad-input cases (status 2,
# one line).
. "$(dirname "$0")/../lib.sh"

cat >"$WORK/guest-init" <<'GUEST'
#!/bin/sh
c=/sys/class/nvme/nvme0
i=0
while [ "$(cat $c/state 2>/dev/null)" != live ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
echo "E2E-GUEST-NVME: $(cat $c/state) driver $(basename "$(readlink $c/device/driver)") pci $(cat $c/device/vendor):$(cat $c/device/device) model $(cat $c/model)"
echo "E2E-GUEST-WAITING"
# Running until the test host takes the VF back, which stops the VM.
read go </dev/console
GUEST
guest_initrd "$WORK/initrd" "$WORK/guest-init" "nvme pvpanic_mmio"

cat >"$WORK/inner.sh" <<INNER
#!/bin/sh
T="$TRIOVM"
st() { "\$@" 2>\$W.err; s=\$?; echo "E2E-STATUS \$* => \$s"; sed 's/^/E2E-ERR: /' \$W.err; }
W=/tmp/sriov
\$T sriov list --json >/tmp/list0.json && cp /tmp/list0.json "$WORK/list0.json"
PF=\$(python3 -c 'import json; print(json.load(open("/tmp/list0.json"))[0]["pf"])')
echo "E2E-PF: \$PF"
\$T sriov list
# The primary controller gives up its flexible resources first.
nvme virt-mgmt /dev/nvme0 -c 0 -r 1 -a 1 -n 0 >/dev/null
nvme virt-mgmt /dev/nvme0 -c 0 -r 0 -a 1 -n 0 >/dev/null
nvme reset /dev/nvme0
st \$T sriov enable \$PF 3
st \$T sriov enable \$PF 2 --no-autoprobe
for c in 1 2; do
	nvme virt-mgmt /dev/nvme0 -c \$c -r 1 -a 8 -n 1 >/dev/null
	nvme virt-mgmt /dev/nvme0 -c \$c -r 0 -a 8 -n 2 >/dev/null
	nvme virt-mgmt /dev/nvme0 -c \$c -r 0 -a 9 -n 0 >/dev/null
done
nvme list-secondary /dev/nvme0 | grep -c 'Online' | sed 's/^/E2E-ONLINE: /'
\$T sriov list --json >"$WORK/list1.json"
VF=\$(python3 -c 'import json; print(json.load(open("$WORK/list1.json"))[0]["vfs"][0]["address"])')
echo "E2E-VF: \$VF"
st \$T sriov bind \$VF
echo "E2E-VF-DRIVER: \$(basename \$(readlink /sys/bus/pci/devices/\$VF/driver))"
st \$T sriov disable \$PF
# The VF in a guest.
mkfifo /tmp/guest-in
\$T run --kernel "$VMLINUZ" --initrd "$WORK/initrd" --memory 192M \
	--cmdline "console=ttyS0 quiet panic=-1" --device vfio,host=\$VF \
	</tmp/guest-in >"$WORK/guest.out" 2>&1 &
gpid=\$!
exec 4>/tmp/guest-in
i=0
while ! grep -q E2E-GUEST-WAITING "$WORK/guest.out" && [ \$i -lt 300 ]; do sleep 1; i=\$((i + 1)); done
st \$T sriov disable \$PF
st \$T sriov disable \$PF --force
echo "E2E-NUMVFS-FORCED: \$(cat /sys/bus/pci/devices/\$PF/sriov_numvfs)"
wait \$gpid
echo "E2E-GUEST-STATUS: \$?"
exec 4>&-
sed 's/^/[guest] /' "$WORK/guest.out"
st \$T sriov enable \$PF 2 --no-autoprobe
st \$T sriov bind \$VF
# A process holding the VF's group open counts as a guest using it, and one
# that is not triovm is not asked to let go, even with --force.
G=\$(basename \$(readlink /sys/bus/pci/devices/\$VF/iommu_group))
sleep 30 3<>/dev/vfio/\$G &
holder=\$!
sleep 1
st \$T sriov unbind \$VF
st \$T sriov disable \$PF --force
kill \$holder
wait \$holder 2>/dev/null
st \$T sriov unbind \$VF
echo "E2E-VF-DRIVER-AFTER: \$(basename \$(readlink /sys/bus/pci/devices/\$VF/driver 2>/dev/null) 2>/dev/null)"
st \$T sriov bind \$VF
st \$T sriov disable \$PF --force
st \$T sriov enable \$PF 2 --no-autoprobe
st \$T sriov disable \$PF
echo "E2E-NUMVFS: \$(cat /sys/bus/pci/devices/\$PF/sriov_numvfs)"
# Bad input.
NOSRIOV=\$(basename \$(dirname \$(grep -l 0x1234 /sys/bus/pci/devices/*/vendor | head -1)))
st \$T sriov enable 0000:00:1f.0 2
st \$T sriov enable 0000:07:00.0 2
st \$T sriov enable nonsense 2
st \$T sriov enable \$PF 0
st \$T sriov bind \$PF
st \$T sriov bind 0000:00:1f.0
st \$T sriov frobnicate
INNER
in_kvm_host --devices nvme --timeout 480 -- sh "$WORK/inner.sh" >"$WORK/out" 2>&1 || true

# check "COMMAND-REGEX" STATUS [MESSAGE-REGEX]
check() {
	expect_line "$WORK/out" "^E2E-STATUS .*$1 => $2\$" "'$1' to exit $2"
	if [ -n "${3:-}" ]; then
		grep -A3 "^E2E-STATUS .*$1 => $2\$" "$WORK/out" | grep -Eq "E2E-ERR: .*$3" ||
			fail "'$1': expected the message /$3/"
	fi
}

expect_line "$WORK/out" '^E2E-PF: 0000:' "the NVMe PF in triovm sriov list"
python3 - "$WORK/list0.json" "$WORK/list1.json" <<'PY' || fail "triovm sriov list --json contents"
import json, sys
l0, l1 = (json.load(open(p)) for p in sys.argv[1:])
pf0 = l0[0]
assert (pf0["vendor"], pf0["device"]) == (0x1b36, 0x0010), pf0
assert pf0["total_vfs"] == 2 and pf0["num_vfs"] == 0 and pf0["vfs"] == [], pf0
assert pf0["vf_offset"] == 1 and pf0["vf_stride"] == 1 and pf0["vf_device"] == 0x10, pf0
vfs = l1[0]["vfs"]
assert l1[0]["num_vfs"] == 2 and len(vfs) == 2, l1
assert [v["index"] for v in vfs] == [0, 1], vfs
assert all(v["iommu_group"] >= 0 for v in vfs), vfs
assert not l1[0]["drivers_autoprobe"], l1
print("list: PF %s TotalVFs=%d, VFs %s" % (pf0["pf"], pf0["total_vfs"], [v["address"] for v in vfs]))
PY
check "enable 0000:[0-9a-f:.]* 3" 2 "supports 1 to 2 VFs, not 3"
check "enable 0000:[0-9a-f:.]* 2 --no-autoprobe" 0
expect_line "$WORK/out" '^E2E-ONLINE: 2$' "both secondary controllers online"
check "bind 0000:[0-9a-f:.]*" 0
expect_line "$WORK/out" '^E2E-VF-DRIVER: vfio-pci$' "the VF on vfio-pci"
check "disable 0000:[0-9a-f:.]*" 2 "is in use: it is bound to vfio-pci"
expect_line "$WORK/out" '^\[guest\] E2E-GUEST-NVME: live driver nvme pci 0x1b36:0x0010' \
	"the guest's nvme driver to bring the VF's controller live"
check "disable 0000:[0-9a-f:.]*" 2 \
	"in use by a guest \\(held by pid [0-9]+, triovm\\); refusing to disable SR-IOV \\(stop the guest first, or --force"
check "disable 0000:[0-9a-f:.]* --force" 0 "held by pid [0-9]+, triovm\\); disable SR-IOV anyway \\(--force\\)"
expect_line "$WORK/out" '^E2E-NUMVFS-FORCED: 0$' "no VFs after the forced disable"
expect_line "$WORK/out" '^\[guest\] .*wants the device back' "triovm to say why it stopped the guest"
expect_line "$WORK/out" '^E2E-GUEST-STATUS: 0$' "triovm to stop the guest and exit 0 when the host took the VF back"
! grep -E '^\[guest\] triovm: (warning|error)' "$WORK/out" | grep -v 'wants the device back' ||
	fail "triovm to let go of the VF without other complaints"
check "disable 0000:[0-9a-f:.]* --force" 2 "held by pid [0-9]+, sleep\\); refusing to disable SR-IOV, even with --force"
note "VF in the guest: $(sed -n 's/^\[guest\] E2E-GUEST-NVME: //p' "$WORK/out")"
check "unbind 0000:[0-9a-f:.]*" 2 "in use by another process .*held by pid [0-9]+, sleep"
check "unbind 0000:[0-9a-f:.]*" 0
check "disable 0000:[0-9a-f:.]* --force" 0
check "enable 0000:00:1f.0 2" 2 "not an SR-IOV physical function"
check "enable 0000:07:00.0 2" 2 "no such PCI device"
check "enable nonsense 2" 2 "is not a PCI address"
check "enable 0000:[0-9a-f:.]* 0" 2 "not a number of VFs"
check "bind 0000:00:1f.0" 2 "not an SR-IOV virtual function"
check "frobnicate" 2 "unknown sriov command"
expect_line "$WORK/out" '^E2E-NUMVFS: 0$' "no VFs left at the end"
note "passed"
