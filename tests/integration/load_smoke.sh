#!/usr/bin/env bash
# Smoke run of diemcau-load against a real diemcau: each scenario (fanout, meeting, churn) for a
# few seconds at low load on loopback, asserting that every site joined and received media, that
# the fan-out delivered every packet to every subscriber, and that nothing was lost or duplicated.
#
#   load_smoke.sh DIEMCAU_BIN LOAD_BIN NETNS_RUN
#
# Runs in a fresh network namespace with only lo up. Exit 77: skipped. DIEMCAU_KEEP_DATA=1 keeps
# the server log and the JSON summaries. LOAD_SMOKE_ICE_CLIENT sets the load tool's --ice-client
# (default auto: the subscribe connections run on its minimal ICE client, which checks the default
# ICE-lite server and, against a full-ICE server (DIEMCAU_MEDIA_ICE_LITE=false), answers its checks
# as an ICE-lite agent; the publish ones on libnice; lite: all on the client). The check follows. LOAD_SMOKE_CLIENT_SOCKETS sets
# --client-sockets (default auto: the client's connections share one loopback socket per worker,
# each on an address of its own; own: a socket per connection). LOAD_SMOKE_RECEIVE_EVERY sets
# --receive-every (default 0: the shared socket read when readable; N: every N ms).
set -euo pipefail

if [ "${1:-}" != "--inside" ]; then
  [ $# -ge 3 ] || { echo "usage: $0 DIEMCAU_BIN LOAD_BIN NETNS_RUN" >&2; exit 2; }
  diemcau=$1 load=$2 netns_run=$3
  for f in "$diemcau" "$load" "$netns_run"; do
    [ -x "$f" ] || { echo "SKIP: $f is not built/executable" >&2; exit 77; }
  done
  command -v python3 >/dev/null || { echo "SKIP: python3 is missing" >&2; exit 77; }
  exec "$netns_run" "diemcau-load-smoke-$$" -- "$0" --inside "$diemcau" "$load"
fi

shift
diemcau=$1 load=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/diemcau-server.sh
. "$here/diemcau-server.sh"
trap diemcau_cleanup EXIT

if ! diemcau_start "$diemcau"; then
  diemcau_dump_log
  exit 1
fi

run_scenario() {
  local scenario=$1 sites=$2
  shift 2
  local out=$DIEMCAU_DATA/load-$scenario.json
  local ice_client=${LOAD_SMOKE_ICE_CLIENT:-auto}
  local client_sockets=${LOAD_SMOKE_CLIENT_SOCKETS:-auto}
  local receive_every=${LOAD_SMOKE_RECEIVE_EVERY:-0}
  echo "--- $scenario: $sites sites, --ice-client $ice_client --client-sockets $client_sockets" >&2
  if ! "$load" --server "127.0.0.1:$DIEMCAU_PORT" --data-dir "$DIEMCAU_DATA" --scenario "$scenario" \
       --sites "$sites" --ramp 20 --duration 3 --drain 1 --join-timeout 15 --no-progress \
       --id-prefix "smoke-$scenario" --server-pid "$DIEMCAU_PID" --json "$out" --ice-client "$ice_client" \
       --client-sockets "$client_sockets" --receive-every "$receive_every" "$@"; then
    echo "FAIL: diemcau-load $scenario exited with an error" >&2
    return 1
  fi
  python3 - "$out" "$scenario" "$sites" "$ice_client" "${DIEMCAU_MEDIA_ICE_LITE:-true}" "$client_sockets" \
      "$receive_every" <<'PY'
import json, sys
path, scenario, sites, ice_client, server_lite, client_sockets = sys.argv[1:3] + [int(sys.argv[3])] + sys.argv[4:7]
receive_every = int(sys.argv[7])
s = json.load(open(path))
errors = []
def check(ok, what):
    if not ok:
        errors.append(what)
check(s["failedSites"] == 0, f"failed sites: {s['failedSites']} {s['failures']}")
for kind in ("audio", "video"):
    k = s[kind]
    check(k["sent"] > 0, f"{kind}: nothing sent")
    check(k["received"] > 0, f"{kind}: nothing received")
    check(k["lost"] == 0, f"{kind}: {k['lost']} packets lost")
    check(k["duplicates"] == 0, f"{kind}: {k['duplicates']} duplicates")
check(s["unstampedPackets"] == 0, f"{s['unstampedPackets']} packets without a stamp")
ice = s["iceClient"]
if ice_client == "lite":
    check(ice["clientConnections"] > 0 and ice["libniceConnections"] == 0,
          f"connections on the minimal ICE client / libnice: {ice['clientConnections']} / {ice['libniceConnections']}")
elif ice_client == "auto":
    # The subscribe connections on the client (checking a lite bridge, answering a full one's checks),
    # the publish ones on libnice.
    check(ice["clientConnections"] > 0 and ice["libniceConnections"] > 0,
          f"connections on the minimal ICE client / libnice: {ice['clientConnections']} / {ice['libniceConnections']}")
else:
    check(ice["clientConnections"] == 0, f"{ice['clientConnections']} connections on the minimal ICE client")
# The lite role is for a full-ICE bridge's offers, and only for those.
lite_role = ice["clientLiteConnections"]
if server_lite == "true":
    check(lite_role == 0, f"{lite_role} connections answered a lite bridge as ICE-lite")
elif ice_client == "auto":
    check(lite_role == ice["clientConnections"] > 0, f"lite-role connections {lite_role} of {ice['clientConnections']}")
if ice["clientConnections"] > 0:
    # auto in this namespace (loopback, root): one shared socket, every datagram claimed by an address.
    shared = client_sockets != "own"
    check((ice["sharedSockets"] > 0) == shared, f"shared sockets: {ice['sharedSockets']} with --client-sockets {client_sockets}")
    # Only churn may leave datagrams for addresses nobody holds: in flight to a site that had left.
    reads = ice["reads"]
    check(reads["datagrams"] > 0 and reads["truncated"] == 0 and (reads["unclaimed"] == 0 or scenario == "churn"),
          f"client reads: {reads}")
    # Its own sockets' drop count is read, and at this load nothing overflows them.
    drops = s.get("generatorDrops", {})
    check(drops.get("run") == 0 and drops.get("window") == 0, f"generator's socket drops: {drops}")
    check(s["serverLossPercent"] == s["lossPercent"] == 0, f"loss {s['lossPercent']} %, server's {s['serverLossPercent']} %")
check(ice["receiveEveryMs"] == receive_every, f"read every {ice['receiveEveryMs']} ms, asked {receive_every}")
check(s["latencyUs"]["all"]["count"] > 0, "no latency samples")
if scenario == "churn":
    check(s["replacedSites"] >= 3, f"only {s['replacedSites']} sites replaced")
    check(s["joinMs"]["count"] >= sites + s["replacedSites"] - 1, f"joins recorded: {s['joinMs']['count']}")
else:
    check(s["joinMs"]["count"] == sites, f"joins recorded: {s['joinMs']['count']} of {sites}")
if scenario == "fanout":
    # Every packet the hall sent during the window reaches each subscriber.
    w = s["window"]
    expected = w["sent"] * sites
    check(abs(w["received"] - expected) <= 0.05 * expected + 10,
          f"fan-out delivered {w['received']} packets in the window, expected about {expected}")
if scenario == "meeting":
    # The hall hears every site and sees its video; each site hears the hall and every other site.
    check(s["audio"]["received"] > s["audio"]["sent"], "audio was not fanned out")
print(f"{scenario}: sent a/v {s['audio']['sent']}/{s['video']['sent']}, received a/v "
      f"{s['audio']['received']}/{s['video']['received']}, p99 {s['latencyUs']['all']['p99']} us, "
      f"join p50 {s['joinMs']['p50']:.0f} ms, ICE client (lite role)/libnice connections "
      f"{ice['clientConnections']} ({ice['clientLiteConnections']})/{ice['libniceConnections']}, shared sockets {ice['sharedSockets']}, "
      f"datagrams per recvmmsg {ice['reads']['datagrams'] / max(ice['reads']['recvmmsgCalls'], 1):.1f}", file=sys.stderr)
if errors:
    print(f"FAIL {scenario}: " + "; ".join(errors), file=sys.stderr)
    sys.exit(1)
PY
}

status=0
run_scenario fanout 5 || status=1
run_scenario meeting 3 || status=1
run_scenario churn 4 --churn-rate 2 || status=1
if ! kill -0 "$DIEMCAU_PID" 2>/dev/null; then
  echo "FAIL: diemcau died during the load" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  diemcau_dump_log
  [ "${DIEMCAU_KEEP_DATA:-0}" = 1 ] && echo "data kept in $DIEMCAU_DATA" >&2
fi
exit "$status"
