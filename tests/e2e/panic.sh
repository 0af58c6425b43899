#!/bin/bash
# A guest that panics ends triovm with status 3 (reported through pvpanic);
# SIGTERM stops a running guest cleanly with status 0.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/panic-init" <<'GUEST'
#!/bin/sh
echo "E2E-MARKER: about to panic"
echo c >/proc/sysrq-trigger
GUEST
guest_initrd "$WORK/panic-initrd" "$WORK/panic-init" "pvpanic_mmio"

cat >"$WORK/idle-init" <<'GUEST'
#!/bin/sh
echo "E2E-MARKER: idling"
while :; do sleep 1; done
GUEST
guest_initrd "$WORK/idle-initrd" "$WORK/idle-init" "pvpanic_mmio"

cat >"$WORK/inner.sh" <<INNER
#!/bin/sh
# panic=0: the guest would hang forever, so only pvpanic can end the VM.
timeout 240 "$TRIOVM" run --kernel "$VMLINUZ" --initrd "$WORK/panic-initrd" \
	--memory 256M --cmdline "console=ttyS0 quiet panic=0" </dev/null
echo "E2E-PANIC-STATUS: \$?"

"$TRIOVM" run --kernel "$VMLINUZ" --initrd "$WORK/idle-initrd" --memory 256M \
	--cmdline "console=ttyS0 quiet" </dev/null >"$WORK/idle.out" 2>&1 &
pid=\$!
i=0
while ! grep -q "E2E-MARKER: idling" "$WORK/idle.out" && [ \$i -lt 150 ]; do
	sleep 1; i=\$((i + 1))
done
kill -TERM \$pid
wait \$pid
echo "E2E-TERM-STATUS: \$?"
cat "$WORK/idle.out"
INNER
in_kvm_host --timeout 420 -- sh "$WORK/inner.sh" >"$WORK/out" 2>&1 || true

expect_line "$WORK/out" '^E2E-MARKER: about to panic' "the panicking guest's marker"
expect_line "$WORK/out" 'Kernel panic' "the guest kernel's panic message"
expect_line "$WORK/out" 'triovm: error: the guest panicked \(pvpanic\)' "triovm to report the panic"
expect_line "$WORK/out" '^E2E-PANIC-STATUS: 3$' "exit status 3 after a panic"
expect_line "$WORK/out" '^E2E-MARKER: idling' "the idle guest's marker"
expect_line "$WORK/out" 'signal 15 \(Terminated\): stopping the VM' "triovm to stop on SIGTERM"
expect_line "$WORK/out" '^E2E-TERM-STATUS: 0$' "exit status 0 after SIGTERM"
note "passed"
