#!/usr/bin/env bash
# Browser test: headless Chromium runs the client in signaling/web/ against a real diemcau.
#
#   run.sh DIEMCAU_BIN NETNS_RUN [TEST.mjs]      (default: echo.test.mjs)
#
# The test gets DIEMCAU_URL and DIEMCAU_DATA (the server's data directory, with admin.key).
# Installs the pinned playwright-core with `npm ci` (outside the namespace, which has no
# route to the registry), then starts diemcau and Chromium together in a loopback-only
# namespace. Exit 77 (skipped) when chromium, node or npm are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" != "--inside" ]; then
  [ $# -eq 2 ] || [ $# -eq 3 ] || { echo "usage: $0 DIEMCAU_BIN NETNS_RUN [TEST.mjs]" >&2; exit 2; }
  diemcau=$1 netns_run=$2 test=${3:-echo.test.mjs}
  [ -f "$here/$test" ] || { echo "no such test: $here/$test" >&2; exit 2; }
  for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed" >&2; exit 77; }
  done
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "SKIP: chromium not installed" >&2; exit 77; }
  [ -x "$diemcau" ] || { echo "SKIP: $diemcau is not built" >&2; exit 77; }
  if ! (cd "$here" && npm ci --prefer-offline --no-audit --no-fund >/dev/null); then
    if [ ! -d "$here/node_modules/playwright-core" ]; then
      echo "SKIP: npm ci failed and playwright-core is not installed" >&2
      exit 77
    fi
    echo "npm ci failed; using the playwright-core already in node_modules" >&2
  fi
  exec "$netns_run" "diemcau-browser-$$" -- "$0" --inside "$diemcau" "$test"
fi

diemcau=$2 test=$3
# shellcheck source=tests/integration/diemcau-server.sh
. "$here/../integration/diemcau-server.sh"
trap diemcau_cleanup EXIT
if ! diemcau_start "$diemcau"; then
  diemcau_dump_log
  exit 1
fi
set +e
DIEMCAU_URL="http://127.0.0.1:$DIEMCAU_PORT" DIEMCAU_DATA="$DIEMCAU_DATA" node "$here/$test"
status=$?
set -e
if [ "$status" -eq 1 ]; then
  diemcau_dump_log
fi
exit "$status"
