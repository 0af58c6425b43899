#!/usr/bin/env python3
"""A vhost-user backend that answers triovm's first request wrongly.

usage: hostile-backend.py SOCKET

Connects to triovm's socket once per kind of bad reply and checks that
triovm hangs up on it (its reply timeout included). Prints one line per case
and exits 0 when triovm rejected them all, 1 otherwise.
"""
import array
import os
import socket
import struct
import sys
import time

GET_FEATURES = 1
GET_PROTOCOL_FEATURES = 15
VERSION = 0x1
REPLY = 0x4


def connect(path):
    for _ in range(600):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except OSError:
            s.close()
            time.sleep(0.1)
    sys.exit("HOSTILE: cannot connect to %s" % path)


def read_request(s):
    hdr = s.recv(12, socket.MSG_WAITALL)
    if len(hdr) != 12:
        sys.exit("HOSTILE: triovm sent no request")
    req, _, size = struct.unpack("<III", hdr)
    if size:
        s.recv(size, socket.MSG_WAITALL)
    return req


def hung_up(s, seconds):
    """True when triovm closes the connection within `seconds`."""
    s.settimeout(seconds)
    try:
        while s.recv(4096):
            pass
        return True
    except socket.timeout:
        return False
    except OSError:
        return True


def with_fd(s, data):
    r, w = os.pipe()
    s.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                        array.array("i", [r]))])
    os.close(r)
    os.close(w)


def u64_reply(req, flags=VERSION | REPLY, size=8, value=1 << 30):
    return struct.pack("<III", req, flags, size) + struct.pack("<Q", value)


CASES = [
    ("a reply to another request",
     lambda s: s.sendall(u64_reply(GET_PROTOCOL_FEATURES))),
    ("a reply without the REPLY flag",
     lambda s: s.sendall(u64_reply(GET_FEATURES, flags=VERSION))),
    ("a reply of protocol version 2",
     lambda s: s.sendall(u64_reply(GET_FEATURES, flags=0x2 | REPLY))),
    ("a payload size no message has",
     lambda s: s.sendall(struct.pack("<III", GET_FEATURES, VERSION | REPLY,
                                     0x10000))),
    ("a payload shorter than the request's reply",
     lambda s: s.sendall(struct.pack("<IIII", GET_FEATURES, VERSION | REPLY,
                                     4, 0))),
    ("a file descriptor with the reply",
     lambda s: with_fd(s, u64_reply(GET_FEATURES))),
    ("half a header, then silence", lambda s: s.sendall(b"\x01\x00\x00")),
    ("no reply at all", lambda s: None),
]


def main():
    path = sys.argv[1]
    ok = True
    for what, send in CASES:
        s = connect(path)
        req = read_request(s)
        if req != GET_FEATURES:
            print("HOSTILE: triovm's first request was %d, not GET_FEATURES" % req)
            ok = False
        send(s)
        # Silence costs triovm its reply timeout (5 s), no more.
        closed = hung_up(s, 15)
        s.close()
        print("HOSTILE: %s: %s" % (what, "rejected" if closed else "NOT rejected"))
        ok = ok and closed
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
