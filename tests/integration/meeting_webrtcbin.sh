#!/usr/bin/env bash
# A meeting scenario through a real diemcau with independent GStreamer webrtcbin peers.
#
#   meeting_webrtcbin.sh SCENARIO DIEMCAU_BIN PEER_BIN NETNS_RUN
#
# SCENARIO is basic, chair, vanish or protocol (tests/integration/meeting/scenario_*.py). Runs
# in a fresh network namespace with only lo up, starts diemcau there, and lets
# tests/integration/meeting/run.py make the sites, the meeting and the tokens through the admin
# API, drive the peers and check their reports. Exit 77: skipped. DIEMCAU_KEEP_DATA=1 keeps the
# server log, the peer logs and reports.
set -euo pipefail

if [ "${1:-}" != "--inside" ]; then
  [ $# -ge 4 ] || { echo "usage: $0 SCENARIO DIEMCAU_BIN PEER_BIN NETNS_RUN" >&2; exit 2; }
  scenario=$1 diemcau=$2 peer=$3 netns_run=$4 ctl=${5:-}
  for f in "$diemcau" "$peer" "$netns_run"; do
    [ -x "$f" ] || { echo "SKIP: $f is not built/executable" >&2; exit 77; }
  done
  command -v python3 >/dev/null || { echo "SKIP: python3 is missing" >&2; exit 77; }
  exec "$netns_run" "diemcau-meet-$scenario-$$" -- "$0" --inside "$scenario" "$diemcau" "$peer" "$ctl"
fi

shift
scenario=$1 diemcau=$2 peer=$3 ctl=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/diemcau-server.sh
. "$here/diemcau-server.sh"
trap diemcau_cleanup EXIT

# Only the resume scenario holds seats for sites that drop off; the others check an immediate
# participant.left, as with resume-window 0. It also notices a cut link sooner than the default.
if [ "$scenario" = resume ]; then
  export DIEMCAU_ICE_CONSENT_TIMEOUT=3
else
  export DIEMCAU_RESUME_WINDOW=0
fi
if ! diemcau_start "$diemcau"; then
  diemcau_dump_log
  exit 1
fi

# Scenarios that check the admin CLI's output find it here (not a DIEMCAU_ name: the server would
# refuse an option it does not know).
export CTL_BIN=$ctl
set +e
python3 -B "$here/meeting/run.py" "$scenario" --peer "$peer" --port "$DIEMCAU_PORT" --data-dir "$DIEMCAU_DATA" \
        --lsan-supp "$here/../peers/lsan.supp"
status=$?
set -e
if ! kill -0 "$DIEMCAU_PID" 2>/dev/null; then
  echo "FAIL: diemcau died during the scenario" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  diemcau_dump_peer_logs
  diemcau_dump_log
  [ "${DIEMCAU_KEEP_DATA:-0}" = 1 ] && echo "data kept in $DIEMCAU_DATA" >&2
fi
exit "$status"
