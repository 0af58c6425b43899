#!/usr/bin/env python3
"""Time boot-to-init of triovm and QEMU/KVM on this host (run where /dev/kvm is).

Each run starts the VMM, and stops the clock when the guest's init prints its
marker on the serial console; the VMM is then killed. Runs alternate between
the two VMMs so that drift in the host's load affects both alike.
"""
import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time

MARKER = b"BENCH-INIT-REACHED"
CMDLINE = "console=ttyS0 quiet"


def measure(cmd, timeout):
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    buf = b""
    try:
        while True:
            if time.monotonic() - start > timeout:
                raise RuntimeError("no marker after %ds: %s" % (timeout, cmd[0]))
            chunk = os.read(p.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError("%s exited before init (status %s)" % (cmd[0], p.wait()))
            buf += chunk
            if MARKER in buf:
                return time.monotonic() - start
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--triovm", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--memory", type=int, default=256)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", required=True)
    ap.add_argument("--host", default="")
    a = ap.parse_args()

    vmms = {
        "triovm": [a.triovm, "run", "--kernel", a.kernel, "--initrd", a.initrd,
                   "--memory", "%dM" % a.memory, "--cpus", "1",
                   "--cmdline", CMDLINE],
        "qemu": ["qemu-system-x86_64", "-accel", "kvm", "-cpu", "host",
                 "-m", str(a.memory), "-smp", "1", "-nodefaults", "-nic", "none",
                 "-no-reboot", "-display", "none", "-serial", "stdio",
                 "-kernel", a.kernel, "-initrd", a.initrd, "-append", CMDLINE],
    }
    times = {k: [] for k in vmms}
    for i in range(a.runs):
        for name, cmd in vmms.items():
            t = measure(cmd, 600)
            times[name].append(t)
            print("run %d/%d %-7s %.3f s" % (i + 1, a.runs, name, t), flush=True)

    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["triovm"] / med["qemu"]
    result = {
        "benchmark": "boot-to-init",
        "host": a.host,
        "kernel": os.path.basename(a.kernel),
        "memory_mib": a.memory,
        "vcpus": 1,
        "runs": a.runs,
        "seconds": times,
        "median_seconds": med,
        "ratio_triovm_over_qemu": ratio,
        "qemu_command": " ".join(vmms["qemu"]),
        "machine": platform.machine(),
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
    print()
    print("boot-to-init on %s, %d runs each, %d MiB, 1 vCPU" % (a.host, a.runs, a.memory))
    print("  %-8s median %7.3f s" % ("triovm", med["triovm"]))
    print("  %-8s median %7.3f s" % ("qemu", med["qemu"]))
    print("  ratio triovm/qemu: %.2f" % ratio)


if __name__ == "__main__":
    sys.exit(main())
