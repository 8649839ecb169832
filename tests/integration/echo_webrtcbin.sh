#!/usr/bin/env bash
# Echo through a real diemcau with an independent GStreamer webrtcbin peer.
#
#   echo_webrtcbin.sh DIEMCAU_BIN PEER_BIN NETNS_RUN [PEER_ARGS...]
#
# Runs in a fresh network namespace with only lo up: the server and the peer share it, so
# all ICE candidates are 127.0.0.1. Passes when the peer decoded at least 100 frames of video
# and 5 s of audio that came back from the server within a 6 s call. Exit 77: skipped.
set -euo pipefail

if [ "${1:-}" != "--inside" ]; then
  [ $# -ge 3 ] || { echo "usage: $0 DIEMCAU_BIN PEER_BIN NETNS_RUN [PEER_ARGS...]" >&2; exit 2; }
  diemcau=$1 peer=$2 netns_run=$3
  shift 3
  for f in "$diemcau" "$peer" "$netns_run"; do
    [ -x "$f" ] || { echo "SKIP: $f is not built/executable" >&2; exit 77; }
  done
  exec "$netns_run" "diemcau-echo-$$" -- "$0" --inside "$diemcau" "$peer" "$@"
fi

shift
diemcau=$1 peer=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/diemcau-server.sh
. "$here/diemcau-server.sh"
trap diemcau_cleanup EXIT

if ! diemcau_start "$diemcau"; then
  diemcau_dump_log
  exit 1
fi

report=$DIEMCAU_DATA/peer-report.json
set +e
LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$here/../peers/lsan.supp" \
"$peer" --url "ws://127.0.0.1:$DIEMCAU_PORT/ws" --mode echo --duration 6 \
        --min-video-frames 100 --min-audio-ms 5000 "$@" >"$report" 2>"$DIEMCAU_DATA/peer.log"
status=$?
set -e
echo "peer report: $(cat "$report")"
if [ "$status" -ne 0 ]; then
  echo "FAIL: the peer exited $status" >&2
  echo "----- peer log -----" >&2
  tail -n 100 "$DIEMCAU_DATA/peer.log" >&2 || true
  diemcau_dump_log
  exit 1
fi
if ! kill -0 "$DIEMCAU_PID" 2>/dev/null; then
  echo "FAIL: diemcau died during the call" >&2
  diemcau_dump_log
  exit 1
fi
# Media first: the signaling thread (the main one) runs at nice 10, the media workers at the default.
nice_of() { local stat; stat=$(cat "$1"); stat=${stat##*) }; set -- $stat; echo "${17}"; }
signaling_nice=$(nice_of "/proc/$DIEMCAU_PID/task/$DIEMCAU_PID/stat")
default_threads=0
for task in /proc/"$DIEMCAU_PID"/task/*; do
  [ "${task##*/}" = "$DIEMCAU_PID" ] && continue
  [ "$(nice_of "$task/stat" 2>/dev/null || echo x)" = 0 ] && default_threads=$((default_threads + 1))
done
echo "signaling thread nice $signaling_nice, $default_threads other threads at nice 0"
if [ "$signaling_nice" != 10 ] || [ "$default_threads" -lt 1 ]; then
  echo "FAIL: the signaling thread should run at nice 10 and the media workers at 0" >&2
  exit 1
fi
echo "PASS"
