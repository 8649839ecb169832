#!/usr/bin/env python3
"""Where a fan-out's one-way latency comes from, from `diemcau-load --latency-trace FILE`.

Usage: latency-trace.py TRACE.csv [--top N]

Each source packet (source site, kind, sequence) reaches many receivers. For every copy the latency
is split into
  start:  from the publisher's stamp until the server queued the packet's first copy (the server's
          wake-up, its receive path, and any earlier fan-out still running when the packet came);
  within: from the first copy to this copy (the fan-out's own length up to this receiver).
With --arrival-times in the trace the times are the kernel's (queued on the receiver's socket);
without, the load generator's handling times, which include its own wait.

The report: percentiles of latency, start and within over all copies; the same split for the
copies above the p99; how many of the packets had to wait for the previous fan-out to finish; the
receivers that are most often late (fan-out order); and the worst start delays in time order, to
show whether they come periodically.
"""
import argparse
import csv
import sys
from collections import defaultdict


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(q * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def row(name, values):
    values = sorted(values)
    return (f"| {name} | {len(values)} | {percentile(values, 0.5) / 1000:.0f} | {percentile(values, 0.9) / 1000:.0f} "
            f"| {percentile(values, 0.99) / 1000:.0f} | {values[-1] / 1000 if values else float('nan'):.0f} |")


def load(path):
    packets = defaultdict(list)  # (source, kind, sequence) -> [(time, receiver)]
    sent = {}
    kernel_times = True
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            key = (int(r["source"]), r["kind"], int(r["sequence"]))
            arrival = int(r["arrival_ns"])
            if arrival == 0:
                kernel_times = False
                arrival = int(r["handled_ns"])
            packets[key].append((arrival, int(r["receiver"])))
            sent[key] = int(r["sent_ns"])
    return packets, sent, kernel_times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace")
    parser.add_argument("--top", type=int, default=15, help="worst start delays to list")
    args = parser.parse_args()
    packets, sent, kernel_times = load(args.trace)
    if not packets:
        sys.exit("latency-trace.py: the trace holds no packets")

    # Per source packet: the first and last copy; per copy: start and within.
    latency, start_of_copy, within, late_receivers = [], [], [], defaultdict(int)
    groups = []  # (sent, first, last, key)
    for key, copies in packets.items():
        copies.sort()
        first, last = copies[0][0], copies[-1][0]
        groups.append((sent[key], first, last, key))
        for arrival, _ in copies:
            latency.append(arrival - sent[key])
            start_of_copy.append(first - sent[key])
            within.append(arrival - first)
    threshold = sorted(latency)[min(len(latency) - 1, int(0.99 * len(latency)))]
    late = [i for i, v in enumerate(latency) if v >= threshold]
    i = 0
    for key, copies in packets.items():
        for arrival, receiver in copies:
            if latency[i] >= threshold:
                late_receivers[receiver] += 1
            i += 1

    clock = "queued on the receiver's socket (kernel time)" if kernel_times else "handled by the load generator"
    print(f"{len(packets)} source packets, {len(latency)} copies; times until {clock}\n")
    print("| µs | copies | p50 | p90 | p99 | max |")
    print("|---|---|---|---|---|---|")
    print(row("latency", latency))
    print(row("start (to the first copy)", start_of_copy))
    print(row("within the fan-out", within))
    print(row("latency, copies ≥ p99", [latency[j] for j in late]))
    print(row("start, copies ≥ p99", [start_of_copy[j] for j in late]))
    print(row("within, copies ≥ p99", [within[j] for j in late]))
    fanout = sorted(g[2] - g[1] for g in groups)
    print(row("fan-out length (first to last copy)", fanout))

    # A packet sent while the previous packet's fan-out (the server's, any source) was still running
    # waited for it at least until that fan-out's end.
    groups.sort(key=lambda g: g[1])
    waited, waits = 0, []
    for previous, current in zip(groups, groups[1:]):
        if current[0] < previous[2]:
            waited += 1
            waits.append(min(previous[2], current[1]) - current[0])
    print(f"\n{waited} of {len(groups)} packets ({100 * waited / len(groups):.1f} %) were sent before the previous "
          f"fan-out ended")
    if waits:
        print("| µs | packets | p50 | p90 | p99 | max |")
        print("|---|---|---|---|---|---|")
        print(row("wait for the previous fan-out", waits))

    ranked = sorted(late_receivers.items(), key=lambda kv: -kv[1])[:10]
    print("\nreceivers with most copies ≥ p99 (receiver: copies):",
          ", ".join(f"{r}: {n}" for r, n in ranked))

    groups.sort(key=lambda g: g[0])
    origin = groups[0][0]
    worst = sorted(groups, key=lambda g: g[0] - g[1])[: args.top]
    print(f"\nworst start delays (ms after the first packet: µs to the first copy, source/kind/sequence):")
    for g in sorted(worst):
        print(f"  {(g[0] - origin) / 1e6:9.3f}: {(g[1] - g[0]) / 1000:7.0f}  {g[3][0]}/{g[3][1]}/{g[3][2]}")


if __name__ == "__main__":
    main()
