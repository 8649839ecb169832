#!/usr/bin/env bash
# Retransmission under random loss: runs tests/integration/nack_loss.sh (a hall and a site through a
# real diemcau, the site's link losing LOSS % each way, once with the bridge's retransmission on and
# once off) for each loss rate, REPEAT times, and prints one table row per run for docs/PERFORMANCE.md.
#
#   tools/bench/nack_loss.sh BUILD_DIR [REPEAT] [LOSS...]     (default: 1 run of 1 5 10 %)
#
# Needs root (network namespaces, nftables). Each run takes about 40 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: $0 BUILD_DIR [REPEAT] [LOSS...]}
repeat=${2:-1}
shift $(( $# >= 2 ? 2 : 1 ))
losses=("${@:-}")
[ -n "${losses[0]}" ] || losses=(1 5 10)
diemcau=$build/server/diemcau
peer=$build/tests/peers/diemcau-webrtc-peer
out=$(mktemp -d "${TMPDIR:-/tmp}/diemcau-nack-bench.XXXXXX")

echo "| loss | run | nack | hall video at the site: frames / freezes / frozen ms | site video at the hall: frames / freezes / frozen ms | bridge → site: NACKed by it / resent | site → bridge: NACKed / recovered |"
echo "|---:|---:|---|---|---|---|---|"
for loss in "${losses[@]}"; do
  for run in $(seq 1 "$repeat"); do
    result=$out/loss-$loss-$run.json
    # The comparison's verdict is the test's business; here every run's numbers are wanted.
    tests/integration/nack_loss.sh "$diemcau" "$peer" tools/netns-run.sh "$loss" "$result" >"$out/log-$loss-$run.txt" 2>&1 || true
    if [ ! -s "$result" ]; then
      echo "| $loss % | $run | (no result, see $out/log-$loss-$run.txt) | | | | |"
      continue
    fi
    python3 - "$result" "$run" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for mode in ("on", "off"):
    m = r[mode]
    d, u, b = m["down"], m["up"], m.get("bridge", {})
    print(f"| {r['loss']} % | {sys.argv[2]} | {mode} | {d['video_frames']} / {d['video_freezes']} / {d['video_frozen_ms']} "
          f"| {u['video_frames']} / {u['video_freezes']} / {u['video_frozen_ms']} "
          f"| {b.get('nacked_by_site', '-')} / {b.get('resent_to_site', '-')} "
          f"| {b.get('nacked_of_site', '-')} / {b.get('recovered_from_site', '-')} |")
PY
  done
done
echo
echo "logs and results: $out"
