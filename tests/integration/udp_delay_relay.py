"""A userspace delay line between two network namespaces (this kernel has no netem).

  udp_delay_relay.py --near NAME --far NAME --far-netns NETNS --delay-ms MS --ready FILE

Creates two TUN devices (layer 3, no packet information), the near one in the caller's network
namespace and the far one in NETNS (/run/netns/NETNS, entered with setns(2) after the near one is
open: a TUN device moved between namespaces loses its file descriptor), and copies every IP packet
read from one into the other DELAY milliseconds later, in both directions. The caller gives them
addresses and routes between the two namespaces through them, so the path looks like one point-to-point link
with DELAY one way (2 x DELAY round trip) to everything on it: ICE checks, DTLS, SRTP, the
WebSocket. Packets keep their order (one FIFO per direction). Loss stays nftables' job.

Writes FILE once both devices exist; on SIGTERM or SIGINT prints what it relayed to stderr and
exits 0. Per direction at most QUEUE_LIMIT packets wait (about 30 s of a weak link's traffic at
2 Mbit/s); beyond that a packet is dropped and counted, as a router's full queue would.
"""

import argparse
import collections
import ctypes
import errno
import fcntl
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
QUEUE_LIMIT = 20000
MAX_PACKET = 65535
CLONE_NEWNET = 0x40000000


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def enter_netns(name):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns {name}: {os.strerror(err)}")
    finally:
        os.close(fd)


class Direction:
    def __init__(self, name, source, sink):
        self.name = name
        self.source = source
        self.sink = sink
        self.queue = collections.deque()
        self.relayed = 0
        self.dropped = 0

    def read_all(self, due):
        while True:
            try:
                packet = os.read(self.source, MAX_PACKET)
            except BlockingIOError:
                return
            except OSError as e:
                if e.errno == errno.EIO:  # the device is not up yet
                    return
                raise
            if len(self.queue) >= QUEUE_LIMIT:
                self.dropped += 1
            else:
                self.queue.append((due, packet))

    def write_due(self, now):
        while self.queue and self.queue[0][0] <= now:
            _, packet = self.queue.popleft()
            try:
                os.write(self.sink, packet)
                self.relayed += 1
            except OSError:  # the far side is down or its queue is full: a lost packet
                self.dropped += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--near", required=True)
    parser.add_argument("--far", required=True)
    parser.add_argument("--far-netns", required=True)
    parser.add_argument("--delay-ms", type=float, required=True)
    parser.add_argument("--ready", required=True)
    args = parser.parse_args()
    delay = args.delay_ms / 1000.0

    near = open_tun(args.near)
    enter_netns(args.far_netns)  # this process only ever moves packets between the two fds
    far = open_tun(args.far)
    directions = [Direction(f"{args.near}->{args.far}", near, far), Direction(f"{args.far}->{args.near}", far, near)]
    by_fd = {d.source: d for d in directions}

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    with open(args.ready, "w") as f:
        f.write(f"{os.getpid()}\n")

    while not stopping:
        now = time.monotonic()
        next_due = min((d.queue[0][0] for d in directions if d.queue), default=now + 0.5)
        timeout = max(0.0, next_due - now)
        try:
            readable, _, _ = select.select(list(by_fd), [], [], timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        for fd in readable:
            by_fd[fd].read_all(now + delay)
        for d in directions:
            d.write_due(now)

    for d in directions:
        print(f"delay relay {d.name}: relayed {d.relayed}, dropped {d.dropped}, waiting {len(d.queue)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
