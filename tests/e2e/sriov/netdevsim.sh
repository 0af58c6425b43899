#!/bin/bash
# VF settings over netlink against a real driver: netdevsim (built out of
# tree for the test host's kernel) with 4 VFs. Every `set` attribute is
# applied and read back by `triovm sriov show` and by `ip link show`; a
# refused attribute names itself and the driver and leaves nothing changed.
. "$(dirname "$0")/../lib.sh"

ko=$("$SRC/tests/testhost/build-netdevsim" "$BUILD") || fail "cannot build netdevsim"

cat >"$WORK/inner.sh" <<INNER
#!/bin/sh
T="$TRIOVM"
st() { "\$@" 2>/tmp/err; s=\$?; echo "E2E-STATUS \$* => \$s"; sed 's/^/E2E-ERR: /' /tmp/err; }
insmod "$ko" || { echo "E2E-NO-NETDEVSIM"; exit 1; }
echo "1 1" >/sys/bus/netdevsim/new_device
i=0
while [ ! -d /sys/bus/netdevsim/devices/netdevsim1/net ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
DEV=\$(ls /sys/bus/netdevsim/devices/netdevsim1/net/)
echo "E2E-DEV: \$DEV"
st \$T sriov set \$DEV 1 trust=on
echo 4 >/sys/bus/netdevsim/devices/netdevsim1/sriov_numvfs
st \$T sriov set \$DEV 1 mac=02:11:22:33:44:55 vlan=100 qos=3 spoofchk=on trust=on link=enable rate=100:1000
st \$T sriov set \$DEV 3 link=disable rate=:500
st \$T sriov set \$DEV 2 spoofchk=on
st \$T sriov show \$DEV --json
\$T sriov show \$DEV --json >"$WORK/show.json"
ip -d link show \$DEV | sed 's/^/E2E-IP: /'
# netdevsim refuses a minimum above the maximum: the error names the
# attribute and driver, and trust (applied first) is put back.
st \$T sriov set \$DEV 3 trust=on rate=600:
\$T sriov show \$DEV --json >"$WORK/show2.json"
st \$T sriov set \$DEV 9 trust=on
st \$T sriov set \$DEV 1 vlan=4096
st \$T sriov set \$DEV 1 color=blue
st \$T sriov set lo 0 trust=on
st \$T sriov set nosuchdev 0 trust=on
st \$T sriov set \$DEV 0000:00:1f.0 trust=on
INNER
in_kvm_host --timeout 480 -- sh "$WORK/inner.sh" >"$WORK/out" 2>&1 || true

check() {
	expect_line "$WORK/out" "^E2E-STATUS .*$1 => $2\$" "'$1' to exit $2"
	if [ -n "${3:-}" ]; then
		grep -A1 "^E2E-STATUS .*$1 => $2\$" "$WORK/out" | grep -Eq "E2E-ERR: .*$3" ||
			fail "'$1': expected the message /$3/"
	fi
}

grep -q E2E-NO-NETDEVSIM "$WORK/out" && fail "netdevsim did not load in the test host"
expect_line "$WORK/out" '^E2E-DEV: ' "netdevsim's netdev"
check "set [a-z0-9]* 1 trust=on" 2 "has no VFs"
check "set [a-z0-9]* 1 mac=.*rate=100:1000" 0
check "set [a-z0-9]* 3 link=disable rate=:500" 0
check "set [a-z0-9]* 2 spoofchk=on" 0
expect_line "$WORK/out" '^E2E-IP: .*vf 1 .*link/ether 02:11:22:33:44:55.*vlan 100, qos 3.*max_tx_rate 1000Mbps, min_tx_rate 100Mbps, spoof checking on, link-state enable, trust on' "ip link show to see every VF 1 setting"
expect_line "$WORK/out" '^E2E-IP: .*vf 3 .*max_tx_rate 500Mbps.*link-state disable' "ip link show to see VF 3's rate and link"
expect_line "$WORK/out" '^E2E-IP: .*vf 2 .*spoof checking on' "ip link show to see VF 2's spoofchk"
check "set [a-z0-9]* 3 trust=on rate=600:" 2 "set rate on VF 3 of .*\\(driver netdevsim\\)"
check "set [a-z0-9]* 9 trust=on" 2 "has 4 VFs; there is no VF 9"
check "set [a-z0-9]* 1 vlan=4096" 2 "not a VLAN ID"
check "set [a-z0-9]* 1 color=blue" 2 "unknown VF attribute 'color'"
check "set lo 0 trust=on" 2 "lo has no VFs"
check "set nosuchdev 0 trust=on" 2 "neither a network interface nor a PCI address"
check "set [a-z0-9]* 0000:00:1f.0 trust=on" 2 "is not an SR-IOV virtual function"
python3 - "$WORK/show.json" "$WORK/show2.json" <<'PY' || fail "triovm sriov show contents"
import json, sys
s, s2 = (json.load(open(p)) for p in sys.argv[1:])
assert len(s) == 4, s
v1 = s[1]
assert (v1["mac"], v1["vlan"], v1["qos"], v1["spoofchk"], v1["trust"], v1["link"],
        v1["min_rate"], v1["max_rate"]) == ("02:11:22:33:44:55", 100, 3, True, True,
                                            "enable", 100, 1000), v1
assert s[3]["link"] == "disable" and s[3]["max_rate"] == 500 and s[3]["min_rate"] == 0, s[3]
assert s[2]["spoofchk"] and not s[0]["spoofchk"], s
# The refused set changed nothing: trust is back off, the rate unchanged.
assert s2 == s, (s, s2)
print("show: VF 1 %s" % v1)
PY
note "passed"
