#!/usr/bin/env bash
# Command 2: install what is missing, build, and run every test:
#   1. Release build: unit, integration (webrtcbin in a network namespace) and browser (headless Chromium) tests
#   2. ASan+UBSan build: the unit tests again
#   3. clang/libFuzzer build: a short smoke run of every fuzz target
# Set DIEMCAU_TEST_STAGES="release asan fuzz" to choose stages.
# The weak-link comparisons gate too, as meeting-e2e tests: the simulcast one under a 300 kbit/s cap
# (browser.weak_link, label weak-link: `ctest --preset release -L weak-link` runs it alone) and the
# retransmission one across a 200 ms round trip (integration.nack_delay).
set -euo pipefail
cd "$(dirname "$0")/.."
DIEMCAU_WITH_BROWSER=1 ./tools/install-deps.sh
jobs=$(nproc)
stages=${DIEMCAU_TEST_STAGES:-release asan fuzz}
# The tests start diemcau, which refuses DIEMCAU_* variables it does not know.
unset DIEMCAU_TEST_STAGES
start=$(date +%s)
for stage in $stages; do
  echo "=== stage: $stage ($(( $(date +%s) - start ))s elapsed)"
  cmake --preset "$stage" >/dev/null
  if [ "$stage" = asan ]; then
    cmake --build --preset asan --target unit_tests -j"$jobs"
  else
    cmake --build --preset "$stage" -j"$jobs"
  fi
  case "$stage" in
    # Unit tests run in parallel; tests that start servers or browsers run one at a time.
    release)
      ctest --preset release -L unit -j"$jobs"
      ctest --preset release -LE "unit|meeting-e2e"
      # Whole meetings (five or six real peers on two cores) hold timing limits such as "a late
      # joiner decodes within one second": a failed one gets one more try, and a second failure fails.
      ctest --preset release -L meeting-e2e --repeat until-pass:2 ;;
    asan)
      ctest --preset asan -j"$jobs" ;;
    fuzz)
      ctest --preset fuzz -j"$jobs" ;;
  esac
done
echo "=== all stages passed in $(( $(date +%s) - start ))s"
