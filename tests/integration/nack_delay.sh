#!/usr/bin/env bash
# Retransmission on a weak link with a real round trip: the nack_loss comparison (the lossy
# meeting, tests/integration/meeting/scenario_lossy.py, once with the bridge's retransmission on
# and once off) with the site behind a link of its own that loses LOSS % of its UDP packets in each
# direction (nftables numgen) and delays every packet by half of RTT_MS each way (a userspace relay,
# udp_delay_relay.py: this kernel has no netem).
#
#   nack_delay.sh DIEMCAU_BIN PEER_BIN NETNS_RUN [LOSS_PERCENT] [RTT_MS] [RESULT_JSON]
#
#   ┌──────────── test namespace (netns-run) ─────────────┐         ┌─── site namespace ───┐
#   │ diemcau (127.0.0.1 and 10.232.0.1)                   │  relay  │ webrtcbin peer xa-a  │
#   │ webrtcbin peer huyen (the hall, loopback)            │ RTT/2   │ 10.232.0.2 (dlt1)    │
#   │ dlt0 10.232.0.1 (nft: LOSS % of arriving UDP dropped) ◄────────►│ (the same on dlt1)   │
#   └──────────────────────────────────────────────────────┘         └──────────────────────┘
#
# Both peers' jitter buffers hold RTT + 200 ms (site_peer.sh), in both runs: a repair takes a round
# trip, and a receiver that gives a packet up sooner has no use for it (browsers size their
# buffers from the round trip they measure). Each meeting lasts 18 s: joining over the round trip
# takes a few seconds of it.
#
# Asserted: with retransmission on, the site's video at the hall (repaired by the bridge's NACKs to
# the site across the round trip) is frozen clearly less than with it off (at most 0.6 of the
# frozen time, at least 1.2 times the frames decoded); the site hears the hall's audio in both runs
# (the scenario's own check). The hall's video at the site is reported only, as in nack_loss.sh. Exit 77: skipped.
# DIEMCAU_KEEP_DATA=1 keeps the logs; RESULT_JSON receives both runs' metrics.
set -euo pipefail

if [ "${1:-}" != "--inside" ]; then
  [ $# -ge 3 ] || { echo "usage: $0 DIEMCAU_BIN PEER_BIN NETNS_RUN [LOSS_PERCENT] [RTT_MS] [RESULT_JSON]" >&2; exit 2; }
  diemcau=$1 peer=$2 netns_run=$3 loss=${4:-5} rtt=${5:-200} result=${6:-}
  for f in "$diemcau" "$peer" "$netns_run"; do
    [ -x "$f" ] || { echo "SKIP: $f is not built/executable" >&2; exit 77; }
  done
  command -v python3 >/dev/null || { echo "SKIP: python3 is missing" >&2; exit 77; }
  command -v nft >/dev/null || { echo "SKIP: nft (nftables) is missing" >&2; exit 77; }
  [ -c /dev/net/tun ] || { echo "SKIP: /dev/net/tun is missing (the delay relay needs TUN devices)" >&2; exit 77; }
  exec "$netns_run" "diemcau-nackd-$$" -- "$0" --inside "$diemcau" "$peer" "$loss" "$rtt" "$result"
fi

shift
diemcau=$1 peer=$2 loss=$3 rtt=$4 result=$5
here=$(cd "$(dirname "$0")" && pwd)
site_ns="diemcau-nackd-site-$$"
relay_pid=""
outputs=$(mktemp -d "${TMPDIR:-/tmp}/diemcau-nackd.XXXXXX")
# shellcheck source=tests/integration/diemcau-server.sh
. "$here/diemcau-server.sh"
cleanup() {
  diemcau_cleanup
  [ -z "$relay_pid" ] || { kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; }
  local pids
  pids=$(ip netns pids "$site_ns" 2>/dev/null || true)
  [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
  ip netns delete "$site_ns" 2>/dev/null || true
  rm -rf "$outputs"
}
trap cleanup EXIT

if ! ip netns add "$site_ns" 2>/dev/null; then
  echo "SKIP: cannot create the site's network namespace" >&2
  exit 77
fi
ip netns exec "$site_ns" ip link set lo up
python3 -B "$here/udp_delay_relay.py" --near dlt0 --far dlt1 --far-netns "$site_ns" \
    --delay-ms "$((rtt / 2))" --ready "$outputs/relay.ready" 2>"$outputs/relay.log" &
relay_pid=$!
for _ in $(seq 50); do [ -s "$outputs/relay.ready" ] && break; sleep 0.1; done
if [ ! -s "$outputs/relay.ready" ]; then
  echo "SKIP: the delay relay cannot create its TUN devices: $(cat "$outputs/relay.log")" >&2
  exit 77
fi
ip addr add 10.232.0.1 peer 10.232.0.2 dev dlt0
ip link set dlt0 up
ip netns exec "$site_ns" ip addr add 10.232.0.2 peer 10.232.0.1 dev dlt1
ip netns exec "$site_ns" ip link set dlt1 up

# UDP only (ICE, DTLS, SRTP); the site's WebSocket is delayed but not lossy, as TCP would repair it.
# Dropped where each direction arrives (input hooks): an output drop would fail the sender's
# sendmsg() with EPERM, which no real network does.
loss_rules() {  # loss_rules DEVICE
  cat <<NFT
table inet diemcau_delay_loss {
  chain in {
    type filter hook input priority 0; policy accept;
    iifname "$1" meta l4proto udp numgen random mod 100 < $loss drop
  }
}
NFT
}
if ! loss_rules dlt0 | nft -f - || ! loss_rules dlt1 | ip netns exec "$site_ns" nft -f -; then
  echo "SKIP: nftables rules cannot be loaded here" >&2
  exit 77
fi

diemcau_listen_host=0.0.0.0
diemcau_media_addresses=127.0.0.1,10.232.0.1
run_once() {  # run_once true|false
  local nack=$1 status=0
  export DIEMCAU_NACK=$nack
  if ! diemcau_start "$diemcau"; then
    diemcau_dump_log
    return 1
  fi
  PEER_BIN=$peer SITE_NS=$site_ns SITE_URL="ws://10.232.0.1:$DIEMCAU_PORT/ws" SITE_ADDRESS=10.232.0.2 \
    JITTER_LATENCY_MS=$((rtt + 200)) NACK_LOSS_DURATION=${NACK_LOSS_DURATION:-18} python3 -B "$here/meeting/run.py" lossy --peer "$here/site_peer.sh" --port "$DIEMCAU_PORT" \
      --data-dir "$DIEMCAU_DATA" --lsan-supp "$here/../peers/lsan.supp" || status=$?
  cp "$DIEMCAU_DATA/metrics-lossy.json" "$outputs/nack-$nack.json" 2>/dev/null || status=1
  if [ "$status" -ne 0 ]; then
    diemcau_dump_peer_logs
    diemcau_dump_log
  fi
  diemcau_stop
  cp "$DIEMCAU_LOG" "$outputs/server-$nack.log" 2>/dev/null || true
  diemcau_cleanup
  unset DIEMCAU_NACK
  return "$status"
}

status=0
echo "== loss $loss %, round trip $rtt ms, retransmission on" >&2
run_once true || status=1
echo "== loss $loss %, round trip $rtt ms, retransmission off" >&2
run_once false || status=1
kill "$relay_pid" 2>/dev/null || true
wait "$relay_pid" 2>/dev/null || true
relay_pid=""
cat "$outputs/relay.log" >&2
[ "$status" -eq 0 ] || exit 1

python3 - "$outputs" "$loss" "$rtt" "$result" <<'PY'
import json, re, sys
outputs, loss, rtt, result = sys.argv[1:5]

def load(nack):
    metrics = json.load(open(f"{outputs}/nack-{nack}.json"))
    # The bridge's own counts for the site, logged as it leaves (bridge/room/Participant.cpp).
    for line in open(f"{outputs}/server-{nack}.log", errors="replace"):
        if m := re.search(r"room participant xa-a: retransmission from it: NACKed of it (\d+), recovered (\d+)", line):
            metrics["bridge"] = {"nacked_of_site": int(m[1]), "recovered_from_site": int(m[2])}
    return metrics

on, off = load("true"), load("false")
for name, m in (("on", on), ("off", off)):
    print(f"loss {loss} %, RTT {rtt} ms, retransmission {name}: site video at the hall {m['up']['video_frames']} frames, "
          f"{m['up']['video_freezes']} freezes ({m['up']['video_frozen_ms']} ms); hall video at the site "
          f"{m['down']['video_frames']} frames, {m['down']['video_freezes']} freezes ({m['down']['video_frozen_ms']} ms); "
          f"audio {m['down_audio_flowing_seconds']}; bridge {m.get('bridge')}")
if result:
    with open(result, "w") as f:
        json.dump({"loss": int(loss), "rtt_ms": int(rtt), "on": on, "off": off}, f)
# Repairs take a round trip, so a repaired loss still shows as a short freeze (longer than 150 ms):
# the count of freezes says little; the time frozen and the frames decoded say how much was saved.
up_on, up_off = on["up"], off["up"]
failures = []
if not up_on["video_frozen_ms"] <= 0.6 * up_off["video_frozen_ms"]:
    failures.append("retransmission did not clearly reduce the frozen time of the site's video")
if not up_on["video_frames"] >= 1.2 * up_off["video_frames"]:
    failures.append("retransmission did not clearly raise the frames of the site's video decoded at the hall")
for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
PY
