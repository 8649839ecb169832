#!/usr/bin/env bash
# meeting-knee.sh: the diemcau-load `meeting` scenario (1 hall + N sites, everyone publishing) at
# several sizes, each against a fresh diemcau pinned to core 1 (one media worker) with the load
# generator pinned to core 0, as tools/bench does. Per run it prints loss, failed sites, join time,
# both processes' CPU and run-queue wait (/proc/<pid>/task/*/schedstat: how long they were runnable
# but not running, i.e. how much the rest of the machine took from them), the kernel's UDP
# receive-buffer drops over the run (nstat) and the bridge's subscriber offers.
#
#   tools/bench/meeting-knee.sh [--build DIR] [--server BIN] [--out DIR] [--duration S] [--ramp R]
#                               [--nice N] [--ice-lite|--full-ice] [--pacing FACTOR] [SITES...]
#                               (default sizes: 25 50 75 100 150)
#   extra diemcau-load options after --, e.g. -- --speakers 4
#
# --nice runs both processes at that niceness (negative needs root): on a machine shared with
# builds it shows what the two processes need rather than what the others leave them.
# Results: docs/PERFORMANCE.md, "A 150-site meeting".
# The server runs ICE-lite (its default) on one UDP socket per media worker, on an ephemeral port per
# worker so a bench never fights another server on this machine for a fixed one (--ice-lite says so
# explicitly). --full-ice runs it with --media-ice-lite false instead: a libnice agent and socket per
# connection, and diemcau-load on libnice too.
# diemcau-load then runs every connection on its minimal ICE client (--ice-client lite: one socket
# per connection, one epoll set per worker), several times cheaper per received packet than libnice.
# --pacing FACTOR: diemcau-load's video pacing (default: the tool's, 2.5 x the bitrate; 0: each frame
# back to back); every result line says which one was used.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$repo/build/h-bench
server=""
out=$repo/bench-out/meeting-knee-$(date -u +%Y%m%d-%H%M%S)
duration=10
ramp=30
niceness=""
sizes=()
extra=()
lite_args=(--media-ice-lite true --media-ice-lite-port 0)
load_lite_args=(--ice-client lite)
pacing_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --server) server=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --ramp) ramp=$2; shift 2 ;;
    --nice) niceness=$2; shift 2 ;;
    --pacing) pacing_args=(--pacing "$2"); shift 2 ;;
    --ice-lite) lite_args=(--media-ice-lite true --media-ice-lite-port 0); load_lite_args=(--ice-client lite); shift ;;
    --full-ice) lite_args=(--media-ice-lite false); load_lite_args=(--ice-client libnice); shift ;;
    --) shift; extra=("$@"); break ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(25 50 75 100 150)
server=${server:-$build/server/diemcau}
load=$build/tools/load/diemcau-load
for f in "$load" "$server"; do [ -x "$f" ] || { echo "$f is not built" >&2; exit 1; }; done
mkdir -p "$out"
prefix=()
[ -n "$niceness" ] && prefix=(nice -n "$niceness")

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
sched() { awk '{r += $1; w += $2} END {printf "%.2f %.2f", r / 1e9, w / 1e9}' /proc/"$1"/task/*/schedstat 2>/dev/null; }

for n in "${sizes[@]}"; do
  run=$out/sites-$n
  mkdir -p "$run"
  port=$((20000 + RANDOM % 10000))
  while port_open "$port"; do port=$((port + 1)); done
  nstat -n >/dev/null 2>&1 || true
  "${prefix[@]}" taskset -c 1 "$server" --listen "127.0.0.1:$port" --data-dir "$run/data" \
    --media-addresses 127.0.0.1 --media-ports 40000-49999 --workers 1 --max-connections 20000 --log-level warn \
    "${lite_args[@]}" \
    >"$run/diemcau.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do port_open "$port" && break; sleep 0.1; done
  for _ in $(seq 100); do [ -s "$run/data/admin.key" ] && break; sleep 0.1; done
  sleep 0.5
  loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
  "${prefix[@]}" taskset -c 0 "$load" --server "127.0.0.1:$port" --data-dir "$run/data" --server-pid "$server_pid" \
    --json "$run/summary.json" --no-progress --scenario meeting --sites "$n" --ramp "$ramp" --duration "$duration" \
    --video-bitrate 300000 --hall-video-bitrate 1500000 --join-timeout 30 "${load_lite_args[@]}" "${pacing_args[@]}" "${extra[@]}" 2>"$run/load.log" &
  load_pid=$!
  server_sched="" load_sched=""
  while kill -0 "$load_pid" 2>/dev/null; do
    # A sample of a process already gone would read as zeros: keep the last good one.
    if s=$(sched "$server_pid"); then server_sched=$s; fi
    if s=$(sched "$load_pid"); then load_sched=$s; fi
    sleep 0.5
  done
  wait "$load_pid" || echo "diemcau-load failed for $n sites (see $run/load.log)" >&2
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  drops=$(nstat 2>/dev/null | awk '$1 == "UdpRcvbufErrors" {print $2}')
  echo "{\"loadavgBefore\": \"$loadavg\", \"loadavgAfter\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"," \
    "\"serverRunWait\": \"${server_sched:-? ?}\", \"loadRunWait\": \"${load_sched:-? ?}\"," \
    "\"udpRcvbufErrors\": ${drops:-0}}" >"$run/machine.json"
  python3 - "$run" <<'PY'
import json, sys
run = sys.argv[1]
try:
    s = json.load(open(run + "/summary.json"))
except Exception:
    print(f"{run}: no summary"); sys.exit(0)
m = json.load(open(run + "/machine.json"))
w = s["window"]
sr, sw = m["serverRunWait"].split()
lr, lw = m["loadRunWait"].split()
print(f'{s["sites"]:>4} sites  loss {s["lossPercent"]:5.2f} % (audio {s["audio"]["lossPercent"]:.2f}, video '
      f'{s["video"]["lossPercent"]:.2f})  failed {s["failedSites"]:>3}  join p50/p99 {s["joinMs"]["p50"]:.0f}/'
      f'{s["joinMs"]["p99"]:.0f} ms  received {w["receivedPerSecond"]:.0f}/s  window CPU server '
      f'{w.get("serverCpuSeconds", 0):.2f} s load {w["loadCpuSeconds"]:.2f} s  whole run: server ran {sr} s '
      f'waited {sw} s, load ran {lr} s waited {lw} s  rcvbuf drops {m["udpRcvbufErrors"]}  offers '
      f'{s["subscribeOffers"]["count"]} ({s["subscribeOffers"]["bytes"] / 1e6:.1f} MB)  load average '
      f'{m["loadavgBefore"]} -> {m["loadavgAfter"]}  pacing {s["media"].get("pacing", "none (burst)")}')
PY
done
echo "raw results in $out" >&2
