#!/usr/bin/env bash
# Hands headless Chromium (and Firefox ESR when installed) the bridge's answer to the browser's own
# live offer, audio+video and simulcast, and fails unless the browser accepts it. Loopback only.
# Usage: tools/capture-sdp/check-browser-answers.sh [path/to/answer_offer]
# Without an argument answer_offer.cpp is compiled here from media/sdp/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
work="$(mktemp -d)"
server_pid=""; browser_pid=""
cleanup() {
  [ -n "$browser_pid" ] && kill "$browser_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
if ! command -v chromium >/dev/null; then
  echo "chromium is not installed (tools/install-deps.sh with DIEMCAU_WITH_BROWSER=1): skipped" >&2
  exit 77
fi
tool="${1:-}"
if [ -z "$tool" ]; then
  tool="$work/answer_offer"
  # shellcheck disable=SC2046
  c++ -std=c++20 -O1 -I"$root" -o "$tool" "$here/answer_offer.cpp" "$root"/media/sdp/*.cpp \
    $(pkg-config --cflags --libs gstreamer-sdp-1.0 gstreamer-1.0)
fi

run_browser() {  # name, command...
  local name="$1"; shift
  : >"$work/port"
  python3 "$here/answer_server.py" "$here/answer-check.html" "$tool" >"$work/port" 2>"$work/report-$name" &
  server_pid=$!
  for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
  local url="http://127.0.0.1:$(head -1 "$work/port")/check.html"
  "$@" "$url" >/dev/null 2>&1 &
  browser_pid=$!
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  kill "$browser_pid" 2>/dev/null || true
  wait "$browser_pid" 2>/dev/null || true
  browser_pid=""
  echo "== $name: $([ "$status" = 0 ] && echo accepted || echo FAILED)"
  cat "$work/report-$name"
  return "$status"
}

mkdir -p "$work/chromium"
failed=0
run_browser chromium chromium --headless --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/chromium" || failed=1
if command -v firefox-esr >/dev/null; then
  mkdir -p "$work/firefox"
  echo 'user_pref("browser.shell.checkDefaultBrowser", false);' >"$work/firefox/user.js"
  MOZ_HEADLESS=1 run_browser firefox firefox-esr --headless --no-remote --profile "$work/firefox" || failed=1
fi
exit "$failed"
