#!/usr/bin/env bash
# Runs one fuzz target for a long time: tools/fuzz.sh fuzz_rtp 3600 [extra libFuzzer flags]
# Findings (crash-*, leak-*, timeout-*) land in build/fuzz/findings/<target>/; keep each as a seed in
# tests/fuzz/corpus/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: tools/fuzz.sh TARGET SECONDS [libFuzzer flags]}
seconds=${2:-600}
shift 2 || shift $#
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "$target" -j"$(nproc)"
work=build/fuzz/long-corpus/$target findings=build/fuzz/findings/$target
mkdir -p "$work" "$findings"
exec "build/fuzz/tests/fuzz/$target" -max_total_time="$seconds" -artifact_prefix="$findings/" \
  -jobs="$(nproc)" -workers="$(nproc)" "$@" "$work" "tests/fuzz/corpus/$target"
