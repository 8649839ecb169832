#!/usr/bin/env bash
# Recording through a real diemcau with webrtcbin peers (tests/integration/meeting/scenario_recording*.py).
#
#   meeting_recording.sh recording|recording_crash DIEMCAU_BIN PEER_BIN NETNS_RUN
#
# recording: a whole recorded meeting, then its closed archive is checked.
# recording_crash: the server is killed (SIGKILL) while recording; the files must still play, and a
# restart on the same data directory must close the archive (minutes, SHA256SUMS, interrupted).
# Runs in a fresh network namespace with only lo up. Exit 77: skipped. DIEMCAU_KEEP_DATA=1 keeps the data.
set -euo pipefail

if [ "${1:-}" != "--inside" ]; then
  [ $# -ge 4 ] || { echo "usage: $0 recording|recording_crash DIEMCAU_BIN PEER_BIN NETNS_RUN" >&2; exit 2; }
  scenario=$1 diemcau=$2 peer=$3 netns_run=$4
  for f in "$diemcau" "$peer" "$netns_run"; do
    [ -x "$f" ] || { echo "SKIP: $f is not built/executable" >&2; exit 77; }
  done
  for tool in python3 gst-discoverer-1.0 sha256sum; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing" >&2; exit 77; }
  done
  exec "$netns_run" "diemcau-rec-$$" -- "$0" --inside "$scenario" "$diemcau" "$peer"
fi

shift
scenario=$1 diemcau=$2 peer=$3
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/diemcau-server.sh
. "$here/diemcau-server.sh"
trap diemcau_cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  diemcau_dump_log
  [ "${DIEMCAU_KEEP_DATA:-0}" = 1 ] && echo "data kept in $DIEMCAU_DATA" >&2
  exit 1
}

diemcau_start "$diemcau" || fail "the server did not start"
echo "$DIEMCAU_PID" >"$DIEMCAU_DATA/server.pid"

set +e
python3 -B "$here/meeting/run.py" "$scenario" --peer "$peer" --port "$DIEMCAU_PORT" --data-dir "$DIEMCAU_DATA" \
        --lsan-supp "$here/../peers/lsan.supp"
status=$?
set -e
[ "$status" -eq 0 ] || fail "scenario $scenario"

if [ "$scenario" = recording ]; then
  kill -0 "$DIEMCAU_PID" 2>/dev/null || fail "diemcau died during the scenario"
  exit 0
fi

# recording_crash: the scenario killed the server; a new one on the same data closes the archive.
wait "$DIEMCAU_PID" 2>/dev/null || true
DIEMCAU_PID=""
meeting=$(cat "$DIEMCAU_DATA/crash-meeting.txt")
folder=$DIEMCAU_DATA/archive/$meeting
[ ! -e "$folder/SHA256SUMS" ] || fail "the archive was closed although the server was killed"
mv "$DIEMCAU_LOG" "$DIEMCAU_DATA/server-killed.log"
diemcau_start "$diemcau" "$DIEMCAU_DATA" || fail "the server did not start again after the kill"
[ -f "$folder/SHA256SUMS" ] || fail "start-up did not close the interrupted archive"
grep -q "the server stopped during this meeting" "$DIEMCAU_LOG" || fail "no log line about the recovered archive"
(cd "$folder" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS of the recovered archive does not verify"
python3 - "$folder/minutes.json" <<'PY' || fail "minutes of the recovered archive"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["interrupted"] is True, m["interrupted"]
files = [r["file"] for r in m["recordings"]]
assert len(files) == 2 and all(f.endswith(".mkv") for f in files), files
assert all(r["sizeBytes"] > 20000 for r in m["recordings"]), m["recordings"]
print("recovered archive: interrupted, recordings", files)
PY
echo "PASS: files play after SIGKILL; start-up closed the archive"
