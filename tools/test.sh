#!/usr/bin/env bash
# Command 2: install what is missing, build, and run every test:
#   1. Release build: integration (webrtcbin in a network namespace) and browser (headless Chromium) tests
#   2. ASan+UBSan build: the unit tests
#   3. clang/libFuzzer build: a short smoke run of every fuzz target
# Each stage builds in its own preset (ci-release, ci-asan, ci-fuzz: build/ci-*), which leaves out
# what its tests do not need: debug information beyond line tables, and the unit tests in Release
# (they run under the sanitizers, where they find more). That keeps CI within its 40 minutes.
# Set DIEMCAU_TEST_STAGES="release asan fuzz" to choose stages. While a stage's tests run (but
# not the whole-meeting ones), the next stage builds beside them under SCHED_IDLE
# (build/prebuild.log). The sanitizer stage builds with clang and lld, in about two thirds of
# GCC's time with the sanitizers; the release stage keeps GCC, so CI builds with both.
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
elapsed() { echo "$(( $(date +%s) - start ))s"; }

build_stage() {  # stage: configure and build what its tests need
  local preset="ci-$1"
  cmake --preset "$preset" >/dev/null
  if [ "$1" = asan ]; then
    cmake --build --preset "$preset" --target unit_tests -j"$jobs"
  else
    cmake --build --preset "$preset" -j"$jobs"
  fi
}

# The release stage's tests run real peers and browsers in real time and leave much of the CPU
# idle, so the next stage's build runs beside them under SCHED_IDLE: the scheduler gives it only
# the time no test wants, and a waking test process preempts it at once.
prebuilt=""
prebuild_pid=""
prebuild_log=build/prebuild.log
start_prebuild() {  # stage
  mkdir -p build
  # A session of its own, so that a failing stage can stop it with all its compilers.
  setsid chrt --idle 0 bash -c "set -euo pipefail; $(declare -f build_stage); jobs=$jobs; build_stage $1" \
    >"$prebuild_log" 2>&1 &
  prebuild_pid=$!
  prebuilt=$1
}
pause_prebuild() {  # STOP or CONT
  if [ -n "$prebuilt" ] && [ -n "$prebuild_pid" ]; then kill "-$1" -- "-$prebuild_pid" 2>/dev/null || true; fi
}
stop_prebuild() {
  if [ -n "$prebuilt" ] && [ -n "$prebuild_pid" ]; then
    kill -- "-$prebuild_pid" 2>/dev/null || true
    kill -CONT -- "-$prebuild_pid" 2>/dev/null || true  # a stopped process takes its TERM when it runs
  fi
}
trap stop_prebuild EXIT

set -- $stages
while [ $# -gt 0 ]; do
  stage=$1; shift
  next=${1:-}
  preset="ci-$stage"
  echo "=== stage: $stage ($(elapsed) elapsed)"
  if [ "$prebuilt" = "$stage" ]; then
    status=0
    wait "$prebuild_pid" || status=$?
    prebuilt=""
    tail -n 3 "$prebuild_log"
    if [ "$status" != 0 ]; then cat "$prebuild_log"; exit "$status"; fi
    # What the idle-time build left undone (nothing, or its last steps) at full speed.
  fi
  build_stage "$stage"
  echo "=== $stage built ($(elapsed) elapsed)"
  case "$stage" in
    # Tests that start servers or browsers run one at a time; unit tests and fuzz smokes in parallel.
    release)
      [ -n "$next" ] && start_prebuild "$next"
      ctest --preset "$preset" -LE meeting-e2e --no-tests=error
      # Whole meetings (five or six real peers on two cores) hold timing limits such as "a late
      # joiner decodes within one second": a failed one gets one more try, and a second failure fails.
      # They run alone: even an idle-class build beside them made the 300 kbit/s simulcast
      # comparison (browser.weak_link) fail twice, its hall's encoder starved of cache and time.
      pause_prebuild STOP
      ctest --preset "$preset" -L meeting-e2e --repeat until-pass:2 --no-tests=error
      pause_prebuild CONT ;;
    asan)
      [ -n "$next" ] && start_prebuild "$next"
      ctest --preset "$preset" -j"$jobs" --no-tests=error ;;
    fuzz)
      ctest --preset "$preset" -j"$jobs" --no-tests=error ;;
  esac
  echo "=== $stage tested ($(elapsed) elapsed)"
done
echo "=== all stages passed in $(elapsed)"
