# Shared by the vhost-user e2e tests, after ../lib.sh: sourced, not run.
#
# The tests run an inner script where KVM is (usually the test host); it
# sources inner-lib.sh for starting guests and backends. Guest init scripts
# start with $GUEST_LIB, which brings eth0 up and waits for the link.

command -v dpdk-testpmd >/dev/null ||
	fail "expected dpdk-testpmd (Debian package dpdk, scripts/install-deps)"
command -v python3 >/dev/null || fail "expected python3"

VU_DIR=$SRC/tests/e2e/vhost-user
VSWITCH=$BUILD/vhost-user/vswitch/triovm-vswitch
GUEST_MODULES="virtio_pci virtio_net pvpanic_mmio"

# What every guest does first: find its virtio-net, wait for the link.
GUEST_LIB=$(cat <<'GUESTLIB'
#!/bin/sh
export PATH=/bin:/sbin
stat_of() { cat /sys/class/net/eth0/statistics/$1; }
net_up() {
	if [ ! -e /sys/class/net/eth0 ]; then
		echo "E2E-NO-ETH0"
		for d in /sys/bus/pci/devices/*; do
			echo "E2E-PCI: $(cat $d/vendor):$(cat $d/device) driver $(basename "$(readlink $d/driver)")"
		done
		return 1
	fi
	echo "E2E-DRIVER: $(basename "$(readlink /sys/class/net/eth0/device/driver)") on $(basename "$(readlink /sys/class/net/eth0/device)")"
	ip link set eth0 up
	i=0
	while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != 1 ]; do
		i=$((i + 1))
		if [ $i -ge 480 ]; then
			echo "E2E-NO-CARRIER"
			return 1
		fi
		sleep 0.5
	done
	ip addr add "$1/24" dev eth0
	echo "E2E-LINK-UP: $1 $(cat /sys/class/net/eth0/address)"
}
GUESTLIB
)

# vu_initrd NAME: builds $WORK/NAME.initrd from $WORK/NAME.init.
vu_initrd() {
	guest_initrd "$WORK/$1.initrd" "$WORK/$1.init" "$GUEST_MODULES"
}

# vu_run INNER_SCRIPT: run it where KVM is, output in $WORK/inner.out.
vu_run() {
	local status=0 why
	in_kvm_host --timeout "${VU_TIMEOUT:-600}" -- \
		env TRIOVM="$TRIOVM" VMLINUZ="$VMLINUZ" WORK="$WORK" \
		VSWITCH="$VSWITCH" VU_DIR="$VU_DIR" PREFIX="triovm-$TEST_NAME-$$" \
		bash "$1" >"$WORK/inner.out" 2>&1 || status=$?
	# The guests' consoles end their lines with CR LF.
	sed -i 's/\r$//' "$WORK"/*.out
	if [ $status != 0 ]; then
		# Most telling last: a log's tail shows only its end.
		for f in "$WORK"/*.out; do
			[ "$f" = "$WORK/inner.out" ] && continue
			echo "---- last lines of $f ----" >&2
			tail -n 30 "$f" >&2
		done
		echo "---- inner script output ----" >&2
		tail -n 80 "$WORK/inner.out" >&2
		why=$(grep -E '^(INNER-FAIL|INNER-RETRY|testhost): ' "$WORK/inner.out" |
			grep -Ev "^testhost: (last lines|the test host's kernel reported)" | tail -n 1)
		fail "expected the inner script to succeed (status $status${why:+: $why})"
	fi
}

# show_on_failure FILE...: print these if the test fails from here on.
vu_dump() {
	local f
	for f in "$@"; do
		echo "---- last lines of $f ----" >&2
		tail -n 40 "$f" >&2
	done
}
