# Sourced by the integration and browser tests: start a real diemcau on loopback inside the
# current (test) network namespace, wait until it serves /healthz, and stop it again.
#
#   diemcau_start BINARY [DATA_DIR]
#                             sets DIEMCAU_PORT, DIEMCAU_PID, DIEMCAU_LOG, DIEMCAU_DATA (a new temporary
#                             folder unless DATA_DIR names one to start again on)
#                             (diemcau_listen_host, diemcau_media_addresses: optional overrides)
#   diemcau_stop              stops it with SIGTERM (safe to call twice); a bad exit status sets
#                             DIEMCAU_BAD_EXIT=1, which makes diemcau_cleanup fail the test
#   diemcau_dump_log          prints the server log to stderr

# Bash's /dev/tcp keeps these scripts free of curl/python.
diemcau_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

diemcau_healthz_ok() {
  local reply
  reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$DIEMCAU_PORT" || exit 1
            printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
            timeout 2 cat <&3) 2>/dev/null) || return 1
  [[ "$reply" == "HTTP/1."[01]" 200"* ]]
}

diemcau_start() {
  local binary=$1
  DIEMCAU_DATA=${2:-$(mktemp -d "${TMPDIR:-/tmp}/diemcau-test.XXXXXX")}
  DIEMCAU_LOG=$DIEMCAU_DATA/server.log
  DIEMCAU_PORT=""
  local try
  for try in 1 2 3 4 5 6 7 8 9 10; do
    local candidate=$((20000 + RANDOM % 20000))
    if diemcau_port_free "$candidate"; then DIEMCAU_PORT=$candidate; break; fi
  done
  [ -n "$DIEMCAU_PORT" ] || { echo "no free port found" >&2; return 1; }

  # DIEMCAU_KEEP_DATA belongs to these scripts; the server refuses DIEMCAU_* names it does not know.
  # A test with its own topology (a veth to another namespace) sets diemcau_listen_host and
  # diemcau_media_addresses (shell variables: the server refuses DIEMCAU_* names it does not know).
  env -u DIEMCAU_KEEP_DATA "$binary" --listen "${diemcau_listen_host:-127.0.0.1}:$DIEMCAU_PORT" \
            --data-dir "$DIEMCAU_DATA" --media-addresses "${diemcau_media_addresses:-127.0.0.1}" \
            >"$DIEMCAU_LOG" 2>&1 &
  DIEMCAU_PID=$!
  local waited=0
  until diemcau_healthz_ok; do
    if ! kill -0 "$DIEMCAU_PID" 2>/dev/null; then
      echo "diemcau exited during start-up" >&2
      DIEMCAU_PID=""
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
    if [ "$waited" -ge 150 ]; then
      echo "diemcau did not answer /healthz within 15 s" >&2
      return 1
    fi
  done
  echo "diemcau pid $DIEMCAU_PID listening on 127.0.0.1:$DIEMCAU_PORT" >&2
}

diemcau_stop() {
  if [ -n "${DIEMCAU_PID:-}" ]; then
    local escalated=0 status=0
    if kill -0 "$DIEMCAU_PID" 2>/dev/null; then
      kill "$DIEMCAU_PID" 2>/dev/null || true
      local i
      for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        kill -0 "$DIEMCAU_PID" 2>/dev/null || break
        sleep 0.1
      done
      if kill -0 "$DIEMCAU_PID" 2>/dev/null; then
        escalated=1
        kill -9 "$DIEMCAU_PID" 2>/dev/null || true
      fi
    fi
    wait "$DIEMCAU_PID" 2>/dev/null || status=$?
    # The server exits 0 on SIGTERM. Anything else (a signal at shutdown, a sanitizer report, an exit
    # before the test ended) is a failure of the test, even when its own checks passed. 127: not a child
    # of this shell, nothing to tell. A server that needed SIGKILL is reported but not failed: under a
    # loaded CI machine two seconds can be short.
    if [ "$escalated" = 1 ]; then
      echo "diemcau did not stop within 2 s of SIGTERM and was killed" >&2
    elif [ "$status" -ne 0 ] && [ "$status" -ne 127 ]; then
      echo "FAIL: diemcau exited with status $status (expected 0 after SIGTERM)" >&2
      tail -n 40 "$DIEMCAU_LOG" >&2 2>/dev/null || true
      DIEMCAU_BAD_EXIT=1
    fi
  fi
  DIEMCAU_PID=""
}

diemcau_dump_log() {
  echo "----- diemcau log ($DIEMCAU_LOG) -----" >&2
  cat "$DIEMCAU_LOG" >&2 2>/dev/null || true
  echo "----- end of diemcau log -----" >&2
}

# The last lines of every test peer's log in the data directory, for a failed run.
diemcau_dump_peer_logs() {
  local log
  for log in "$DIEMCAU_DATA"/peer-*.log; do
    [ -f "$log" ] || continue
    echo "----- $(basename "$log") (last 30 lines) -----" >&2
    tail -n 30 "$log" >&2
  done
}

# Meant to run last in an EXIT trap: a server that exited badly (see diemcau_stop) fails the test.
diemcau_cleanup() {
  diemcau_stop
  if [ -n "${DIEMCAU_DATA:-}" ] && [ "${DIEMCAU_KEEP_DATA:-0}" != 1 ]; then
    rm -rf "$DIEMCAU_DATA"
  fi
  if [ "${DIEMCAU_BAD_EXIT:-0}" = 1 ]; then exit 1; fi
}
