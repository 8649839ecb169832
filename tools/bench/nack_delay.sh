#!/usr/bin/env bash
# Retransmission across a real round trip: runs tests/integration/nack_delay.sh (a hall on loopback
# and a site in its own namespace behind a delay relay, LOSS % loss each way, once with the
# bridge's retransmission on and once off, both peers receiving as a browser does) for each loss
# rate and round trip, REPEAT times, and prints one table row per run and mode for
# docs/PERFORMANCE.md. A run whose verdict fails still gives its row: here the numbers are wanted.
#
#   tools/bench/nack_delay.sh BUILD_DIR [REPEAT] [RTT_MS...]    (LOSSES="1 5 10" by default)
#
# Defaults: 1 run, round trips 200 and 0 ms (0: the same path through the relay, no delay).
# Run N uses the relay's loss pattern N (NACK_DELAY_SEED): the two modes of a run lose the same
# media, and the runs sample different patterns (SEED_BASE=K starts at pattern K + 1).
# Needs root (network namespaces, TUN). Each run takes about 45 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: $0 BUILD_DIR [REPEAT] [RTT_MS...]}
repeat=${2:-1}
shift $(( $# >= 2 ? 2 : 1 ))
rtts=("${@:-}")
[ -n "${rtts[0]}" ] || rtts=(200 0)
read -r -a losses <<<"${LOSSES:-1 5 10}"
diemcau=$build/server/diemcau
peer=$build/tests/peers/diemcau-webrtc-peer
out=$(mktemp -d "${TMPDIR:-/tmp}/diemcau-nack-delay-bench.XXXXXX")

echo "| RTT | loss | run | nack | site video at the hall: frames / freezes / frozen ms | missing / repaired / given up (median repair ms) | hall video at the site: frames / freezes / frozen ms | missing / repaired / given up (median repair ms) | verdict |"
echo "|---:|---:|---:|---|---|---|---|---|---|"
for rtt in "${rtts[@]}"; do
  for loss in "${losses[@]}"; do
    for run in $(seq 1 "$repeat"); do
      result=$out/rtt-$rtt-loss-$loss-$run.json
      log=$out/log-$rtt-$loss-$run.txt
      verdict=pass
      NACK_DELAY_SEED=$(( ${SEED_BASE:-0} + run )) \
        tests/integration/nack_delay.sh "$diemcau" "$peer" tools/netns-run.sh "$loss" "$rtt" "$result" >"$log" 2>&1 ||
        verdict="fail: $(sed -n 's/^FAIL: //p' "$log" | head -1)"
      if [ ! -s "$result" ]; then
        echo "| $rtt ms | $loss % | $run | (no result, see $log) | | | | | |"
        continue
      fi
      python3 - "$result" "$run" "$verdict" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for mode in ("on", "off"):
    m = r[mode]
    cells = []
    for direction in ("up", "down"):
        v, p = m[direction], m[direction]["repairs"]
        cells.append(f"{v['video_frames']} / {v['video_freezes']} / {v['video_frozen_ms']}")
        cells.append(f"{p['missing']} / {p['repaired']} / {p['given_up']} ({p['repair_ms_median']})")
    verdict = sys.argv[3] if mode == "on" else ""
    print(f"| {r['rtt_ms']} ms | {r['loss']} % | {sys.argv[2]} | {mode} | " + " | ".join(cells) + f" | {verdict} |")
PY
    done
  done
done
echo
echo "logs and results: $out"
