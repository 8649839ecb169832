#!/usr/bin/env bash
# Builds diemcau-bench-packet with the release preset and prints its tables with the machine they ran on.
# Extra arguments go to the benchmark (e.g. --benchmark_filter=Forward --benchmark_repetitions=5).
# Set DIEMCAU_BENCH_BINARY to run an already built binary instead of building the preset.
set -euo pipefail
cd "$(dirname "$0")/../.."

binary=${DIEMCAU_BENCH_BINARY:-}
if [[ -z "$binary" ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target diemcau-bench-packet
  binary=./build/release/tools/bench/diemcau-bench-packet
fi

echo "=== machine"
echo "cpu:      $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "flags:    $(grep -m1 '^flags' /proc/cpuinfo | grep -o -w -E 'aes|pclmulqdq|avx2|vaes|vpclmulqdq' | sort -u | tr '\n' ' ')"
echo "nproc:    $(nproc)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kernel:   $(uname -srm)"
compiler=$(grep -m1 '^CMAKE_CXX_COMPILER:' build/release/CMakeCache.txt 2>/dev/null | cut -d= -f2- || true)
echo "compiler: $("${compiler:-c++}" --version | head -n1)"
echo "libsrtp2: $(pkg-config --modversion libsrtp2 2>/dev/null || echo unknown)"
echo "openssl:  $(pkg-config --modversion openssl 2>/dev/null || echo unknown)"
echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo

# Pin to one core so the scheduler does not move the loop between caches mid-run.
pin=()
if command -v taskset >/dev/null && taskset -c 1 true 2>/dev/null; then
  pin=(taskset -c 1)
  echo "=== pinned to CPU 1"
fi
exec "${pin[@]}" "$binary" --benchmark_format=console --benchmark_counters_tabular=true "$@"
