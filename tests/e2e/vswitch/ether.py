#!/usr/bin/env python3
"""Raw Ethernet frames on a Linux interface, for the vswitch's uplink test.

  ether.py send IFACE SRC DST COUNT      send COUNT 64-byte frames
  ether.py count IFACE SRC DST WANT SECONDS READY
                                         count the frames from SRC to DST that
                                         arrive, until WANT or SECONDS, and a
                                         little more; prints the count. Creates
                                         the file READY once listening
"""
import socket
import sys
import time

ETH_P_ALL = 0x0003
ETHERTYPE = 0x88B5  # IEEE local experimental: nothing else sends it
PACKET_OUTGOING = 4


def mac(s):
    return bytes(int(b, 16) for b in s.split(":"))


def frame(src, dst, seq):
    payload = seq.to_bytes(4, "big").ljust(50, b"\0")
    return dst + src + ETHERTYPE.to_bytes(2, "big") + payload


def main():
    cmd, iface, src, dst = sys.argv[1], sys.argv[2], mac(sys.argv[3]), mac(sys.argv[4])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    # Python swaps the protocol itself here, unlike in socket().
    s.bind((iface, ETH_P_ALL))
    if cmd == "send":
        for i in range(int(sys.argv[5])):
            s.send(frame(src, dst, i))
        return
    want, deadline = int(sys.argv[5]), time.monotonic() + float(sys.argv[6])
    open(sys.argv[7], "w").close()
    n = 0
    while n < want and time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data, addr = s.recvfrom(2048)
        except socket.timeout:
            break
        if addr[2] == PACKET_OUTGOING:
            continue
        if data[:6] == dst and data[6:12] == src:
            n += 1
    # A little longer: more than WANT would be a fault too.
    s.settimeout(0.5)
    try:
        while True:
            data, addr = s.recvfrom(2048)
            if addr[2] != PACKET_OUTGOING and data[:6] == dst and data[6:12] == src:
                n += 1
    except socket.timeout:
        pass
    print(n)


if __name__ == "__main__":
    main()
