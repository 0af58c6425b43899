#!/usr/bin/env python3
"""triovm compare: one workload over the three I/O modes, on triovm and QEMU.

For each mode (emulated e1000, vhost-user virtio-net on triovm-vswitch,
passed-through e1000e) and each VMM, the same guest (kernel, initramfs,
memory, one vCPU) sends a fixed number of UDP packets to a sink and then
runs a ping-pong latency test; the host reads KVM's exit counters, triovm's
own counters and the CPU time of the VMM and of the backend exactly around
the traffic (the guest waits for a "go" line on its console at each phase).

Without /dev/kvm everything runs inside the KVM test host, where absolute
figures are software-emulated; exit counts are exact either way.
"""
import argparse
import datetime
import glob
import json
import math
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time

MODES = ("emulated", "vhost-user", "passthrough")
VMMS = ("triovm", "qemu")
GUEST_MEM_MIB = 256
SINK_PORT, ECHO_PORT = 9000, 9001
NETS = {
    "emulated": ("10.10.1.2/24", "10.10.1.1"),
    "vhost-user": ("10.10.2.2/24", "10.10.2.1"),
    "passthrough": ("10.10.3.2/24", "10.10.3.1"),
}
GUEST_MAC = "52:54:00:c0:ff:ee"
HERE = os.path.dirname(os.path.abspath(__file__))


class Failure(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def sh(cmd, check=True):
    r = subprocess.run(cmd, shell=isinstance(cmd, str), capture_output=True, text=True)
    if check and r.returncode:
        raise Failure("%s: %s" % (cmd if isinstance(cmd, str) else " ".join(cmd),
                                  (r.stderr or r.stdout).strip()))
    return r.stdout


# ---------------------------------------------------------------- counters

def kvm_debugfs_dir(pid):
    dirs = glob.glob("/sys/kernel/debug/kvm/%d-*" % pid)
    return dirs[0] if dirs else None


def read_kvm_stats(pid):
    d = kvm_debugfs_dir(pid)
    if not d:
        raise Failure("no KVM statistics for pid %d in /sys/kernel/debug/kvm" % pid)
    out = {}
    for name in ("exits", "io_exits", "mmio_exits", "irq_injections", "halt_exits",
                 "irq_exits", "signal_exits"):
        try:
            with open(os.path.join(d, name)) as f:
                out[name] = int(f.read())
        except OSError:
            out[name] = 0
    return out


def cpu_ns(pid):
    """CPU time of every thread of pid, in ns (schedstat: time on CPU)."""
    total = 0
    for path in glob.glob("/proc/%d/task/*/schedstat" % pid):
        try:
            with open(path) as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def triovm_stats(pid, path):
    """Ask triovm for a --stats snapshot (SIGUSR2) and read it."""
    old = os.stat(path).st_mtime_ns if os.path.exists(path) else 0
    os.kill(pid, signal.SIGUSR2)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.stat(path).st_mtime_ns != old:
            with open(path) as f:
                return json.load(f)
        time.sleep(0.02)
    raise Failure("triovm wrote no --stats snapshot")


def snapshot(run):
    s = {"kvm": read_kvm_stats(run["pid"]), "vmm_cpu_ns": cpu_ns(run["pid"]),
         "backend_cpu_ns": cpu_ns(run["backend_pid"]) if run.get("backend_pid") else 0}
    if run["vmm"] == "triovm":
        t = triovm_stats(run["pid"], run["stats"])["totals"]["triovm_exits"]
        s["vmm_exits"] = t["all"]
        s["vmm_io"] = t["io"]
        s["vmm_mmio"] = t["mmio"]
    return s


# ---------------------------------------------------------------- modes

def e1000e_pair():
    devs = []
    for d in sorted(glob.glob("/sys/bus/pci/devices/*")):
        try:
            ids = (open(d + "/vendor").read().strip(), open(d + "/device").read().strip())
        except OSError:
            continue
        if ids == ("0x8086", "0x10d3"):
            devs.append(os.path.basename(d))
    if len(devs) < 2:
        raise Failure("passthrough needs two e1000e (8086:10d3) on one wire; found %d" % len(devs))
    return devs[0], devs[1]


def setup_mode(mode, a, work):
    env = {"mode": mode, "guest_ip": NETS[mode][0], "peer": NETS[mode][1]}
    peer_cidr = env["peer"] + "/24"
    if mode == "emulated":
        sh("ip tuntap add dev tcmp0 mode tap")
        sh("ip addr add %s dev tcmp0 && ip link set tcmp0 up" % peer_cidr)
        env["triovm_args"] = ["--net", "e1000,tap=tcmp0,mac=" + GUEST_MAC]
        env["qemu_args"] = ["-netdev", "tap,id=n0,ifname=tcmp0,script=no,downscript=no",
                            "-device", "e1000,netdev=n0,mac=" + GUEST_MAC]
        env["teardown"] = ["ip link del tcmp0"]
    elif mode == "vhost-user":
        # Unix sockets cannot live on the 9p share: use the host's tmpfs.
        env["socket"] = "/tmp/triovm-compare-%d.sock" % os.getpid()
        env["triovm_args"] = ["--net", "vhost-user,socket=%s,mac=%s" % (env["socket"], GUEST_MAC)]
        env["qemu_args"] = [
            "-object", "memory-backend-memfd,id=mem0,size=%dM,share=on" % GUEST_MEM_MIB,
            "-numa", "node,memdev=mem0",
            "-chardev", "socket,id=c0,path=%s,server=on,wait=off" % env["socket"],
            "-netdev", "vhost-user,id=n0,chardev=c0",
            "-device", "virtio-net-pci,netdev=n0,mac=" + GUEST_MAC]
        env["teardown"] = []
    else:
        vf, other = e1000e_pair()
        sh([a.triovm, "vfio", "bind", vf])
        nets = glob.glob("/sys/bus/pci/devices/%s/net/*" % other)
        if not nets:
            raise Failure("the second e1000e %s has no network interface" % other)
        ifname = os.path.basename(nets[0])
        sh("ip addr add %s dev %s && ip link set %s up" % (peer_cidr, ifname, ifname))
        env["device"] = vf
        env["triovm_args"] = ["--device", "vfio,host=" + vf]
        env["qemu_args"] = ["-device", "vfio-pci,host=" + vf]
        env["teardown"] = ["ip addr flush dev " + ifname, "%s vfio unbind %s" % (a.triovm, vf)]
    return env


def teardown_mode(env):
    for cmd in env.get("teardown", []):
        sh(cmd, check=False)


def start_backend(env, a, work):
    """triovm-vswitch between the guest's vhost-user port and a TAP uplink."""
    if env["mode"] != "vhost-user":
        return None
    if os.path.exists(env["socket"]):
        os.unlink(env["socket"])
    cmd = [a.vswitch, "-l", "0-1", "--no-huge", "-m", "256", "--no-pci",
           "--file-prefix", "triovm-compare", "--log-level", "lib.eal:error",
           "--", "--port", "vhost-user,path=" + env["socket"],
           "--uplink", "net_tap0,iface=vsw0", "--idle-sleep", "50"]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=open(os.path.join(work, "vswitch.log"), "w"),
                         stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not os.path.exists("/sys/class/net/vsw0"):
        if p.poll() is not None or time.monotonic() > deadline:
            raise Failure("triovm-vswitch did not start (see vswitch.log)")
        time.sleep(0.2)
    sh("ip addr add %s/24 dev vsw0 && ip link set vsw0 up" % env["peer"])
    return p


# ---------------------------------------------------------------- one run

def vmm_command(vmm, env, a, run, cmdline):
    if vmm == "triovm":
        return [a.triovm, "run", "--kernel", a.kernel, "--initrd", a.initrd,
                "--memory", "%dM" % GUEST_MEM_MIB, "--cpus", "1", "--cmdline", cmdline,
                "--stats", run["stats"]] + env["triovm_args"]
    return ["qemu-system-x86_64", "-accel", "kvm", "-cpu", "host", "-m", str(GUEST_MEM_MIB),
            "-smp", "1", "-nodefaults", "-nic", "none", "-no-reboot", "-display", "none",
            "-serial", "stdio", "-kernel", a.kernel, "-initrd", a.initrd,
            "-append", cmdline] + env["qemu_args"]


def parse_kv(line):
    return {k: float(v) if re.match(r"^-?[0-9.]+$", v) else v
            for k, v in re.findall(r"(\w+)=(\S+)", line)}


def run_one(mode, vmm, env, a, work, progress):
    tag = "%s-%s" % (mode, vmm)
    run = {"mode": mode, "vmm": vmm, "stats": os.path.join(work, tag + "-stats.json")}
    console = open(os.path.join(work, tag + "-console.log"), "w")
    cmdline = ("console=ttyS0 quiet panic=-1 netperf.ip=%s netperf.peer=%s netperf.packets=%d "
               "netperf.size=%d netperf.rtts=%d" % (env["guest_ip"], env["peer"], a.packets,
                                                     a.size, a.rtts))
    sink = subprocess.Popen([a.netperf, "sink", str(SINK_PORT), "3"], stdout=subprocess.PIPE,
                            text=True)
    echo = subprocess.Popen([a.netperf, "echo", str(ECHO_PORT), "3600"], stdout=subprocess.DEVNULL)
    for p in (sink,):
        if p.stdout.readline().strip() != "ready":
            raise Failure("the sink did not start")
    backend = start_backend(env, a, work)
    run["backend_pid"] = backend.pid if backend else None
    cmd = vmm_command(vmm, env, a, run, cmdline)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    run["pid"] = proc.pid
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buf = b""
    deadline = time.monotonic() + a.timeout
    result = {"mode": mode, "vmm": vmm}
    phase = "booting"
    progress(phase)
    try:
        while True:
            if time.monotonic() > deadline:
                raise Failure("%s timed out while %s" % (tag, phase))
            if not sel.select(timeout=1):
                if proc.poll() is not None:
                    raise Failure("%s exited (status %s) while %s" % (vmm, proc.returncode, phase))
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                proc.wait()
                if phase != "done":
                    raise Failure("%s exited (status %s) while %s" % (vmm, proc.returncode, phase))
                break
            console.write(chunk.decode(errors="replace"))
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.decode(errors="replace").strip()
                if "NETPERF-ERROR" in line:
                    raise Failure("%s: guest says: %s" % (tag, line))
                if line.startswith("NETPERF-READY"):
                    result.update(parse_kv(line))
                    run["before"] = snapshot(run)
                    phase = "sending %d packets" % a.packets
                    progress(phase)
                    proc.stdin.write(b"go\n")
                    proc.stdin.flush()
                elif line.startswith("NETPERF-SENT"):
                    run["after"] = snapshot(run)
                    result["send"] = parse_kv(line)
                    out = sink.communicate(timeout=60)[0]
                    m = re.search(r"sink .*", out)
                    if not m:
                        raise Failure("the sink reported nothing")
                    result["sink"] = parse_kv(m.group(0))
                    phase = "ping-pong (%d round trips)" % a.rtts
                    progress(phase)
                    proc.stdin.write(b"go\n")
                    proc.stdin.flush()
                elif line.startswith("NETPERF-RTT"):
                    result["rtt"] = parse_kv(line)
                    phase = "done"
    finally:
        if proc.poll() is None:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for p in (sink, echo, backend):
            if p and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        console.close()
    return figures(result, run, a)


def figures(r, run, a):
    b, e = run["before"], run["after"]
    n = r["send"]["packets"]
    d = {k: e["kvm"][k] - b["kvm"][k] for k in e["kvm"]}
    userspace = d["io_exits"] + d["mmio_exits"]
    out = {
        "mode": r["mode"], "vmm": r["vmm"], "guest_driver": r.get("driver", ""),
        "packets_sent": n,
        "send_seconds": r["send"]["seconds"],
        "packets_received": r["sink"]["packets"],
        "pps": n / r["send"]["seconds"],
        "bytes_per_second": r["send"]["bytes"] / r["send"]["seconds"],
        "received_pps": r["sink"]["packets"] / max(r["sink"]["seconds"], 1e-9),
        "loss_ratio": 1 - r["sink"]["packets"] / n,
        "rtt_median_us": r["rtt"]["median_us"],
        "rtt_p99_us": r["rtt"]["p99_us"],
        "rtt_max_us": r["rtt"]["max_us"],
        "rtt_lost": r["rtt"]["lost"],
        "exits_per_packet": d["exits"] / n,
        "io_exits_per_packet": d["io_exits"] / n,
        "mmio_exits_per_packet": d["mmio_exits"] / n,
        "userspace_exits_per_packet": userspace / n,
        "irq_injections_per_packet": d["irq_injections"] / n,
        "vmm_cpu_us_per_packet": (e["vmm_cpu_ns"] - b["vmm_cpu_ns"]) / 1000 / n,
        "backend_cpu_us_per_packet": (e["backend_cpu_ns"] - b["backend_cpu_ns"]) / 1000 / n,
        "kvm_deltas": d,
    }
    if r["vmm"] == "triovm":
        # Exact: what triovm handled itself, from its own counters.
        out["vmm_handled_exits_per_packet"] = (e["vmm_exits"] - b["vmm_exits"]) / n
    else:
        # QEMU handles every exit that leaves KVM: KVM's io + mmio exits.
        out["vmm_handled_exits_per_packet"] = userspace / n
    return out


def inner(a):
    work = a.out
    os.makedirs(work, exist_ok=True)
    if not os.path.isdir("/sys/kernel/debug/kvm"):
        sh("mount -t debugfs none /sys/kernel/debug", check=False)
    results, failures = [], []
    total = len(a.modes) * len(a.vmms)
    k = 0
    for mode in a.modes:
        env = None
        try:
            env = setup_mode(mode, a, work)
            for vmm in a.vmms:
                k += 1

                def progress(phase, k=k, mode=mode, vmm=vmm):
                    log("[%d/%d] %-11s %-6s %s" % (k, total, mode, vmm, phase))
                try:
                    results.append(run_one(mode, vmm, env, a, work, progress))
                    log("[%d/%d] %-11s %-6s ok" % (k, total, mode, vmm))
                except Failure as err:
                    log("[%d/%d] %-11s %-6s FAILED: %s" % (k, total, mode, vmm, err))
                    failures.append({"mode": mode, "vmm": vmm, "error": str(err)})
        except Failure as err:
            log("%s: cannot set up: %s" % (mode, err))
            for vmm in a.vmms:
                failures.append({"mode": mode, "vmm": vmm, "error": str(err)})
        finally:
            if env:
                teardown_mode(env)
    with open(os.path.join(work, "inner.json"), "w") as f:
        json.dump({"results": results, "failures": failures}, f, indent=2)
    return 1 if failures else 0


# ---------------------------------------------------------------- outer

COLUMNS = [
    ("pps", "pkt/s", "%.0f"),
    ("bytes_per_second", "MB/s", "%.2f", 1e-6),
    ("rtt_median_us", "RTT med us", "%.0f"),
    ("rtt_p99_us", "p99 us", "%.0f"),
    ("rtt_max_us", "max us", "%.0f"),
    ("exits_per_packet", "exits/pkt", "%.2f"),
    ("io_exits_per_packet", "io/pkt", "%.2f"),
    ("mmio_exits_per_packet", "mmio/pkt", "%.2f"),
    ("vmm_handled_exits_per_packet", "VMM-handled/pkt", "%.3f"),
    ("irq_injections_per_packet", "irqs/pkt", "%.2f"),
    ("vmm_cpu_us_per_packet", "VMM CPU us/pkt", "%.1f"),
    ("backend_cpu_us_per_packet", "backend us/pkt", "%.1f"),
]


def table(results):
    head = ["mode", "VMM"] + [c[1] for c in COLUMNS]
    rows = [head]
    for r in results:
        row = [r["mode"], r["vmm"]]
        for c in COLUMNS:
            row.append(c[2] % (r[c[0]] * (c[3] if len(c) > 3 else 1)))
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for j, row in enumerate(rows):
        lines.append("  ".join(cell.rjust(w) if i > 1 else cell.ljust(w)
                               for i, (cell, w) in enumerate(zip(row, widths))))
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


CHARTS = [
    ("exits_per_packet", "VM exits per packet (KVM)"),
    ("vmm_handled_exits_per_packet", "Exits handled by the VMM in user space, per packet"),
    ("rtt_median_us", "Round trip, median (us)"),
    ("pps", "Packets per second sent by the guest"),
]


def svg_chart(results, modes, out_dir, subtitle):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        raise Failure("gnuplot is not installed (apt-get install gnuplot-nox)")
    by = {(r["mode"], r["vmm"]): r for r in results}
    plots = []
    for i, (key, title) in enumerate(CHARTS):
        dat = os.path.join(out_dir, "chart-%d.dat" % i)
        with open(dat, "w") as f:
            f.write("mode triovm qemu\n")
            for m in modes:
                vals = [by[(m, v)][key] if (m, v) in by else float("nan") for v in VMMS]
                f.write('"%s" %s\n' % (m, " ".join("%.6g" % x for x in vals)))
        plots.append("set title '%s'\nplot '%s' using 2:xtic(1) title 'triovm', "
                     "'' using 3 title 'QEMU'\n" % (title, dat))
    script = os.path.join(out_dir, "chart.gp")
    svg = os.path.join(out_dir, "compare.svg")
    with open(script, "w") as f:
        f.write("set terminal svg size 1400,900 dynamic font 'sans,11'\n")
        f.write("set output '%s'\n" % svg)
        f.write("set datafile missing 'nan'\nset key autotitle columnhead\n")
        f.write("set style data histograms\nset style histogram clustered gap 1\n")
        f.write("set style fill solid 0.85 border -1\nset boxwidth 0.9\nset yrange [0:*]\n")
        f.write("set key top left\nset grid ytics\n")
        f.write("set multiplot layout 2,2 title 'triovm compare: %s'\n" % subtitle.replace("'", ""))
        f.writelines(plots)
        f.write("unset multiplot\n")
    sh([gnuplot, script])
    return svg


def outer(a):
    src = os.path.normpath(os.path.join(HERE, "..", ".."))
    build = os.path.abspath(a.build_dir)
    a.out = os.path.abspath(a.out or os.path.join(
        build, "compare", datetime.datetime.now().strftime("%Y%m%d-%H%M%S")))
    os.makedirs(a.out, exist_ok=True)
    for tool in ("triovm", "vswitch", "netperf"):
        if not os.access(getattr(a, tool), os.X_OK):
            raise Failure("%s is not built (%s): ninja -C %s" % (tool, getattr(a, tool), build))
    kernel_tree = sh([os.path.join(src, "tests/testhost/fetch-kernel"),
                      os.path.join(build, "testhost/kernel")]).strip()
    ver = os.path.basename(kernel_tree)
    a.kernel = os.path.join(kernel_tree, "boot", "vmlinuz-" + ver)
    a.initrd = os.path.join(a.out, "guest-initrd.cpio.gz")
    sh([os.path.join(src, "tests/testhost/mkinitramfs"), "--kernel-tree", kernel_tree,
        "--out", a.initrd, "--init", os.path.join(HERE, "guest-init.sh"),
        "--modules", "e1000 e1000e virtio_pci virtio_net pvpanic_mmio",
        "--add", a.netperf + ":/bin/triovm-netperf"])

    kvm_here = os.access("/dev/kvm", os.R_OK | os.W_OK)
    where = ("the KVM test host on this machine's KVM (nested)" if kvm_here else
             "the KVM test host: QEMU TCG with nested SVM, no hardware virtualization")
    note = ("Measured in %s. Passthrough uses the test host's emulated e1000e, so every mode "
            "runs there. %s Exit and interrupt counts are exact."
            % (where, "" if kvm_here else
               "Absolute figures (rates, latencies, CPU time) are software-emulated, not "
               "hardware figures; compare them only with each other."))
    log("triovm compare: %s" % note)
    inner_cmd = [sys.executable, os.path.abspath(__file__), "--inner", "--out", a.out,
                 "--modes", ",".join(a.modes), "--vmms", ",".join(a.vmms),
                 "--packets", str(a.packets), "--size", str(a.size), "--rtts", str(a.rtts),
                 "--timeout", str(a.timeout), "--triovm", a.triovm, "--vswitch", a.vswitch,
                 "--netperf", a.netperf, "--kernel", a.kernel, "--initrd", a.initrd]
    failure = os.path.join(a.out, ".testhost-failure")
    runner = [os.path.join(src, "tests/testhost/run"), "--build-dir", build, "--devices", "nics",
              "--memory", "3072", "--share", a.out, "--failure-file", failure,
              "--timeout", str(a.timeout * len(a.modes) * len(a.vmms) + 300), "--"]
    # As in_kvm_host (tests/e2e/lib.sh): up to 3 test hosts in all.
    attempts = 3
    for attempt in range(1, attempts + 1):
        # Results are read from inner.json: none may be left from before.
        for stale in (failure, os.path.join(a.out, "inner.json")):
            if os.path.exists(stale):
                os.unlink(stale)
        status = subprocess.call(runner + inner_cmd)
        try:
            with open(failure) as f:
                why = f.read().strip()
        except OSError:
            why = ""
        if attempt == attempts or why not in ("hung", "crashed"):
            break
        # The software-emulated test host died under the runs (its kernel
        # locked up, or it ended without a status; see tests/testhost/run):
        # that says nothing about the VMMs, so once more, from the start.
        log("triovm compare: the test host %s under attempt %d (see above); trying again"
            % (why, attempt))
    try:
        with open(os.path.join(a.out, "inner.json")) as f:
            inner_res = json.load(f)
    except (OSError, ValueError):
        raise Failure("the comparison produced no results (test host status %d)" % status)
    results, failures = inner_res["results"], inner_res["failures"]
    qemu_version = sh("qemu-system-x86_64 --version | head -1", check=False).strip()
    report = {
        "setup": {
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "where": where, "hardware_virtualization": kvm_here,
            "kernel": ver, "guest_memory_mib": GUEST_MEM_MIB, "guest_vcpus": 1,
            "packets": a.packets, "packet_size": a.size, "round_trips": a.rtts,
            "modes": a.modes, "vmms": a.vmms,
            "triovm": sh([a.triovm, "--version"]).strip(), "qemu": qemu_version,
            "backend": "triovm-vswitch (DPDK %s) with a net_tap uplink" %
                       sh("pkg-config --modversion libdpdk", check=False).strip(),
            "sink": "triovm-netperf in the KVM host",
        },
        "note": note,
        "results": results,
        "failures": failures,
    }
    subtitle = "%d x %d-byte UDP packets, %s" % (a.packets, a.size, "software-emulated host"
                                                   if not kvm_here else "nested KVM host")
    if results:
        report["chart"] = os.path.basename(svg_chart(results, a.modes, a.out, subtitle))
    with open(os.path.join(a.out, "compare.json"), "w") as f:
        json.dump(report, f, indent=2)
    print()
    print(table(results))
    print()
    print("Note: " + note)
    for fl in failures:
        print("FAILED %s on %s: %s" % (fl["mode"], fl["vmm"], fl["error"]))
    print("Results: %s (JSON), %s (chart)" % (os.path.join(a.out, "compare.json"),
                                              os.path.join(a.out, report.get("chart", "-"))))
    return 1 if failures or status else 0


def main():
    build_default = os.environ.get("TRIOVM_BUILD_DIR") or os.path.normpath(
        os.path.join(HERE, "..", "..", "build"))
    ap = argparse.ArgumentParser(prog="triovm compare", description=__doc__.split("\n")[0])
    ap.add_argument("--modes", default=",".join(MODES),
                    help="comma-separated, from %s (default: all)" % ", ".join(MODES))
    ap.add_argument("--vmms", default=",".join(VMMS), help=argparse.SUPPRESS)
    ap.add_argument("--packets", type=int, default=20000, help="UDP packets per run (default 20000)")
    ap.add_argument("--size", type=int, default=64, help="UDP payload bytes (default 64)")
    ap.add_argument("--rtts", type=int, default=500, help="ping-pong round trips (default 500)")
    ap.add_argument("--out", help="results folder (default BUILD/compare/DATE)")
    ap.add_argument("--build-dir", default=build_default, help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=int, default=900, help="seconds per run (default 900)")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    for name in ("triovm", "vswitch", "netperf", "kernel", "initrd"):
        ap.add_argument("--" + name, help=argparse.SUPPRESS)
    a = ap.parse_args()
    a.modes = [m for m in a.modes.split(",") if m]
    a.vmms = [v for v in a.vmms.split(",") if v]
    bad = [m for m in a.modes if m not in MODES] + [v for v in a.vmms if v not in VMMS]
    if bad or not a.modes or a.packets < 1 or not 8 <= a.size <= 1472 or a.rtts < 1:
        print("triovm compare: bad arguments (modes from %s, --size 8..1472, counts >= 1)"
              % ", ".join(MODES), file=sys.stderr)
        return 2
    build = os.path.abspath(a.build_dir)
    a.triovm = a.triovm or os.path.join(build, "triovm")
    a.vswitch = a.vswitch or os.path.join(build, "vhost-user/vswitch/triovm-vswitch")
    a.netperf = a.netperf or os.path.join(build, "bench/netperf/triovm-netperf")
    try:
        return inner(a) if a.inner else outer(a)
    except Failure as err:
        print("triovm compare: %s" % err, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
