#!/bin/bash
# Bad input on triovm's command line: one clear line on stderr, exit status 2,
# and no guest. Runs on this machine; no KVM needed (the "no /dev/kvm" case
# hides /dev/kvm in a private mount namespace, so it is tested everywhere).
. "$(dirname "$0")/lib.sh"

# check DESCRIPTION EXPECTED-MESSAGE-REGEX ARGS...
check() {
	local what=$1 want=$2 err status
	shift 2
	set +e
	err=$("$TRIOVM" "$@" </dev/null 2>&1 >/dev/null)
	status=$?
	set -e
	[ "$status" = 2 ] || fail "$what: exit status $status, expected 2 ($err)"
	[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "$what: expected one line, got: $err"
	printf '%s\n' "$err" | grep -Eq -- "$want" || fail "$what: message '$err' does not match /$want/"
	note "ok: $what -> $err"
}

printf 'not a kernel\n' >"$WORK/text"
head -c 5000 "$VMLINUZ" >"$WORK/truncated"
head -c 200000000 /dev/zero >"$WORK/big-initrd"

check "no command" 'usage|unknown' bogus
check "missing kernel file" "cannot open kernel '/nonexistent'" run --kernel /nonexistent
check "kernel not a bzImage" 'is not a bzImage' run --kernel "$WORK/text"
check "truncated bzImage" 'truncated' run --kernel "$WORK/truncated"
check "kernel is a directory" 'not a regular file' run --kernel "$WORK"
check "no --kernel" '--kernel is required' run --cpus 2
check "--cpus 0" '--cpus' run --kernel "$VMLINUZ" --cpus 0
check "--cpus 300" '--cpus' run --kernel "$VMLINUZ" --cpus 300
check "--cpus junk" '--cpus' run --kernel "$VMLINUZ" --cpus two
check "malformed size" "'12Q' is not a size" run --kernel "$VMLINUZ" --memory 12Q
check "size too small" 'at least 64M' run --kernel "$VMLINUZ" --memory 16M
check "hugepages not on/off" 'hugepages must be on or off' run --kernel "$VMLINUZ" --memory 512M,hugepages=yes
check "kernel does not fit" 'use a larger --memory' run --kernel "$VMLINUZ" --memory 64M
check "initrd does not fit" 'kernel and initrd need' run --kernel "$VMLINUZ" --initrd "$WORK/big-initrd" --memory 128M
check "missing initrd" "cannot open initrd" run --kernel "$VMLINUZ" --initrd /nonexistent
check "unknown option" "unknown option '--frobnicate'" run --kernel "$VMLINUZ" --frobnicate
check "option without value" "needs a value" run --kernel
check "unknown --net model" "unknown model 'token-ring'" run --kernel "$VMLINUZ" --net token-ring
check "bad --console" "is not serial or none" run --kernel "$VMLINUZ" --console vga
# Hide /dev/kvm (if this machine has one) behind an empty /dev.
real_triovm=$TRIOVM
cat >"$WORK/no-kvm" <<NOKVM
#!/bin/sh
exec unshare -m sh -c 'mount -t tmpfs none /dev && exec "\$0" "\$@"' "$real_triovm" "\$@"
NOKVM
chmod +x "$WORK/no-kvm"
TRIOVM=$WORK/no-kvm
check "no /dev/kvm" '/dev/kvm does not exist.*test host' \
	run --kernel "$VMLINUZ" --memory 256M
note "passed"
