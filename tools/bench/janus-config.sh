#!/usr/bin/env bash
# janus-config.sh DIR WS_PORT ROOM
# Writes a Janus configuration for loopback benchmarks into DIR: only the videoroom plugin and the
# WebSocket transport are loaded (DIR/plugins and DIR/transports hold links to just those two),
# ICE gathers on 127.0.0.1 only (with janus-loopback-shim.c preloaded), sessions never time out,
# and room ROOM takes up to 4000 participants with no bitrate cap, Opus and VP8.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 DIR WS_PORT ROOM" >&2; exit 2; }
dir=$1 port=$2 room=$3
lib=/usr/lib/x86_64-linux-gnu/janus
mkdir -p "$dir/plugins" "$dir/transports" "$dir/events" "$dir/loggers"
ln -sf "$lib/plugins/libjanus_videoroom.so" "$dir/plugins/"
ln -sf "$lib/transports/libjanus_websockets.so" "$dir/transports/"

cat >"$dir/janus.jcfg" <<CFG
general: {
	configs_folder = "$dir"
	plugins_folder = "$dir/plugins"
	transports_folder = "$dir/transports"
	events_folder = "$dir/events"
	loggers_folder = "$dir/loggers"
	interface = "127.0.0.1"
	debug_level = 3
	session_timeout = 0
	admin_secret = "bench-only"
}
media: {
	rtp_port_range = "20000-39999"
}
nat: {
	nice_debug = false
	ice_enforce_list = "127.0.0.1"
}
plugins: {
}
transports: {
}
events: {
}
CFG

cat >"$dir/janus.transport.websockets.jcfg" <<CFG
general: {
	json = "compact"
	ws = true
	ws_port = $port
	ws_ip = "127.0.0.1"
	wss = false
}
admin: {
	admin_ws = false
	admin_wss = false
}
CFG

cat >"$dir/janus.plugin.videoroom.jcfg" <<CFG
general: {
}
room-$room: {
	description = "diemcau bench"
	publishers = 4000
	bitrate = 0
	fir_freq = 0
	audiocodec = "opus"
	videocodec = "vp8"
	notify_joining = false
}
CFG
