# Shared by the triovm-vswitch tests and bench/vhost: sourced, not run.
#
# They need no KVM: DPDK's own vhost-user frontend (dpdk-testpmd with
# net_virtio_user ports) talks to triovm-vswitch on this machine. Every DPDK
# process gets --no-huge, its own EAL file prefix and fixed CPUs (the vswitch's
# data lcore on one, everything else on another), so two cores are enough.
# Anything that cannot run fails with a line saying what was expected.
set -eu

SRC=${TRIOVM_SRC_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
BUILD=${TRIOVM_BUILD_DIR:-$SRC/build}
BUILD=$(cd "$BUILD" && pwd)
VSWITCH=$BUILD/vhost-user/vswitch/triovm-vswitch
TEST_NAME=${TEST_NAME:-vswitch-$(basename "$0" .sh)}

fail() {
	echo "FAIL ($TEST_NAME): $*" >&2
	exit 1
}

note() {
	echo "[$TEST_NAME] $*"
}

[ -x "$VSWITCH" ] ||
	fail "expected $VSWITCH to be built (meson needs libdpdk: scripts/install-deps, then -Dvswitch=enabled)"
command -v dpdk-testpmd >/dev/null ||
	fail "expected dpdk-testpmd (Debian package dpdk, scripts/install-deps)"
command -v python3 >/dev/null || fail "expected python3"
[ "$(id -u)" = 0 ] || fail "expected to run as root (DPDK's EAL needs it)"

mkdir -p "$BUILD/e2e-work"
WORK=$(mktemp -d "$BUILD/e2e-work/$TEST_NAME.XXXXXX")
# Unix socket paths are at most 107 bytes.
[ ${#WORK} -lt 90 ] || fail "expected a work folder path under 90 bytes, not $WORK"
# EAL runtime files live in /var/run/dpdk/PREFIX: unique per run.
PREFIX=triovm-$TEST_NAME-$$
# The CPUs this may use: the forwarder's data lcore gets the last, the rest
# of every process the first (the same one where there is only one).
read -r CPU_A CPU_B < <(python3 -c 'import os; c = sorted(os.sched_getaffinity(0)); print(c[0], c[-1])')

declare -A TP_PID TP_FD
VSW_PID=
VSW_STATS=$WORK/vswitch.json

cleanup() {
	local status=$? pid name
	for pid in $VSW_PID "${TP_PID[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in $VSW_PID "${TP_PID[@]}"; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	if [ $status != 0 ]; then
		for name in "$WORK"/*.out; do
			[ -f "$name" ] || continue
			echo "---- last lines of $name ----" >&2
			tail -n 25 "$name" >&2
		done
	fi
	rm -rf /var/run/dpdk/"$PREFIX"-*
	[ -n "${TRIOVM_KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# vsw_start APP_ARGS... : triovm-vswitch, its data lcore on CPU_B; returns
# once it switches.
vsw_start() {
	"$VSWITCH" --lcores "0@$CPU_A,1@$CPU_B" --no-huge -m 256 --no-pci \
		--file-prefix "$PREFIX-vswitch" --log-level=lib.eal:warning \
		-- --stats-file "$VSW_STATS" "$@" >"$WORK/vswitch.out" 2>&1 &
	VSW_PID=$!
	# Signals before it is up would kill it: wait for its first line.
	for _ in $(seq 120); do
		grep -q "^triovm-vswitch: switching" "$WORK/vswitch.out" && return 0
		vsw_alive || fail "expected triovm-vswitch to start"
		sleep 0.25
	done
	fail "expected triovm-vswitch to start within 30 s"
}

vsw_alive() {
	kill -0 "$VSW_PID" 2>/dev/null
}

# vsw_stop: SIGTERM, and it must exit 0 within 20 s.
vsw_stop() {
	local status=0
	kill -TERM "$VSW_PID" || fail "expected triovm-vswitch to be running"
	for _ in $(seq 40); do
		vsw_alive || break
		sleep 0.5
	done
	vsw_alive && fail "expected triovm-vswitch to exit within 20 s of SIGTERM"
	wait "$VSW_PID" || status=$?
	VSW_PID=
	[ $status = 0 ] || fail "expected triovm-vswitch to exit 0 on SIGTERM, not $status"
}

# vsw_check PYTHON_EXPR: true when the expression holds on the latest stats;
# `s` is the document and port(NAME) one port's counters.
vsw_check() {
	python3 - "$VSW_STATS" "$1" <<'PY' 2>/dev/null
import json, sys
s = json.load(open(sys.argv[1]))
def port(name):
    return [p for p in s["ports"] if p["name"] == name][0]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

# vsw_get PYTHON_EXPR: prints its value on the latest stats.
vsw_get() {
	python3 - "$VSW_STATS" "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
def port(name):
    return [p for p in s["ports"] if p["name"] == name][0]
print(eval(sys.argv[2]))
PY
}

# vsw_wait SECONDS WHAT PYTHON_EXPR: asks for fresh counters (SIGUSR1) until
# the expression holds on them.
vsw_wait() {
	local t=$1 what=$2 expr=$3 i
	for i in $(seq $((t * 4))); do
		vsw_alive || fail "expected triovm-vswitch to keep running (waiting for $what)"
		kill -USR1 "$VSW_PID"
		sleep 0.25
		vsw_check "$expr" && return 0
	done
	echo "---- last stats ----" >&2
	cat "$VSW_STATS" >&2 || true
	fail "expected $what within $t s ($expr)"
}

# tp_start NAME LCORES EAL_ARGS... -- TESTPMD_ARGS...: an interactive
# dpdk-testpmd driven through a FIFO, its lcores placed as LCORES says.
tp_start() {
	local name=$1 lcores=$2 eal=() fd
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		eal+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	rm -f "$WORK/$name.in"
	mkfifo "$WORK/$name.in"
	# Line-buffered, so that its answers can be read while it runs.
	stdbuf -oL dpdk-testpmd --lcores "$lcores" --no-huge -m 512 --no-pci \
		--file-prefix "$PREFIX-$name" --log-level=lib.eal:warning \
		"${eal[@]}" -- -i --total-num-mbufs=16384 "$@" \
		<"$WORK/$name.in" >"$WORK/$name.out" 2>&1 &
	TP_PID[$name]=$!
	exec {fd}>"$WORK/$name.in"
	TP_FD[$name]=$fd
}

# tp_frontend NAME SOCKET MAC [VIRTIO_USER_ARGS]: DPDK's vhost-user frontend
# (net_virtio_user), receiving, both lcores on CPU_A. queue_size=1024 lets a
# receiver that does not get the CPU for a while hold more frames.
tp_frontend() {
	tp_start "$1" "0@$CPU_A,1@$CPU_A" --single-file-segments \
		--vdev "net_virtio_user0,path=$2,mac=$3,queue_size=1024${4:+,$4}" \
		-- --forward-mode=rxonly
}

# tp_ready NAME SECONDS: waits for its prompt.
tp_ready() {
	local name=$1 t=$2
	for _ in $(seq $((t * 4))); do
		kill -0 "${TP_PID[$name]}" 2>/dev/null ||
			fail "expected testpmd $name to keep running"
		grep -q "testpmd> " "$WORK/$name.out" && return 0
		sleep 0.25
	done
	fail "expected testpmd $name to start within $t s"
}

tp_cmd() {
	local name=$1
	shift
	echo "$*" >&"${TP_FD[$name]}"
}

# tp_kill NAME: SIGKILL, the way a crashing guest goes.
tp_kill() {
	local name=$1
	local fd=${TP_FD[$name]}
	kill -KILL "${TP_PID[$name]}"
	wait "${TP_PID[$name]}" 2>/dev/null || true
	exec {fd}>&-
	unset "TP_PID[$name]" "TP_FD[$name]"
}

# tp_quit NAME: asks it to quit, and it must within 20 s.
tp_quit() {
	local name=$1 pid=${TP_PID[$1]} fd=${TP_FD[$1]}
	tp_cmd "$name" quit
	for _ in $(seq 40); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	kill -0 "$pid" 2>/dev/null && fail "expected testpmd $name to quit"
	wait "$pid" 2>/dev/null || true
	exec {fd}>&-
	unset "TP_PID[$name]" "TP_FD[$name]"
}

# tp_stats NAME: sets TP_RX and TP_TX, its port's packet counters, and
# TP_RX_PPS and TP_TX_PPS, testpmd's own rates since the previous call.
tp_stats() {
	local name=$1 out=$WORK/$1.out before
	before=$(grep -c "NIC statistics for port 0" "$out" || true)
	tp_cmd "$name" "show port stats all"
	for _ in $(seq 40); do
		# The whole block: its header down to Tx-pps, its last figure.
		if [ "$(grep -c "NIC statistics for port 0" "$out")" -gt "$before" ] &&
			awk '/NIC statistics for port 0/ { n = 0 } /Tx-pps:/ { n = 1 } END { exit !n }' "$out"; then
			read -r TP_RX TP_TX TP_RX_PPS TP_TX_PPS < <(awk '
				/NIC statistics for port 0/ { rx = tx = rp = tp = "" }
				/RX-packets:/ && rx == "" { rx = $2 }
				/TX-packets:/ && tx == "" { tx = $2 }
				/Rx-pps:/ && rp == "" { rp = $2 }
				/Tx-pps:/ && tp == "" { tp = $2 }
				END { print rx, tx, rp, tp }' "$out")
			return 0
		fi
		sleep 0.25
	done
	fail "expected testpmd $name to print its port statistics"
}

# tp_wait_rx NAME COUNT SECONDS: until its port has received COUNT packets.
tp_wait_rx() {
	local name=$1 want=$2 t=$3
	for _ in $(seq "$t"); do
		tp_stats "$name"
		[ "$TP_RX" -ge "$want" ] && break
		sleep 1
	done
	[ "$TP_RX" = "$want" ] ||
		fail "expected testpmd $name to receive $want packets, it has $TP_RX"
}
