#!/usr/bin/env bash
# fanout-cpu.sh: the bridge's CPU per forwarded packet on the live path (libnice sockets, GLib
# dispatch, SRTP, routing), measured with diemcau-load's fan-out scenario on loopback.
#
#   tools/bench/fanout-cpu.sh [--build DIR] [--sites N] [--duration S] [--repeat R]
#                             [--callgrind OUT_DIR] [--ice-lite|--full-ice] [--pacing FACTOR]
#                             [-- extra diemcau-load options]
#
# Starts a fresh diemcau pinned to CPU 1 (one media worker) and diemcau-load pinned to CPU 0, runs
# `--scenario fanout --sites N` R times, and prints serverCpuUsPerForwardedPacket of each run (the
# server's user+system CPU over the measured window divided by the packets the sites received).
#
# --callgrind OUT_DIR runs the server under `valgrind --tool=callgrind` with collection off until
# every site has joined, then collects only the measured window (callgrind_control -i on/off), so
# the profile is the steady state: divide its costs by the "forwarded" count the script prints.
#
# The server runs ICE-lite (its default) on one UDP socket per media worker, on an ephemeral port per
# worker so a bench never fights another server on this machine for a fixed one (--ice-lite says so
# explicitly). --full-ice runs it with --media-ice-lite false instead: a libnice agent and socket per
# connection, and diemcau-load on libnice too.
# diemcau-load then runs every connection on its minimal ICE client (--ice-client lite: on loopback
# one socket per worker for all of its connections, each on an address of its own; `-- --client-sockets
# own` gives each connection a socket), several times cheaper per received packet than libnice.
# The load generator reads its socket when it becomes readable, so the server is also charged for
# waking it (docs/PERFORMANCE.md); `-- --receive-every 1 --arrival-times` reads it every millisecond, as
# janus-vs-diemcau.sh does.
# --pacing FACTOR: diemcau-load's video pacing (default: the tool's, 2.5 x the bitrate; 0: each frame
# back to back); every result line says which one was used.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$repo/build/release
sites=20
duration=10
repeat=1
callgrind=""
lite_args=(--media-ice-lite true --media-ice-lite-port 0)
load_lite_args=(--ice-client lite)
pacing_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --sites) sites=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --callgrind) callgrind=$2; shift 2 ;;
    --pacing) pacing_args=(--pacing "$2"); shift 2 ;;
    --ice-lite) lite_args=(--media-ice-lite true --media-ice-lite-port 0); load_lite_args=(--ice-client lite); shift ;;
    --full-ice) lite_args=(--media-ice-lite false); load_lite_args=(--ice-client libnice); shift ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# An --ice-client given after "--" wins (e.g. libnice, to compare both clients against a lite server).
case " $* " in *" --ice-client "*) load_lite_args=() ;; esac
diemcau=$build/server/diemcau
load=$build/tools/load/diemcau-load
for f in "$diemcau" "$load"; do [ -x "$f" ] || { echo "$f is not built" >&2; exit 1; }; done

# This script and what it runs unpinned (the grep that waits for the window) stay off the server's core.
taskset -cp 0 $$ >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/fanout-cpu.XXXXXX")
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

port=$((20000 + RANDOM % 20000))
data=$work/data
mkdir -p "$data"
server_cmd=("$diemcau" --listen "127.0.0.1:$port" --data-dir "$data" --media-addresses 127.0.0.1
            --media-ports 40000-49999 --workers 1 --max-connections 20000 --meeting-max-sites 10000
            --log-level warn "${lite_args[@]}")
if [ -n "$callgrind" ]; then
  mkdir -p "$callgrind"
  # No --separate-threads: the profile adds up the worker, signaling and libnice threads alike.
  server_cmd=(valgrind --tool=callgrind --instr-atstart=no --collect-systime=nsec
              "--callgrind-out-file=$callgrind/callgrind.out.%p" "${server_cmd[@]}")
fi
taskset -c 1 "${server_cmd[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
  [ -s "$data/admin.key" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
# The admin key is written before the listener accepts: wait until the port answers too.
for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(git -C "$repo" rev-parse --short HEAD)," \
     "ICE $([ "${lite_args[1]}" = true ] && echo lite || echo full)"
for run in $(seq "$repeat"); do
  out=$work/fanout-$run.json
  load_cmd=(taskset -c 0 "$load" --server "127.0.0.1:$port" --data-dir "$data" --scenario fanout
            --sites "$sites" --ramp 50 --duration "$duration" --join-timeout 60
            --id-prefix "cpu$run" --server-pid "$server_pid" --json "$out" "${load_lite_args[@]}" "${pacing_args[@]}" "$@")
  # The window starts when the load generator says so (every site joined); a callgrind server
  # collects from there to the end of the run. ("run     t=" is the progress line of the window,
  # for a diemcau-load that does not print "measuring".)
  "${load_cmd[@]}" 2>"$work/load-$run.log" &
  load_pid=$!
  until grep -aqE "measuring|run     t=" "$work/load-$run.log" 2>/dev/null || ! kill -0 "$load_pid" 2>/dev/null; do
    sleep 0.2
  done
  [ -n "$callgrind" ] && callgrind_control -i on "$server_pid" >/dev/null 2>&1
  wait "$load_pid" || echo "diemcau-load failed (see $work/load-$run.log)" >&2
  [ -n "$callgrind" ] && callgrind_control -i off "$server_pid" >/dev/null 2>&1
  python3 - "$out" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
w = s["window"]
print(f"sites {s['sites']}: forwarded {w['received']} packets in {w['seconds']:.1f} s, "
      f"server CPU {w['serverCpuSeconds']:.3f} s = {w['serverCpuUsPerForwardedPacket']:.2f} us per forwarded packet "
      f"(user {w.get('serverUserUsPerForwardedPacket', float('nan')):.2f}, "
      f"system {w.get('serverSystemUsPerForwardedPacket', float('nan')):.2f}), "
      f"loss {s['lossPercent']:.2f} % (server {s.get('serverLossPercent', s['lossPercent']):.2f} %, "
      f"generator's socket drops {s.get('generatorDrops', {}).get('run', 'n/a')}), failed sites {s['failedSites']}, "
      f"latency p50/p99 {s['latencyUs']['all']['p50']:.0f}/{s['latencyUs']['all']['p99']:.0f} us, "
      f"pacing {s['media'].get('pacing', 'none (burst)')}")
PY
done
stop_server
[ -n "$callgrind" ] && echo "profile: $(ls "$callgrind"/callgrind.out.* | tail -1)"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg); work files in $work"
