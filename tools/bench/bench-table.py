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


def half_runs(folder, server):
    """The half-load runs of a server: <server>-half-<i>.json (--half-runs), or an older folder's one
    <server>-half.json."""
    runs = numbered_runs(folder, f"{server}-half")
    if not runs and (summary := load(folder, f"{server}-half.json")) is not None:
        runs.append(summary)
    return runs


def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def spread(values, scale=1.0, digits=0):
    """"median (min-max, n runs)" of the runs' values, or just the value for one run."""
    values = [v * scale for v in values if v is not None]
    if not values:
        return "n/a"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f}, {len(values)} runs)"


def half_numbers(summary):
    """CPU seconds per 1,000 forwarded packets and p50/p99 latency (µs) of one half-load run. With
    --arrival-times the latency runs to the moment the kernel queued the copy on the site's socket:
    what the server and the loopback added, without the load generator's own wait."""
    window = summary.get("window", {})
    cpu = (window.get("serverCpuSeconds", 0) * 1000 / window["received"]) if window.get("received") else None
    lat = summary.get("latencyUs", {}).get("socket") or summary.get("latencyUs", {}).get("all", {})
    return cpu, lat.get("p50"), lat.get("p99")


def numbered_runs(folder, prefix):
    """<prefix>-1.json, <prefix>-2.json ... as long as they exist."""
    runs = []
    i = 1
    while (summary := load(folder, f"{prefix}-{i}.json")) is not None:
        runs.append(summary)
        i += 1
    return runs


def print_equal_load(folder, rows):
    """diemcau at Janus's half load against Janus there: the latency at the same fan-out."""
    janus = rows.get("janus")
    equal = numbered_runs(folder, "diemcau-equal")
    if not janus or not equal:
        return
    numbers = [half_numbers(r) for r in equal]
    print()
    print(f"At equal load (Janus's half load, {equal[0].get('sites')} subscribers, runs taken in turns with the others): "
          f"p99 diemcau {spread([n[2] for n in numbers], 0.001, 2)} ms, Janus {spread(janus['p99s'], 0.001, 2)} ms; "
          f"p50 diemcau {spread([n[1] for n in numbers], 0.001, 2)} ms, Janus {spread(janus['p50s'], 0.001, 2)} ms; "
          f"server CPU per forwarded packet diemcau {spread([n[0] for n in numbers], 1000, 1)} µs, "
          f"Janus {spread(janus['cpus'], 1000, 1)} µs")


def main(folder):
    rows = []
    for server in ("diemcau", "janus"):
        try:
            with open(os.path.join(folder, f"{server}-max-fanout.txt")) as f:
                best = int(f.read().strip() or 0)
        except OSError:
            continue
        runs = half_runs(folder, server)
        half = runs[0] if runs else {}
        numbers = [half_numbers(r) for r in runs]
        idle = load(folder, f"{server}-idle.json") or {}
        idle_window = idle.get("window", {})
        rss_per = None
        if idle.get("sites") and "serverRssKiB" in idle_window and "serverRssKiBBefore" in idle_window:
            rss_per = (idle_window["serverRssKiB"] - idle_window["serverRssKiBBefore"]) / (idle["sites"] + 1)
        window = half.get("window", {})
        rows.append({"server": server, "best": best, "half": half.get("sites"), "runs": runs,
                     "cpu": median(n[0] for n in numbers), "cpus": [n[0] for n in numbers],
                     "p50s": [n[1] for n in numbers], "p99": median(n[2] for n in numbers),
                     "p99s": [n[2] for n in numbers], "rss": rss_per,
                     "join": (half.get("joinMs", {}).get("p50"), half.get("joinMs", {}).get("p99")),
                     "load": (window.get("loadCpuSeconds"), window.get("seconds")), "pacing": pacing(half)})

    def fmt(v, digits=1):
        return "n/a" if v is None else (f"{v:.{digits}f}" if isinstance(v, float) else str(v))

    print("| server | max fan-out (1 core, server loss <0.5 %, p50 < 50 ms) | half load N | server CPU s / 1,000 fwd pkts | "
          "p50 latency (µs) | p99 latency (µs) | RSS / idle participant (KiB) | join p50 / p99 (ms) | "
          "load CPU s / window s | video pacing |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['server']} | {r['best']} | {fmt(r['half'])} | {spread(r['cpus'], digits=4)} | {spread(r['p50s'])} | "
              f"{spread(r['p99s'])} | {fmt(r['rss'], 0)} | {fmt(r['join'][0], 0)} / {fmt(r['join'][1], 0)} | "
              f"{fmt(r['load'][0])} / {fmt(r['load'][1])} | {r['pacing']} |")
    if any(len(r["runs"]) > 1 for r in rows):
        print()
        print("Half-load columns: the median of the runs (the two servers' runs taken in turns), then the range; "
              "join and load CPU from the first run.")
    print_equal_load(folder, {r["server"]: r for r in rows})
    print_method(folder)
    meeting = load(folder, "diemcau-meeting-150.json")
    print_targets(folder, {r["server"]: r for r in rows}, meeting)
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
        runs = half_runs(folder, server)
        if not runs:
            continue
        half = runs[0]
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
        failed = first_failure(folder, "diemcau", ours["best"])
        bound = "" if failed else "; no size failed: the search stopped at its --max, the limit is higher"
        if failed:
            drops = failed.get("generatorDrops", {}).get("run")
            if drops:
                bound = (f"; at {failed['sites']} the server lost {failed.get('serverLossPercent', 0):.2f} % "
                         f"({failed['lossPercent']:.2f} % in all, {drops} datagrams dropped by the load generator's "
                         f"own full sockets)")
            w = failed.get("window", {})
            if w.get("seconds") and w.get("loadCpuSeconds", 0) >= 0.95 * w["seconds"]:
                bound += (f"; at {failed['sites']} the load generator used {w['loadCpuSeconds']:.1f} of its core's "
                         f"{w['seconds']:.1f} s, so the limit measured may be the load generator's")
        if janus and janus["best"]:
            ratio = ours["best"] / janus["best"]
            state = verdict(ratio >= 5) if failed or ratio >= 5 else "not shown"
            # Each limit lies between the largest size held and the smallest that failed.
            janus_failed = first_failure(folder, "janus", janus["best"])
            jw = (janus_failed or {}).get("window", {})
            if jw.get("seconds") and jw.get("loadCpuSeconds", 0) >= 0.95 * jw["seconds"]:
                bound += (f"; at {janus_failed['sites']} (Janus) the load generator used {jw['loadCpuSeconds']:.1f} of "
                          f"its core's {jw['seconds']:.1f} s")
            if failed and janus_failed:
                bound += (f"; limits bracketed by the search: diemcau {ours['best']}-{failed['sites']}, janus "
                          f"{janus['best']}-{janus_failed['sites']}, ratio {ours['best'] / janus_failed['sites']:.1f}-"
                          f"{failed['sites'] / janus['best']:.1f}x")
            lines.append(f"fan-out >= 5x Janus: {state} ({ours['best']} vs {janus['best']}, {ratio:.1f}x{bound})")
        else:
            lines.append(f"fan-out >= 5x Janus: not measured (no Janus run; diemcau {ours['best']}{bound})")
        if ours["cpu"] is not None:
            lines.append(f"server CPU < 4 us per forwarded packet: {verdict(ours['cpu'] * 1000 < 4)} "
                         f"({spread(ours['cpus'], 1000, 1)} us)")
        if ours["p99"] is not None:
            held = sum(1 for p in ours["p99s"] if p is not None and p < 2000)
            lines.append(f"p99 added latency < 2 ms at half load: {verdict(ours['p99'] < 2000)} "
                         f"({spread(ours['p99s'], 0.001, 1)} ms; under 2 ms in {held} of {len(ours['p99s'])} runs)")
        if ours["rss"] is not None:
            lines.append(f"RSS < 1 MiB per idle participant: {verdict(ours['rss'] < 1024)} ({ours['rss']:.0f} KiB)")
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
