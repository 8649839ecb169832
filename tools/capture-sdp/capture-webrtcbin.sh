#!/usr/bin/env bash
# Builds webrtcbin_offer.cpp and writes, from a real GStreamer webrtcbin:
#   webrtcbin-vp8-opus.sdp               its offer for a VP8 + Opus sender;
#   webrtcbin-answer-to-bridge-offer.sdp its answer to bridge-subscriber-offer.sdp, the offer the
#                                        bridge's createOffer makes (built here from media/sdp/).
# Usage: tools/capture-sdp/capture-webrtcbin.sh [outdir]
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

root="$here/../.."
# shellcheck disable=SC2046
c++ -std=c++20 -O1 -I"$root" -o "$work/bridge_offer" "$here/bridge_offer.cpp" "$root"/media/sdp/*.cpp \
  $(pkg-config --cflags --libs gstreamer-sdp-1.0 gstreamer-1.0)
"$work/bridge_offer" >"$out/bridge-subscriber-offer.sdp"
"$work/webrtcbin_offer" --answer "$out/bridge-subscriber-offer.sdp" >"$work/answer.sdp"
grep -q '^v=0' "$work/answer.sdp"
cp "$work/answer.sdp" "$out/webrtcbin-answer-to-bridge-offer.sdp"
echo "wrote $out/bridge-subscriber-offer.sdp and $out/webrtcbin-answer-to-bridge-offer.sdp"
