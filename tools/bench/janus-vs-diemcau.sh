#!/usr/bin/env bash
# janus-vs-diemcau.sh: the same diemcau-load scenarios against diemcau and against Janus
# (videoroom), each server pinned to one core (taskset -c 1) and the load generator to the other
# (taskset -c 0). Prints a comparison table and keeps every raw JSON summary.
#
#   tools/bench/janus-vs-diemcau.sh [--build DIR] [--out DIR] [--duration S] [--start N] [--max N]
#                                   [--idle N] [--skip-janus] [--skip-meeting] [--diemcau BIN] [--ice-lite|--full-ice]
#                                   [--pacing FACTOR] [--settle S] [--receive-every MS] [--half-runs R]
#
# Measured per server:
#   - server CPU seconds per 1,000 forwarded packets (from /proc/<pid>/stat over the measured window)
#   - the largest fan-out it holds on one core (doubling from --start, or halving when that fails, then
#     bisecting to within 5 %): under 0.5 % loss with a median one-way latency under 50 ms, where the
#     hall must also keep its nominal send rate; the loss is the server's (serverLossPercent: datagrams
#     the load generator's own full sockets dropped are left out); the two servers' searches take turns
#   - p50/p99 one-way latency through the server at half that fan-out, and the join time there
#     (--half-runs R runs, default 3: the table gives the median and the range); diemcau also at
#     Janus's half load, to compare the latency at equal load
#   - resident memory per idle participant (--idle participants joined, nothing published)
# and, for diemcau only, the 150-site meeting (1 hall + 149 sites) with the server on both cores.
# Needs root only to install Janus when it is missing. Results: docs/PERFORMANCE.md.
# The server runs ICE-lite (its default) on one UDP socket per media worker, on an ephemeral port per
# worker so a bench never fights another server on this machine for a fixed one (--ice-lite says so
# explicitly). --full-ice runs it with --media-ice-lite false instead: a libnice agent and socket per
# connection, and diemcau-load on libnice too. Against Janus (full ICE, which offers the subscribe
# connections) diemcau-load's subscribe connections answer its checks as ICE-lite agents on the same
# minimal client and shared socket as against diemcau (--ice-client auto), so neither server is measured
# through libnice in the generator; the publish connection stays on libnice.
# --settle S (default 3): each fan-out run waits S seconds after its last site is ready before its
# window, so the window sees the steady state and not the backlog the join ramp (50 a second) left
# on a server near its limit; the same for both servers.
# --pacing FACTOR is diemcau-load's video pacing for every run, both servers (default: the tool's own,
# 2.5 x the bitrate like a browser; 0 sends each frame's packets back to back). The JSON summaries
# (media.pacing) and the table say which one was used.
# --receive-every MS (default 1) is diemcau-load's period for reading its sockets, both servers; 0 reads
# them when they become readable. On loopback the sender's system time includes waking the receiver, a
# cost the receiving host pays on a real network: read on a period, the generator never sleeps on its
# socket and neither server is charged for it (docs/PERFORMANCE.md). Every run also takes kernel receive
# timestamps (--arrival-times), and the latency reported is until the copy was queued on the site's
# socket, which leaves out the period's wait.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$repo/build/h-bench
out=$repo/bench-out/janus-vs-diemcau-$(date -u +%Y%m%d-%H%M%S)
duration=10
settle=3
start=25
max=3200
idle=200
skip_janus=0
skip_meeting=0
half_runs=3
diemcau_bin=""
lite_args=(--media-ice-lite true --media-ice-lite-port 0)
load_lite_args=(--ice-client lite)
pacing_args=()
receive_args=(--receive-every 1 --arrival-times)
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --start) start=$2; shift 2 ;;
    --max) max=$2; shift 2 ;;
    --idle) idle=$2; shift 2 ;;
    --skip-janus) skip_janus=1; shift ;;
    --skip-meeting) skip_meeting=1; shift ;;
    --half-runs) half_runs=$2; shift 2 ;;
    --diemcau) diemcau_bin=$2; shift 2 ;;
    --pacing) pacing_args=(--pacing "$2"); shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --receive-every) receive_args=(--receive-every "$2" --arrival-times); shift 2 ;;
    --ice-lite) lite_args=(--media-ice-lite true --media-ice-lite-port 0); load_lite_args=(--ice-client lite); shift ;;
    --full-ice) lite_args=(--media-ice-lite false); load_lite_args=(--ice-client libnice); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
load=$build/tools/load/diemcau-load
diemcau=${diemcau_bin:-$build/server/diemcau}
for f in "$load" "$diemcau"; do [ -x "$f" ] || { echo "$f is not built" >&2; exit 1; }; done
mkdir -p "$out"
log() { echo "[bench] $*" >&2; }

if [ "$skip_janus" = 0 ] && ! command -v janus >/dev/null; then
  log "installing janus (Debian package)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends janus >"$out/apt.log" 2>&1
fi
if [ "$skip_janus" = 0 ]; then
  cc -O2 -shared -fPIC -o "$out/janus-loopback.so" "$repo/tools/bench/janus-loopback-shim.c" -ldl
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

# start_server NAME CORES WORKERS: sets server_pid and server_args (the load generator's target options).
start_server() {
  local name=$1 cores=$2 workers=$3
  stop_server
  local port=$((20000 + RANDOM % 10000))
  while port_open "$port"; do port=$((port + 1)); done
  if [ "$name" = diemcau ]; then
    local data=$out/diemcau-data
    rm -rf "$data"
    taskset -c "$cores" "$diemcau" --listen "127.0.0.1:$port" --data-dir "$data" --media-addresses 127.0.0.1 \
      --media-ports 40000-49999 --workers "$workers" --max-connections 20000 --meeting-max-sites 10000 --log-level warn \
      "${lite_args[@]}" \
      >"$out/diemcau.log" 2>&1 &
    server_pid=$!
    # Against a lite diemcau, the load tool's connections run on its minimal ICE client.
    server_args=(--server "127.0.0.1:$port" --data-dir "$data" "${load_lite_args[@]}")
  else
    rm -rf "$out/janus-config"
    "$repo/tools/bench/janus-config.sh" "$out/janus-config" "$port" 1234
    LD_PRELOAD="$out/janus-loopback.so" taskset -c "$cores" janus -F "$out/janus-config" >"$out/janus.log" 2>&1 &
    server_pid=$!
    server_args=(--target janus --server "127.0.0.1:$port" --janus-room 1234)
  fi
  for _ in $(seq 300); do
    port_open "$port" && break
    kill -0 "$server_pid" 2>/dev/null || { log "$name exited during start-up"; return 1; }
    sleep 0.1
  done
  [ "$name" = diemcau ] && for _ in $(seq 100); do [ -s "$out/diemcau-data/admin.key" ] && break; sleep 0.1; done
  sleep 0.5
}

# run_load NAME FILE LOAD_CORES ARGS...: one diemcau-load run against a fresh server.
run_load() {
  local name=$1 file=$2 cores=$3
  shift 3
  taskset -c "$cores" "$load" "${server_args[@]}" --server-pid "$server_pid" --json "$out/$file" --no-progress \
    "${pacing_args[@]}" "${receive_args[@]}" "$@" 2>"$out/${file%.json}.log" || log "diemcau-load failed for $file (see ${file%.json}.log)"
}

holds() {  # holds FILE: true if the run kept every site, the server lost under 0.5 % and kept up (median < 50 ms)
  python3 - "$1" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(1)
# The hall must also have kept its nominal send rate (20 ms audio + video bitrate / packet size):
# a starved load generator sends less, and its low loss would mean nothing.
m, w = s["media"], s["window"]
nominal = (50 if m["audio"] else 0) + m["hallVideoBitrate"] / 8 / m["videoPacketSize"]
kept_rate = w["seconds"] > 0 and w["sent"] / w["seconds"] >= 0.95 * nominal
# A server whose core is full still loses nothing while its socket's receive buffer fills (diemcau
# asks for 8 MiB, several seconds of a large fan-out): the backlog shows as latency first. Loss alone
# would count such a run as held although a longer one would lose; the median bounds the backlog.
kept_up = s["latencyUs"]["all"]["count"] > 0 and s["latencyUs"]["all"]["p50"] < 50_000
# Datagrams the generator's own sockets dropped (its core busy, as in the join ramp of a large
# fan-out) are the generator's loss, not the server's: serverLossPercent leaves them out.
loss = s.get("serverLossPercent", s["lossPercent"])
sys.exit(0 if s["failedSites"] == 0 and loss < 0.5 and s["joinMs"]["count"] >= s["sites"]
         and kept_rate and kept_up else 1)
PY
}

fanout() {  # fanout SERVER N: one fan-out run; true if it held
  local name=$1 n=$2
  start_server "$name" 1 1
  log "$name fanout $n"
  run_load "$name" "$name-fanout-$n.json" 0 --scenario fanout --sites "$n" --ramp 50 --settle "$settle" \
    --duration "$duration" --join-timeout 20
  stop_server
  holds "$out/$name-fanout-$n.json"
}

# The two searches take turns, one run each, and so do the half-load runs: this machine's speed
# swings by a third within minutes (docs/PERFORMANCE.md), and a server searched in the quarter
# hour after the other's would be measured on a different machine.
servers=(diemcau)
[ "$skip_janus" = 1 ] || servers+=(janus)
declare -A best failed next phase steps
for name in "${servers[@]}"; do
  best[$name]=0 failed[$name]=0 next[$name]=$start phase[$name]=grow steps[$name]=0
done
# search_step NAME: one run of NAME's search. Double from --start until a run fails (or halve until
# one holds when the first fails), then bisect the bracket, at most 5 runs, to within 5 %.
search_step() {
  local name=$1 n=${next[$1]} held=0
  fanout "$name" "$n" && held=1
  if [ "$held" = 1 ]; then best[$name]=$n; else failed[$name]=$n; fi
  if [ "${phase[$name]}" = grow ]; then
    if [ "${failed[$name]}" -gt 0 ] && [ "${best[$name]}" -gt 0 ]; then
      phase[$name]=bisect
    else
      if [ "$held" = 1 ]; then next[$name]=$((n * 2)); else next[$name]=$((n / 2)); fi
      [ "${next[$name]}" -le "$max" ] && [ "${next[$name]}" -ge 1 ] || phase[$name]=done
    fi
  else
    steps[$name]=$((steps[$name] + 1))
  fi
  if [ "${phase[$name]}" = bisect ]; then
    if [ "${steps[$name]}" -ge 5 ] || [ $((failed[$name] - best[$name])) -le $((best[$name] / 20 + 1)) ]; then
      phase[$name]=done
    else
      next[$name]=$(((best[$name] + failed[$name]) / 2))
    fi
  fi
}
while :; do
  searching=0
  for name in "${servers[@]}"; do
    [ "${phase[$name]}" = done ] && continue
    searching=1
    search_step "$name"
  done
  [ "$searching" = 1 ] || break
done
for name in "${servers[@]}"; do echo "${best[$name]}" >"$out/$name-max-fanout.txt"; done

for run in $(seq "$half_runs"); do
  for name in "${servers[@]}"; do
    half=$((best[$name] / 2))
    [ "$half" -ge 1 ] || half=1
    start_server "$name" 1 1
    log "$name fanout at half load ($half), run $run of $half_runs"
    run_load "$name" "$name-half-$run.json" 0 --scenario fanout --sites "$half" --ramp 50 --settle "$settle" \
      --duration "$duration"
    stop_server
  done
  # The same load for both: diemcau at Janus's half load too, so the latency compares like with like.
  if [ "$skip_janus" = 0 ]; then
    half=$((best[janus] / 2))
    [ "$half" -ge 1 ] || half=1
    start_server diemcau 1 1
    log "diemcau fanout at Janus's half load ($half), run $run of $half_runs"
    run_load diemcau "diemcau-equal-$run.json" 0 --scenario fanout --sites "$half" --ramp 50 --settle "$settle" \
      --duration "$duration"
    stop_server
  fi
done
for name in "${servers[@]}"; do
  start_server "$name" 1 1
  log "$name idle $idle"
  run_load "$name" "$name-idle.json" 0 --scenario idle --sites "$idle" --ramp 100 --duration 3
  stop_server
done

if [ "$skip_meeting" = 0 ]; then
  # The two cores are all the machine has: the load generator shares them with the server here.
  start_server diemcau 0,1 2
  log "diemcau meeting 1 hall + 149 sites on 2 cores"
  run_load diemcau diemcau-meeting-150.json 0,1 --scenario meeting --sites 149 --ramp 30 --duration "$duration" \
    --workers 2 --video-bitrate 300000 --hall-video-bitrate 1500000 --join-timeout 30
  stop_server
fi

{
  echo "# machine"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
  echo "kernel: $(uname -r)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "janus: $(dpkg-query -W -f='${Version}' janus 2>/dev/null || echo none)"
  echo "diemcau: $(git -C "$repo" rev-parse --short HEAD)"
} >"$out/machine.txt"
python3 "$repo/tools/bench/bench-table.py" "$out" | tee "$out/table.md"
log "raw results in $out"
