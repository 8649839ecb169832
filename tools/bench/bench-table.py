#!/usr/bin/env python3
"""Prints the comparison table of a janus-vs-diemcau.sh output folder (markdown)."""
import json
import os
import sys


def load(folder, name):
    try:
        with open(os.path.join(folder, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def main(folder):
    rows = []
    for server in ("diemcau", "janus"):
        try:
            with open(os.path.join(folder, f"{server}-max-fanout.txt")) as f:
                best = int(f.read().strip() or 0)
        except OSError:
            continue
        half = load(folder, f"{server}-half.json") or {}
        idle = load(folder, f"{server}-idle.json") or {}
        window = half.get("window", {})
        cpu_per_1000 = (window.get("serverCpuSeconds", 0) * 1000 / window["received"]) if window.get("received") else None
        idle_window = idle.get("window", {})
        rss_per = None
        if idle.get("sites") and "serverRssKiB" in idle_window and "serverRssKiBBefore" in idle_window:
            rss_per = (idle_window["serverRssKiB"] - idle_window["serverRssKiBBefore"]) / (idle["sites"] + 1)
        # With --arrival-times the latency runs to the moment the kernel queued the copy on the site's
        # socket: what the server and the loopback added, without the load generator's own wait.
        lat = half.get("latencyUs", {}).get("socket") or half.get("latencyUs", {}).get("all", {})
        rows.append((server, best, half.get("sites"), cpu_per_1000, lat.get("p50"), lat.get("p99"), rss_per,
                     half.get("joinMs", {}).get("p50"), half.get("joinMs", {}).get("p99"),
                     window.get("loadCpuSeconds"), window.get("seconds"), pacing(half)))

    def fmt(v, digits=1):
        return "n/a" if v is None else (f"{v:.{digits}f}" if isinstance(v, float) else str(v))

    print("| server | max fan-out (1 core, <0.5 % loss, p50 < 50 ms) | half load N | server CPU s / 1,000 fwd pkts | "
          "p50 / p99 latency (µs) | RSS / idle participant (KiB) | join p50 / p99 (ms) | load CPU s / window s | "
          "video pacing |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {fmt(r[2])} | {fmt(r[3], 4)} | {fmt(r[4], 0)} / {fmt(r[5], 0)} | {fmt(r[6], 0)} | "
              f"{fmt(r[7], 0)} / {fmt(r[8], 0)} | {fmt(r[9])} / {fmt(r[10])} | {r[11]} |")
    print_method(folder)
    meeting = load(folder, "diemcau-meeting-150.json")
    print_targets(folder, {r[0]: r for r in rows}, meeting)
    if meeting:
        print()
        print(f"diemcau meeting 1 hall + {meeting['sites']} sites, 2 cores shared with the load generator: "
              f"loss {meeting['lossPercent']:.3f} % (audio {meeting['audio']['lossPercent']:.3f} %, video "
              f"{meeting['video']['lossPercent']:.3f} %), failed sites {meeting['failedSites']}, latency p50/p99 "
              f"{meeting['latencyUs']['all']['p50']:.0f}/{meeting['latencyUs']['all']['p99']:.0f} µs, "
              f"received {meeting['window'].get('receivedPerSecond', 0):.0f} pkt/s, server CPU "
              f"{meeting['window'].get('serverCpuSeconds', 0):.1f} s over {meeting['window'].get('seconds', 0):.1f} s, "
              f"video pacing {pacing(meeting)}")


def print_method(folder):
    """How the load generator received and timed, from the half-load runs."""
    for server in ("diemcau", "janus"):
        half = load(folder, f"{server}-half.json")
        if not half:
            continue
        every = half.get("iceClient", {}).get("receiveEveryMs", 0)
        socket = "socket" in half.get("latencyUs", {})
        print()
        print(f"{server}: the load generator read its sockets "
              + (f"every {every} ms (the server paid for no wakeup of the generator)" if every else
                 "when they became readable (on loopback the server pays for waking the generator)")
              + "; latency " + ("until the copy was queued on the site's socket (kernel timestamp)" if socket else
                               "until the generator read the copy"))


def pacing(summary):
    """diemcau-load's video pacing of a run: the factor, 0 for back-to-back frames (older tools did
    not say: they always sent bursts)."""
    if not summary:
        return "n/a"
    factor = summary.get("media", {}).get("pacing")
    if factor is None:
        return "burst (tool without --pacing)"
    return "burst (0)" if factor == 0 else f"{factor:g} x bitrate"


def first_failure(folder, server, best):
    """The smallest fan-out run above `best` (the one that did not hold), or None."""
    sizes = []
    for name in os.listdir(folder):
        prefix = f"{server}-fanout-"
        if name.startswith(prefix) and name.endswith(".json"):
            try:
                n = int(name[len(prefix):-5])
            except ValueError:
                continue
            if n > best:
                sizes.append(n)
    return load(folder, f"{server}-fanout-{min(sizes)}.json") if sizes else None


def print_targets(folder, rows, meeting):
    """One line per target of the benchmark: met, missed, or not measured, from the numbers above."""
    def verdict(ok):
        return "met" if ok else "**missed**"

    lines = []
    ours, janus = rows.get("diemcau"), rows.get("janus")
    if ours:
        failed = first_failure(folder, "diemcau", ours[1])
        bound = "" if failed else "; no size failed: the search stopped at its --max, the limit is higher"
        if failed:
            w = failed.get("window", {})
            if w.get("seconds") and w.get("loadCpuSeconds", 0) >= 0.95 * w["seconds"]:
                bound = (f"; at {failed['sites']} the load generator used {w['loadCpuSeconds']:.1f} of its core's "
                         f"{w['seconds']:.1f} s, so the limit measured may be the load generator's")
        if janus and janus[1]:
            ratio = ours[1] / janus[1]
            state = verdict(ratio >= 5) if failed or ratio >= 5 else "not shown"
            # Each limit lies between the largest size held and the smallest that failed.
            janus_failed = first_failure(folder, "janus", janus[1])
            jw = (janus_failed or {}).get("window", {})
            if jw.get("seconds") and jw.get("loadCpuSeconds", 0) >= 0.95 * jw["seconds"]:
                bound += (f"; at {janus_failed['sites']} (Janus) the load generator used {jw['loadCpuSeconds']:.1f} of "
                          f"its core's {jw['seconds']:.1f} s")
            if failed and janus_failed:
                bound += (f"; limits bracketed by the search: diemcau {ours[1]}-{failed['sites']}, janus "
                          f"{janus[1]}-{janus_failed['sites']}, ratio {ours[1] / janus_failed['sites']:.1f}-"
                          f"{failed['sites'] / janus[1]:.1f}x")
            lines.append(f"fan-out >= 5x Janus: {state} ({ours[1]} vs {janus[1]}, {ratio:.1f}x{bound})")
        else:
            lines.append(f"fan-out >= 5x Janus: not measured (no Janus run; diemcau {ours[1]}{bound})")
        if ours[3] is not None:
            lines.append(f"server CPU < 4 us per forwarded packet: {verdict(ours[3] * 1000 < 4)} ({ours[3] * 1000:.1f} us)")
        if ours[5] is not None:
            lines.append(f"p99 added latency < 2 ms at half load: {verdict(ours[5] < 2000)} ({ours[5] / 1000:.1f} ms)")
        if ours[6] is not None:
            lines.append(f"RSS < 1 MiB per idle participant: {verdict(ours[6] < 1024)} ({ours[6]:.0f} KiB)")
    if meeting:
        held = meeting["failedSites"] == 0 and meeting["lossPercent"] < 0.5
        lines.append(f"150-site meeting on 2 cores, < 0.5 % loss: {verdict(held)} ({meeting['lossPercent']:.2f} %, "
                     f"{meeting['failedSites']} sites failed)")
    if lines:
        print()
        print("Targets:")
        for line in lines:
            print(f"- {line}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
