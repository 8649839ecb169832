#!/usr/bin/env bash
# Stands in for diemcau-webrtc-peer when a test puts its sites behind their own link: the peer
# started with `--role-hint site` runs in network namespace SITE_NS, reaches the bridge at SITE_URL
# and gathers ICE candidates on SITE_ADDRESS only; every other peer (the hall) runs unchanged.
#
#   PEER_BIN=... SITE_NS=... SITE_URL=ws://ADDR:PORT/ws SITE_ADDRESS=ADDR [JITTER_LATENCY_MS=MS] [BROWSER_LIKE=1] \
#     site_peer.sh PEER-ARGS...
#
# JITTER_LATENCY_MS, when set, gives every peer that jitter buffer latency (unless its arguments
# name one): a receiver across a long round trip must wait that long for a repair to be of use,
# as a browser's jitter buffer grows with the round trip it measures.
# The meeting scenarios (tests/integration/meeting) take this script as their --peer, so a
# scenario written for loopback runs unchanged over the link (nack_delay.sh).
set -euo pipefail
: "${PEER_BIN:?}" "${SITE_NS:?}" "${SITE_URL:?}" "${SITE_ADDRESS:?}"

site=0
latency=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[i]}" = "--role-hint" ] && [ "${args[i + 1]:-}" = "site" ]; then site=1; fi
  if [ "${args[i]}" = "--jitter-latency" ]; then latency=1; fi
done
if [ -n "${JITTER_LATENCY_MS:-}" ] && [ "$latency" = 0 ]; then args+=(--jitter-latency "$JITTER_LATENCY_MS"); fi
# BROWSER_LIKE=1: every peer receives as a browser does. It counts video frames when they would be
# shown (their timestamp plus that latency), not when decoded: a packet repaired within the latency
# then costs no freeze, which is the point of the latency. And its NACKs leave at once (within
# ~50 ms) instead of waiting for GStreamer's RTCP report interval (0.3-1 s), which alone made most
# repairs across a 200 ms round trip miss the jitter buffer's deadline.
# And a video stuck after an unrepaired loss asks for a keyframe again until it gets one
# (--keyframe-watchdog), where webrtcbin's depayloader asks once and a lost PLI froze it for seconds.
if [ "${BROWSER_LIKE:-0}" = 1 ]; then args+=(--render-at-playout --prompt-feedback --keyframe-watchdog); fi
[ "$site" = 1 ] || exec "$PEER_BIN" "${args[@]}"

for ((i = 0; i + 1 < ${#args[@]}; i++)); do
  if [ "${args[i]}" = "--url" ]; then args[i + 1]=$SITE_URL; fi
done
exec ip netns exec "$SITE_NS" "$PEER_BIN" "${args[@]}" --ice-address "$SITE_ADDRESS"
