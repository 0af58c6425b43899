#!/bin/bash
# triovm compare with a small packet count: every mode (emulated e1000,
# vhost-user virtio-net on triovm-vswitch, passed-through e1000e) on triovm
# and on QEMU in one run of the test host. The JSON must have every figure
# for every pair, finite; the exits per packet must come out in the order the
# modes predict; the SVG must be valid XML with a bar group per mode in each
# chart; the terminal gets the table and says where it was measured.
. "$(dirname "$0")/../lib.sh"

MODES="emulated vhost-user passthrough"
status=0
"$TRIOVM" compare --packets 3000 --rtts 100 --timeout 150 --out "$WORK/compare" \
	>"$WORK/out" 2>&1 || status=$?
cat "$WORK/out"
[ $status = 0 ] || fail "expected triovm compare to exit 0, got $status"
expect_line "$WORK/out" '^\[1/6\] emulated +triovm +booting' "a progress line per run"
expect_line "$WORK/out" '^\[6/6\] passthrough +qemu +ok' "the last run to finish"
expect_line "$WORK/out" '^mode +VMM +pkt/s +MB/s +RTT med us' "the table's header"
for m in $MODES; do
	for v in triovm qemu; do
		expect_line "$WORK/out" "^$m +$v +[0-9]" "a table row for $m on $v"
	done
done
if [ ! -e /dev/kvm ]; then
	expect_line "$WORK/out" '^Note: .*software-emulated, not hardware figures' \
		"the note that the figures come from a software-emulated host"
fi

python3 - "$WORK/compare" $MODES <<'PY' || fail "compare.json and compare.svg"
import json, math, sys
import xml.etree.ElementTree as ET

out, modes = sys.argv[1], sys.argv[2:]
rep = json.load(open(out + "/compare.json"))
assert rep["failures"] == [], rep["failures"]
setup = rep["setup"]
assert setup["modes"] == modes and setup["vmms"] == ["triovm", "qemu"], setup
assert setup["packets"] == 3000, setup
by = {(r["mode"], r["vmm"]): r for r in rep["results"]}
assert sorted(by) == sorted((m, v) for m in modes for v in ("triovm", "qemu")), sorted(by)

FIGURES = ("pps", "bytes_per_second", "rtt_median_us", "rtt_p99_us", "rtt_max_us",
           "exits_per_packet", "io_exits_per_packet", "mmio_exits_per_packet",
           "vmm_handled_exits_per_packet", "irq_injections_per_packet",
           "vmm_cpu_us_per_packet", "backend_cpu_us_per_packet")


def numbers(d, path=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from numbers(v, path + k + ".")
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            yield path + k, v


for key, r in sorted(by.items()):
    for f in FIGURES:
        assert f in r, (key, f)
    for name, v in numbers(r):
        assert math.isfinite(v) and v >= 0, (key, name, v)
    assert r["packets_sent"] == 3000, (key, r["packets_sent"])
    assert r["packets_received"] > 0, (key, "the sink got nothing")
    assert r["pps"] > 0 and r["rtt_median_us"] > 0, key
    assert r["rtt_median_us"] <= r["rtt_p99_us"] <= r["rtt_max_us"], key
    print("%-11s %-6s %8.3f exits/pkt, %7.3f VMM-handled/pkt, %6.0f pkt/s, RTT %5.0f us, "
          "driver %s" % (key + (r["exits_per_packet"], r["vmm_handled_exits_per_packet"],
                                r["pps"], r["rtt_median_us"], r["guest_driver"])))

drivers = {"emulated": "e1000", "vhost-user": "virtio_net", "passthrough": "e1000e"}
for v in ("triovm", "qemu"):
    for m in modes:
        assert by[(m, v)]["guest_driver"] == drivers[m], (m, v, by[(m, v)]["guest_driver"])
    emu, vu, pt = (by[(m, v)] for m in modes)
    # Every register access of the emulated NIC exits; virtio kicks go to the
    # backend through ioeventfds; passthrough touches the device directly.
    # How many register accesses a packet costs on the emulated NIC depends on
    # how the guest's driver batches (one TDT write per burst, fewer
    # interrupts when the ring is busy): QEMU's e1000 has measured from 0.86 to
    # 6 per packet here. The order between the modes is what holds.
    assert emu["exits_per_packet"] > vu["exits_per_packet"], (v, "KVM exits")
    assert emu["vmm_handled_exits_per_packet"] > 0.25, (v, emu["vmm_handled_exits_per_packet"])
    assert emu["vmm_handled_exits_per_packet"] > 4 * max(
        vu["vmm_handled_exits_per_packet"], pt["vmm_handled_exits_per_packet"]), (v, "VMM-handled")
    assert vu["vmm_handled_exits_per_packet"] < 0.05, (v, vu["vmm_handled_exits_per_packet"])
    assert pt["vmm_handled_exits_per_packet"] < 0.05, (v, pt["vmm_handled_exits_per_packet"])
    assert emu["backend_cpu_us_per_packet"] == 0 and vu["backend_cpu_us_per_packet"] > 0, v

# The chart: valid XML, each chart with one bar group (x label) per mode
# and a triovm and a QEMU series.
assert rep["chart"] == "compare.svg", rep.get("chart")
root = ET.parse(out + "/compare.svg").getroot()
assert root.tag.endswith("svg"), root.tag
texts = ["".join(t.itertext()).strip() for t in root.iter() if t.tag.endswith("text")]
charts = 4
for m in modes:
    assert texts.count(m) == charts, (m, texts.count(m))
titles = [("".join(t.itertext())).strip() for t in root.iter() if t.tag.endswith("title")]
assert titles.count("triovm") == charts and titles.count("QEMU") == charts, titles
print("compare.svg: %d charts, a bar group per mode in each, triovm beside QEMU" % charts)
PY
note "passed"
