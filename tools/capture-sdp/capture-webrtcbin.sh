#!/usr/bin/env bash
# Builds webrtcbin_offer.cpp and writes the offer of a real GStreamer webrtcbin (VP8 + Opus)
# into tests/data/sdp/webrtcbin-vp8-opus.sdp. Usage: tools/capture-sdp/capture-webrtcbin.sh [outdir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../tests/data/sdp}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2046
c++ -std=c++20 -Wall -Wextra -O1 -o "$work/webrtcbin_offer" "$here/webrtcbin_offer.cpp" \
  $(pkg-config --cflags --libs gstreamer-webrtc-1.0 gstreamer-sdp-1.0 gstreamer-1.0)
"$work/webrtcbin_offer" >"$work/offer.sdp"
grep -q '^v=0' "$work/offer.sdp"
cp "$work/offer.sdp" "$out/webrtcbin-vp8-opus.sdp"
echo "wrote $out/webrtcbin-vp8-opus.sdp (GStreamer $(pkg-config --modversion gstreamer-webrtc-1.0))"
