#!/bin/sh
# The compare guest's /test-init. Its parameters come on the kernel command
# line (netperf.ip=, netperf.peer=, netperf.packets=, netperf.size=,
# netperf.rtts=); each phase waits for a "go" line on the console so that the
# host can take its counters exactly around the traffic.
arg() { sed -n "s/.*\bnetperf\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
ip_cidr=$(arg ip)
peer=$(arg peer)
packets=$(arg packets)
size=$(arg size)
rtts=$(arg rtts)

dev=
i=0
while [ -z "$dev" ] && [ $i -lt 300 ]; do
	for d in /sys/class/net/*; do
		case ${d##*/} in lo | sit* | tunl* | ip6tnl*) ;; *) dev=${d##*/} ;; esac
	done
	[ -n "$dev" ] || { sleep 0.2; i=$((i + 1)); }
done
[ -n "$dev" ] || { echo "NETPERF-ERROR no network device"; exit 1; }
drv=$(basename "$(readlink /sys/class/net/$dev/device/driver)")
ip link set "$dev" up
ip addr add "$ip_cidr" dev "$dev"
i=0
while [ "$(cat /sys/class/net/$dev/carrier 2>/dev/null)" != 1 ] && [ $i -lt 300 ]; do
	sleep 0.2
	i=$((i + 1))
done
# Resolve the peer's MAC before counting anything.
ping -c 3 -W 5 "$peer" >/dev/null 2>&1 || { echo "NETPERF-ERROR $peer unreachable via $dev ($drv)"; exit 1; }
echo "NETPERF-READY dev=$dev driver=$drv"
read go </dev/console
echo "NETPERF-SENT $(/bin/triovm-netperf send "$peer" 9000 "$packets" "$size")"
read go </dev/console
echo "NETPERF-RTT $(/bin/triovm-netperf pingpong "$peer" 9001 "$rtts" "$size")"
