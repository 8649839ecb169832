#!/usr/bin/env bash
# netns-run.sh NAME -- CMD [ARGS...]
#
# Runs CMD inside network namespace NAME where only the loopback interface is up, so
# everything started there (a diemcau server, webrtcbin peers, Chromium) can reach only
# 127.0.0.1 and ICE gathers nothing but loopback candidates. The namespace is created
# when missing and deleted afterwards if this script created it; processes still running
# in it at the end are killed. Exit status: CMD's, or 77 (the ctest "skipped" code) when
# namespaces are not available here (not root, no iproute2, no CAP_SYS_ADMIN).
set -euo pipefail

usage() { echo "usage: $0 NAME -- CMD [ARGS...]" >&2; exit 2; }
[ $# -ge 3 ] || usage
name=$1
[ "$2" = "--" ] || usage
shift 2
case "$name" in
  *[!A-Za-z0-9_.-]*|"") echo "netns-run: bad namespace name '$name'" >&2; exit 2 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  echo "netns-run: SKIP: network namespaces need root (run the test as root or in a privileged container)" >&2
  exit 77
fi
if ! command -v ip >/dev/null 2>&1 || ! ip netns list >/dev/null 2>&1; then
  echo "netns-run: SKIP: 'ip netns' is not available (install iproute2)" >&2
  exit 77
fi

created=0
if ! ip netns list | awk '{print $1}' | grep -qx "$name"; then
  if ! ip netns add "$name" 2>/tmp/netns-run.$$.err; then
    echo "netns-run: SKIP: cannot create namespace '$name': $(cat /tmp/netns-run.$$.err)" >&2
    rm -f /tmp/netns-run.$$.err
    exit 77
  fi
  rm -f /tmp/netns-run.$$.err
  created=1
fi

cleanup() {
  # Whatever CMD left behind in the namespace belongs to this run.
  local pids
  pids=$(ip netns pids "$name" 2>/dev/null || true)
  if [ -n "$pids" ]; then
    kill $pids 2>/dev/null || true
    sleep 0.5
    pids=$(ip netns pids "$name" 2>/dev/null || true)
    [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
  fi
  if [ "$created" = 1 ]; then
    ip netns delete "$name" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ip netns exec "$name" ip link set lo up
set +e
ip netns exec "$name" "$@"
status=$?
set -e
exit $status
