#!/usr/bin/env python3
"""Kernel CPU of one UDP sendto() on loopback, the floor under every forwarded packet.

    taskset -c 1 tools/bench/udp-sendto-cost.py [COUNT] [BYTES]

Sends COUNT datagrams of BYTES (default 200,000 × 1044: a 1000-byte video payload, RTP header
and GCM tag) from a non-blocking socket to a bound loopback socket that nobody reads, so the
kernel runs the whole send and loopback delivery path up to the full receive queue and no reader
is woken. Prints system and user CPU per sendto (os.times()); the user part is Python's loop.
"""
import os
import socket
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
size = int(sys.argv[2]) if len(sys.argv) > 2 else 1044

receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
receiver.bind(("127.0.0.1", 0))
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sender.setblocking(False)
target = receiver.getsockname()
payload = b"x" * size

before = os.times()
for _ in range(count):
    try:
        sender.sendto(payload, target)
    except BlockingIOError:
        pass
after = os.times()
print(f"{count} x {size} bytes: system {(after.system - before.system) * 1e6 / count:.2f} us, "
      f"user {(after.user - before.user) * 1e6 / count:.2f} us per sendto "
      f"(load {os.getloadavg()[0]:.1f})")
