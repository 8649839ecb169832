#!/usr/bin/env bash
# Captures real Chromium offers (audio+video, and video simulcast with three rids) into tests/data/sdp/.
# Runs offline: headless Chromium, a local page, no network. Usage: tools/capture-sdp/capture-chrome.sh [outdir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../tests/data/sdp}"
profile="$(mktemp -d)"
dom="$(mktemp)"
trap 'rm -rf "$profile" "$dom"' EXIT
timeout 90 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" \
  --use-fake-device-for-media-stream --use-fake-ui-for-media-stream --virtual-time-budget=5000 \
  --dump-dom "file://$here/chrome-offer.html" >"$dom" 2>/dev/null
version="$(chromium --version 2>/dev/null | head -1)"
python3 - "$dom" "$out" "$version" <<'PY'
import html, re, sys
dom, out, version = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(dom, encoding="utf-8").read()
for name, file in (("plain", "chrome-audio-video.sdp"), ("simulcast", "chrome-simulcast.sdp")):
    m = re.search(r'<pre id="%s">(.*?)</pre>' % name, text, re.S)
    if not m or not m.group(1).startswith("v=0"):
        sys.exit("no %s offer in the page: %s" % (name, m.group(1)[:200] if m else "missing"))
    sdp = html.unescape(m.group(1)).replace("\r\n", "\n").strip("\n")
    # Browsers hand SDP over with CRLF line ends (RFC 8866 section 5); keep them.
    with open("%s/%s" % (out, file), "w", encoding="utf-8", newline="") as f:
        f.write("\r\n".join(sdp.split("\n")) + "\r\n")
    print("wrote %s/%s (%s)" % (out, file, version))
PY
