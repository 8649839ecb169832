#!/usr/bin/env bash
# Command 1: install what is missing, build Release, start diemcau with its embedded defaults.
# Extra arguments go to diemcau (e.g. tools/run.sh --listen 0.0.0.0:8443 --tls-self-signed).
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target diemcau diemcauctl -j"$(nproc)"
exec ./build/release/server/diemcau --demo "$@"
