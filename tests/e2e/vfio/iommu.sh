#!/bin/bash
# The IOMMU confines a passed-through device's DMA to the guest's memory.
# QEMU's edu device (a DMA engine) is given to a guest with 192 MiB of RAM
# whose kernel leaves the top 32 MiB alone (memmap=32M$160M: reserved, so
# /dev/mem may reach it), so the guest can aim edu at RAM nobody else uses: a copy RAM -> edu -> RAM between two addresses inside
# its memory arrives intact (the IOMMU maps guest-physical = DMA address),
# while a DMA to an address past the guest's memory never lands: the test
# host's VT-d reports a DMA fault at that address, the device keeps working,
# and triovm and the test host carry on.
. "$(dirname "$0")/../lib.sh"

# edu: BAR0 registers, and where its 4 KiB buffer is in its own DMA space.
SRC_A=0x0a800000 # 168 MiB: guest RAM the guest kernel does not use
DST_B=0x0a900000
OUTSIDE=0x0c800000 # 200 MiB: past the guest's 192 MiB

cat >"$WORK/guest-init" <<GUEST
#!/bin/sh
for d in /sys/bus/pci/devices/*; do
	[ "\$(cat \$d/vendor):\$(cat \$d/device)" = 0x1234:0x11e8 ] && edu=\$d
done
[ -n "\$edu" ] || { echo "E2E-NO-EDU"; exit 1; }
bar=\$(head -n 1 \$edu/resource | cut -d' ' -f1)
echo "E2E-EDU: \$(basename \$edu) BAR0 \$bar"
# No guest driver for edu: turn on memory decoding and bus mastering.
printf '\006\000' | dd of=\$edu/config bs=1 seek=4 conv=notrunc 2>/dev/null
reg() { printf '0x%x' \$((bar + \$1)); }
dma() { # SRC DST COUNT CMD: one transfer, waiting for it to finish
	devmem \$(reg 0x80) 64 \$1
	devmem \$(reg 0x88) 64 \$2
	devmem \$(reg 0x90) 64 \$3
	devmem \$(reg 0x98) 64 \$4
	i=0
	while [ \$((\$(devmem \$(reg 0x98) 64) & 1)) = 1 ] && [ \$i -lt 100 ]; do
		sleep 0.1; i=\$((i + 1))
	done
	echo "E2E-DMA-DONE: \$((\$(devmem \$(reg 0x98) 64) & 1))"
}
# edu's identification register and its liveness check (inverts a value).
echo "E2E-ID: \$(devmem \$(reg 0) 32)"
devmem \$(reg 4) 32 0x12345678
echo "E2E-LIVE: \$(devmem \$(reg 4) 32)"
i=0
for v in 0x11111111 0x22222222 0xdeadbeef 0xcafef00d; do
	devmem \$(($SRC_A + 4 * i)) 32 \$v
	devmem \$(($DST_B + 4 * i)) 32 0
	i=\$((i + 1))
done
dma $SRC_A 0x40000 16 1
dma 0x40000 $DST_B 16 3
echo "E2E-COPY: \$(for i in 0 1 2 3; do devmem \$(($DST_B + 4 * i)) 32; done | tr '\n' ' ')"
echo "E2E-OUTSIDE-START"
dma 0x40000 $OUTSIDE 16 3
dma $OUTSIDE 0x40000 16 1
echo "E2E-OUTSIDE-END"
# The device still works after the faults.
devmem \$(($SRC_A)) 32 0x5a5a5a5a
dma $SRC_A 0x40000 4 1
dma 0x40000 \$(($DST_B + 0x100)) 4 3
echo "E2E-AFTER: \$(devmem \$(($DST_B + 0x100)) 32)"
GUEST
guest_initrd "$WORK/initrd" "$WORK/guest-init" "pvpanic_mmio"

cat >"$WORK/inner.sh" <<INNER
#!/bin/sh
W="$WORK"
T="$TRIOVM"
EDU=\$(for d in /sys/bus/pci/devices/*; do
	[ "\$(cat \$d/vendor):\$(cat \$d/device)" = 0x1234:0x11e8 ] && basename \$d; done)
echo "E2E-HOST-EDU: \$EDU"
\$T vfio bind \$EDU || exit 1
dmesg -C
\$T run --kernel "$VMLINUZ" --initrd "$WORK/initrd" --memory 192M \
	--cmdline "console=ttyS0 quiet panic=-1 memmap=32M\\\$160M" \
	--device vfio,host=\$EDU </dev/null >\$W/guest.out 2>&1
echo "E2E-STATUS: \$?"
dmesg | grep -i dmar | sed 's/^/E2E-DMESG: /'
\$T vfio unbind \$EDU
sed 's/^/[guest] /' \$W/guest.out
INNER
in_kvm_host --devices edu --timeout 360 -- sh "$WORK/inner.sh" >"$WORK/out" 2>&1 || true

grep -q '^E2E-HOST-EDU: ..' "$WORK/out" || { tail -40 "$WORK/out"; fail "the test host did not run the test"; }
expect_line "$WORK/out" '^E2E-STATUS: 0$' "triovm to exit 0 after the guest powered off"
expect_line "$WORK/out" '^\[guest\] E2E-ID: 0x010000ED' "edu's identification register through the passed-through BAR"
expect_line "$WORK/out" '^\[guest\] E2E-LIVE: 0xEDCBA987' "edu's liveness register inverting a value"
expect_line "$WORK/out" '^\[guest\] E2E-COPY: 0x11111111 0x22222222 0xDEADBEEF 0xCAFEF00D $' \
	"a DMA copy through edu between two guest addresses to arrive intact"
grep -q '^\[guest\] E2E-DMA-DONE: 1' "$WORK/out" && fail "expected every edu transfer to finish"
# The fault names edu and the address past the guest's memory.
expect_line "$WORK/out" "^E2E-DMESG: .*DMAR: \\[DMA Write.*fault addr 0x0*$(printf %x $((OUTSIDE)))" \
	"the IOMMU to fault edu's write past the guest's memory"
expect_line "$WORK/out" "^E2E-DMESG: .*DMAR: \\[DMA Read.*fault addr 0x0*$(printf %x $((OUTSIDE)))" \
	"the IOMMU to fault edu's read past the guest's memory"
expect_line "$WORK/out" '^\[guest\] E2E-AFTER: 0x5A5A5A5A' "edu to keep working after the faults"
grep -E '^E2E-DMESG: .*fault addr' "$WORK/out" | grep -v "fault addr 0x0*$(printf %x $((OUTSIDE)))" &&
	fail "expected no DMA fault other than those past the guest's memory"
note "$(grep -m1 -E '^E2E-DMESG: .*DMA Write' "$WORK/out" | sed 's/^E2E-DMESG: //')"
note "passed"
