# Shared by the end-to-end tests: sourced, not run.
#
# A test runs on the machine that runs meson. It prepares its guest (a busybox
# initramfs) here, then runs triovm where KVM is: directly when this machine
# has a usable /dev/kvm, else inside the KVM test host (tests/testhost/run).
# Assertions happen here, on the captured output. Any failure exits non-zero
# with a line saying what was expected; nothing is ever skipped.
set -eu

SRC=${TRIOVM_SRC_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${TRIOVM_BUILD_DIR:-$SRC/build}
BUILD=$(cd "$BUILD" && pwd)
TRIOVM=$BUILD/triovm
TEST_NAME=$(basename "$0" .sh)

fail() {
	echo "FAIL ($TEST_NAME): $*" >&2
	exit 1
}

note() {
	echo "[$TEST_NAME] $*"
}

[ -x "$TRIOVM" ] || fail "$TRIOVM is not built"

KTREE=$("$SRC/tests/testhost/fetch-kernel" "$BUILD/testhost/kernel" 2>/dev/null) ||
	fail "cannot fetch Debian's kernel (tests/testhost/fetch-kernel)"
KVER=$(basename "$KTREE")
VMLINUZ=$KTREE/boot/vmlinuz-$KVER
export TRIOVM_KERNEL_TREE=$KTREE

# A work folder the test host can write to (it mounts its own tmpfs on /tmp).
mkdir -p "$BUILD/e2e-work"
WORK=$(mktemp -d "$BUILD/e2e-work/$TEST_NAME.XXXXXX")
if [ -z "${TRIOVM_KEEP_WORK:-}" ]; then
	trap 'rm -rf "$WORK"' EXIT
fi
# Killed (meson's timeout): show how far the test host got first.
trap 'echo "FAIL ($TEST_NAME): killed; the test host had printed:" >&2
	tail -n 60 "$WORK"/.testhost-attempt*.log >&2 2>/dev/null
	exit 143' TERM

# guest_initrd OUT INIT_SCRIPT "MODULES"
guest_initrd() {
	"$SRC/tests/testhost/mkinitramfs" --kernel-tree "$KTREE" --out "$1" \
		--init "$2" --modules "$3" || fail "cannot build the guest initramfs"
}

# Is there a KVM here that triovm can use without the test host?
have_kvm() {
	[ -z "${TRIOVM_FORCE_TESTHOST:-}" ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]
}

# The test's own stderr, for notes that must reach meson's log even while a
# caller redirects in_kvm_host's output to a file.
exec 7>&2

# in_kvm_host [--devices LIST] [--memory MB] [--timeout S] -- COMMAND...
# Runs COMMAND where KVM is; $WORK is writable there. Emulated PCI devices
# (--devices) exist only in the test host, so asking for them always uses it.
#
# A software-emulated test host sometimes dies under the command (its kernel
# locks up or freezes, or it ends without the command's status:
# tests/testhost/run says which), and rarely an L2 guest triple-faults or
# hangs in early boot, before any output of its own, which the command
# reports with status 75 (EX_TEMPFAIL). Neither is the result of the test, so the command
# runs again on a fresh test host, up to TESTHOST_ATTEMPTS times in all (CI
# has seen two in a row), with the files the failed attempt left in $WORK
# removed; what is printed is the last attempt's output, after a note naming
# the failed ones. Any other failure, a timeout included, is the result,
# and so is everything on a machine's own KVM (no retry there).
TESTHOST_ATTEMPTS=3
in_kvm_host() {
	local devices=none args=() attempt=0 rc why failed= log
	while [ $# -gt 0 ]; do
		case $1 in
		--devices) devices=$2; args+=(--devices "$2"); shift 2 ;;
		--) shift; break ;;
		*) args+=("$1" "$2"); shift 2 ;;
		esac
	done
	if [ "$devices" = none ] && have_kvm; then
		"$@"
		return
	fi
	[ "$devices" != none ] || args+=(--devices none)
	while :; do
		attempt=$((attempt + 1))
		log=$WORK/.testhost-attempt$attempt.log
		touch "$WORK/.testhost-attempt$attempt.start"
		rm -f "$WORK/.testhost-failure"
		rc=0
		"$SRC/tests/testhost/run" --build-dir "$BUILD" --share "$WORK" \
			--failure-file "$WORK/.testhost-failure" "${args[@]}" -- "$@" \
			>"$log" 2>&1 || rc=$?
		why=$(cat "$WORK/.testhost-failure" 2>/dev/null || true)
		if [ -z "$why" ] && [ "$rc" = 75 ]; then
			why=guest-crashed
		fi
		case $why in
		hung | crashed | guest-crashed) ;;
		*) break ;;
		esac
		[ "$attempt" -lt "$TESTHOST_ATTEMPTS" ] || break
		failed+="attempt $attempt failed ($why); "
		{
			if [ "$why" = guest-crashed ]; then
				echo "[$TEST_NAME] a guest failed in early boot under attempt $attempt (status 75; seen only under the software-emulated nested CPU); its last lines:"
			else
				echo "[$TEST_NAME] the test host $why under attempt $attempt (the software-emulated host failed, not the command); its last lines:"
			fi
			tail -n 25 "$log" | sed 's/^/  | /'
			echo "[$TEST_NAME] attempt $((attempt + 1)) on a fresh test host"
		} >&7
		find "$WORK" -mindepth 1 ! -type d -newer "$WORK/.testhost-attempt$attempt.start" \
			! -name '.testhost-attempt*' -delete
	done
	[ -z "$failed" ] || echo "testhost: ${failed}this is attempt $attempt"
	cat "$log"
	return $rc
}

# expect_line FILE REGEX WHAT
expect_line() {
	grep -Eq -- "$2" "$1" || {
		echo "---- output ($1) ----" >&2
		tail -n 60 "$1" >&2
		fail "expected $3 (/$2/)"
	}
}
