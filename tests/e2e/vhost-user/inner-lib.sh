# Sourced by the vhost-user tests' inner scripts, which run where KVM is (in
# the test host, or directly on a machine with /dev/kvm). Needs TRIOVM,
# VMLINUZ, WORK, VSWITCH and PREFIX in the environment. Any failure prints
# "INNER-FAIL: what was expected" and exits 1; a guest that failed in early
# boot prints "INNER-RETRY: ..." and exits 75 (see in_kvm_host).
set -u

# Sockets need a local file system: in the test host $WORK is 9p.
RUN=$(mktemp -d /tmp/triovm-vu.XXXXXX)
declare -A VM_PID VM_STARTED VM_BOOTED
BE_PID=
BE_KIND=
BE_N=0

inner_fail() {
	echo "INNER-FAIL: $*"
	exit 1
}

cleanup_inner() {
	local pid
	for pid in "${VM_PID[@]}" $BE_PID; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	sleep 1
	for pid in "${VM_PID[@]}" $BE_PID; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	rm -rf "$RUN" /var/run/dpdk/"$PREFIX"-* 2>/dev/null || true
}
trap cleanup_inner EXIT

# vm_start NAME MAC [NET_KEYS [TRIOVM_ARGS...]]: a guest from
# $WORK/NAME.initrd on RUN/NAME.sock; NET_KEYS (",queues=2") go on --net.
vm_start() {
	local name=$1 mac=$2 keys=${3:-}
	shift 2
	[ $# -eq 0 ] || shift
	"$TRIOVM" run --kernel "$VMLINUZ" --initrd "$WORK/$name.initrd" \
		--memory 192M --cmdline "console=ttyS0 quiet panic=-1" \
		--net "vhost-user,socket=$RUN/$name.sock,mac=$mac$keys" \
		--stats "$RUN/$name.stats.json" "$@" </dev/null \
		>"$WORK/$name.out" 2>&1 &
	VM_PID[$name]=$!
	VM_STARTED[$name]=$SECONDS
	VM_BOOTED[$name]=
}

vm_alive() {
	kill -0 "${VM_PID[$1]}" 2>/dev/null
}

# vm_expect_alive NAME WHAT: a guest that ended while it should run fails the
# test. One that reset (triple fault) before its init printed anything, or
# printed nothing for GUEST_BOOT_LIMIT seconds (it prints within a minute
# when it boots at all), did not get as far as the device under test: under
# the software-emulated nested CPU both have been seen, beside a DPDK poller,
# never with the same guest booted alone, so it asks for another attempt.
GUEST_BOOT_LIMIT=180
vm_expect_alive() {
	local name=$1 what=$2
	[ -z "${VM_BOOTED[$name]:-}" ] || { vm_alive "$name" && return 0; }
	if grep -q 'E2E-' "$WORK/$name.out" 2>/dev/null; then
		VM_BOOTED[$name]=1
		vm_alive "$name" && return 0
	elif ! vm_alive "$name"; then
		if grep -q 'guest reset (triple fault)' "$WORK/$name.out" 2>/dev/null; then
			echo "INNER-RETRY: guest $name reset (triple fault) in early boot, before any output of its own (waiting for $what)"
			exit 75
		fi
	elif [ $((SECONDS - VM_STARTED[$name])) -gt "$GUEST_BOOT_LIMIT" ]; then
		echo "INNER-RETRY: guest $name printed nothing in $GUEST_BOOT_LIMIT s: stuck in early boot (waiting for $what)"
		exit 75
	else
		return 0
	fi
	inner_fail "expected guest $name to keep running (waiting for $what)"
}

# vm_wait NAME SECONDS: waits for it to exit; prints its status and keeps
# its final --stats.
vm_wait() {
	local name=$1 t=$2 status=0 i
	for i in $(seq $((t * 2))); do
		vm_alive "$name" || break
		sleep 0.5
	done
	vm_alive "$name" && kill -KILL "${VM_PID[$name]}"
	wait "${VM_PID[$name]}" || status=$?
	unset "VM_PID[$name]"
	cp "$RUN/$name.stats.json" "$WORK/$name.final.json" 2>/dev/null || true
	echo "E2E-VM-STATUS: $name $status"
}

# vm_stop NAME: SIGTERM (triovm exits 0), then as vm_wait.
vm_stop() {
	kill -TERM "${VM_PID[$1]}" 2>/dev/null || true
	vm_wait "$1" 30
}

# wait_for FILE REGEX SECONDS WHAT [NAME...]: the named guests must stay up.
wait_for() {
	local file=$1 re=$2 t=$3 what=$4 i n
	shift 4
	for i in $(seq $((t * 2))); do
		grep -Eq -- "$re" "$file" 2>/dev/null && return 0
		for n in "$@"; do
			vm_expect_alive "$n" "$what"
		done
		sleep 0.5
	done
	inner_fail "expected $what within $t s (/$re/ in $(basename "$file"))"
}

# count FILE REGEX: how many lines match.
count() {
	grep -Ec -- "$2" "$1" 2>/dev/null || true
}

# snapshot NAME TAG: --stats now (SIGUSR2), kept as $WORK/NAME.TAG.json.
snapshot() {
	local name=$1 tag=$2 f=$RUN/$1.stats.json before now i
	before=$(stat -c %i "$f" 2>/dev/null || echo none)
	kill -USR2 "${VM_PID[$name]}" || inner_fail "expected guest $name to be running for a --stats snapshot"
	for i in $(seq 80); do
		now=$(stat -c %i "$f" 2>/dev/null || echo none)
		[ "$now" != "$before" ] && break
		sleep 0.25
	done
	[ "$now" != "$before" ] || inner_fail "expected triovm ($name) to write --stats on SIGUSR2"
	cp "$f" "$WORK/$name.$tag.json"
}

# backend_start: a switch between RUN/a.sock and RUN/b.sock that connects to
# them as a client and retries. triovm-vswitch where it is built, else
# dpdk-testpmd forwarding port 0 <-> port 1.
backend_start() {
	BE_N=$((BE_N + 1))
	if [ -x "$VSWITCH" ]; then
		BE_KIND=triovm-vswitch
		"$VSWITCH" --lcores 0@0,1@1 --no-huge -m 256 --no-pci \
			--file-prefix "$PREFIX-be$BE_N" --log-level=lib.eal:warning -- \
			--port "vhost-user,path=$RUN/a.sock,name=a" \
			--port "vhost-user,path=$RUN/b.sock,name=b" \
			--idle-sleep 100 --stats-interval 5 \
			--stats-file "$WORK/backend$BE_N.json" \
			>"$WORK/backend$BE_N.out" 2>&1 &
	else
		BE_KIND=dpdk-testpmd
		dpdk-testpmd --lcores 0@0,1@1 --no-huge -m 512 --no-pci \
			--file-prefix "$PREFIX-be$BE_N" \
			--vdev "net_vhost0,iface=$RUN/a.sock,client=1" \
			--vdev "net_vhost1,iface=$RUN/b.sock,client=1" -- \
			--forward-mode=io --total-num-mbufs=16384 --stats-period 5 \
			>"$WORK/backend$BE_N.out" 2>&1 &
	fi
	BE_PID=$!
	echo "E2E-BACKEND: $BE_KIND ($BE_N)"
}

backend_kill() {
	kill -KILL "$BE_PID"
	wait "$BE_PID" 2>/dev/null || true
	BE_PID=
}

backend_stop() {
	local i
	kill -TERM "$BE_PID" 2>/dev/null || true
	for i in $(seq 40); do
		kill -0 "$BE_PID" 2>/dev/null || break
		sleep 0.5
	done
	kill -KILL "$BE_PID" 2>/dev/null || true
	wait "$BE_PID" 2>/dev/null || true
	BE_PID=
}

# wait_count FILE REGEX N SECONDS WHAT [NAME...]: N matching lines.
wait_count() {
	local file=$1 re=$2 want=$3 t=$4 what=$5 i n
	shift 5
	for i in $(seq $((t * 2))); do
		[ "$(count "$file" "$re")" -ge "$want" ] && return 0
		for n in "$@"; do
			vm_expect_alive "$n" "$what"
		done
		sleep 0.5
	done
	inner_fail "expected $what within $t s ($(count "$file" "$re") of $want lines /$re/)"
}
