"""A userspace delay line between two network namespaces (this kernel has no netem).

  udp_delay_relay.py --near NAME --far NAME --far-netns NETNS --delay-ms MS --ready FILE
                     [--loss-percent P [--loss-seed N] [--loss-spares K]]

Creates two TUN devices (layer 3, no packet information), the near one in the caller's network
namespace and the far one in NETNS (/run/netns/NETNS, entered with setns(2) after the near one is
open: a TUN device moved between namespaces loses its file descriptor), and copies every IP packet
read from one into the other DELAY milliseconds later, in both directions. The caller gives them
addresses and routes between the two namespaces through them, so the path looks like one point-to-point link
with DELAY one way (2 x DELAY round trip) to everything on it: ICE checks, DTLS, SRTP, the
WebSocket. Packets keep their order (one FIFO per direction).

With --loss-percent the relay also drops P % of the UDP packets in each direction (TCP, the
WebSocket, is left alone: it would repair its own loss), as a lossy link would, but from a fixed
pattern rather than fresh random draws, so that two runs compared with each other (nack_delay.sh:
retransmission on, then off) lose the same media. An RTP packet (RFC 7983 demultiplexing; SRTP
leaves the header in the clear) is dropped by a hash of (seed, direction, payload type, which stream
of that type, its sequence number counted from the stream's first packet; the first K of each stream
are spared): the k-th video packet of each run is lost in both or in neither, whatever else crossed the link before it (an nftables
`numgen` counter would shift with every NACK and retransmission, and `numgen random` draws anew each
run, so one run's losses could hit a keyframe where the other's did not). A packet sent again with a
sequence number already seen (a repair resent on the media stream itself) and every other UDP packet
(ICE, DTLS, RTCP, RTX) is dropped at random, drawn anew each run: their order differs between runs
anyway, and a fixed draw could hit the same handshake or consent check in every run, a systematic
failure where the link should show a rare one. SIGUSR1 starts the pattern again (the next run's
streams count from their first packet) and prints what was dropped.

Writes FILE once both devices exist; on SIGTERM or SIGINT prints what it relayed to stderr and
exits 0. Per direction at most QUEUE_LIMIT packets wait (about 30 s of a weak link's traffic at
2 Mbit/s); beyond that a packet is dropped and counted, as a router's full queue would.
"""

import argparse
import collections
import ctypes
import errno
import fcntl
import hashlib
import os
import random
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


class LossPattern:
    """Which UDP packets of one direction the link loses (see the module's description)."""

    def __init__(self, name, percent, seed, spared):
        self.name = name
        self.threshold = percent / 100.0
        self.seed = seed
        self.spared = spared
        self.reset()

    def reset(self):
        self.draws = random.Random()  # seeded from the system: see the module's description
        self.streams = {}  # (payload type, ssrc) -> [ordinal of the stream among its type's, first sequence, seen]
        self.ordinals = collections.Counter()
        self.media = [0, 0]  # RTP packets seen the first time: [total, dropped]
        self.other = [0, 0]  # everything else UDP

    def _hashed(self, *key):
        digest = hashlib.blake2b(":".join(map(str, (self.seed, self.name, *key))).encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2.0**64 < self.threshold

    def drops(self, packet):
        if self.threshold <= 0 or len(packet) < 20 or packet[0] >> 4 != 4 or packet[9] != 17:
            return False  # not IPv4 UDP: left alone
        payload = packet[(packet[0] & 0x0F) * 4 + 8:]
        rtp = len(payload) >= 12 and 128 <= payload[0] <= 191 and not 192 <= payload[1] <= 223
        if rtp:
            pt = payload[1] & 0x7F
            sequence = int.from_bytes(payload[2:4], "big")
            key = (pt, payload[8:12])
            stream = self.streams.get(key)
            if stream is None:
                stream = self.streams[key] = [self.ordinals[pt], sequence, bytearray(65536)]
                self.ordinals[pt] += 1
            if not stream[2][sequence]:
                stream[2][sequence] = 1
                self.media[0] += 1
                index = (sequence - stream[1]) & 0xFFFF
                drop = index >= self.spared and self._hashed(pt, stream[0], index)
                self.media[1] += drop
                return drop
        self.other[0] += 1
        drop = self.draws.random() < self.threshold
        self.other[1] += drop
        return drop

    def report(self):
        return (f"loss {self.name}: RTP dropped {self.media[1]} of {self.media[0]} by sequence, "
                f"other UDP (repeats, RTX, RTCP, ICE, DTLS) {self.other[1]} of {self.other[0]} at random")


class Direction:
    def __init__(self, name, source, sink, loss):
        self.name = name
        self.source = source
        self.sink = sink
        self.loss = loss
        self.queue = collections.deque()
        self.relayed = 0
        self.dropped = 0
        self.lost = 0

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
            if self.loss.drops(packet):
                self.lost += 1
            elif len(self.queue) >= QUEUE_LIMIT:
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
    parser.add_argument("--loss-percent", type=float, default=0.0)
    parser.add_argument("--loss-seed", type=int, default=1)
    parser.add_argument("--loss-spares", type=int, default=0)
    args = parser.parse_args()
    delay = args.delay_ms / 1000.0

    near = open_tun(args.near)
    enter_netns(args.far_netns)  # this process only ever moves packets between the two fds
    far = open_tun(args.far)
    directions = [Direction(name, source, sink, LossPattern(name, args.loss_percent, args.loss_seed, args.loss_spares))
                  for name, source, sink in ((f"{args.near}->{args.far}", near, far), (f"{args.far}->{args.near}", far, near))]
    by_fd = {d.source: d for d in directions}

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    restarts = []
    signal.signal(signal.SIGUSR1, lambda *_: restarts.append(True))
    with open(args.ready, "w") as f:
        f.write(f"{os.getpid()}\n")

    while not stopping:
        if restarts:
            restarts.clear()
            for d in directions:
                print(d.loss.report(), file=sys.stderr, flush=True)
                d.loss.reset()
            print("loss pattern restarted", file=sys.stderr, flush=True)
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
        print(d.loss.report(), file=sys.stderr)
        print(f"delay relay {d.name}: relayed {d.relayed}, lost {d.lost}, dropped {d.dropped}, waiting {len(d.queue)}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
