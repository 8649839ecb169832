#!/usr/bin/env bash
# Captures real Firefox ESR offers into tests/data/sdp/. Headless Firefox loads a page from a loopback-only
# capture server and posts the offers back to it; nothing leaves 127.0.0.1.
# Usage: tools/capture-sdp/capture-firefox.sh [outdir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(cd "${1:-$here/../../tests/data/sdp}" && pwd)"
profile="$(mktemp -d)"
cat >"$profile/user.js" <<'PREFS'
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("app.update.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("media.peerconnection.ice.obfuscate_host_addresses", false);
PREFS
version="$(firefox-esr --version 2>/dev/null | head -1)"
server_pid=""; firefox_pid=""
cleanup() {
  [ -n "$firefox_pid" ] && kill "$firefox_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$profile"
}
trap cleanup EXIT
python3 "$here/capture_server.py" "$here/firefox-offer.html" "$out" firefox "$version" >"$profile/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$profile/port" ] && break; sleep 0.1; done
port="$(head -1 "$profile/port")"
MOZ_HEADLESS=1 firefox-esr --headless --no-remote --profile "$profile" "http://127.0.0.1:$port/page.html" \
  >/dev/null 2>&1 &
firefox_pid=$!
# The server exits once both offers arrived (or after its own timeout).
wait "$server_pid"; status=$?; server_pid=""
exit "$status"
