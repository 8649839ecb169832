#!/usr/bin/env bash
# Render speed of `diemcauctl archive render` on a synthetic 9-site meeting.
#
#   tools/bench/archive-render.sh [SECONDS] [WIDTHxHEIGHT]      (defaults: 60 1280x720)
#
# Makes an archive folder with nine Matroska recordings (VP8 640x360 25 fps with a moving ball, Opus
# audio), the hall from 0 s and the communes joining one a second, the speaker changing every 10 s,
# then times the render to MP4 (H.264/AAC) and to WebM (VP8/Opus) and prints the speed in x real
# time. DIEMCAUCTL=path uses an already built diemcauctl (default: build/release, then build/h-store).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
size=${2:-1280x720}
width=${size%x*}
height=${size#*x}
ctl=${DIEMCAUCTL:-}
for candidate in build/release/tools/diemcauctl/diemcauctl build/h-store/main/tools/diemcauctl/diemcauctl; do
  [[ -z "$ctl" && -x "$candidate" ]] && ctl=$candidate
done
[[ -x "$ctl" ]] || { echo "no diemcauctl built; set DIEMCAUCTL" >&2; exit 1; }

work=$(mktemp -d /tmp/diemcau-render-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
folder=$work/ban-9-xa
mkdir -p "$folder"

ids=(huyen lang-can na-hang son-phu thuong-lam yen-hoa khau-tinh da-vi con-lon)
names=("Hội trường huyện" "Xã Lăng Can" "Xã Na Hang" "Xã Sơn Phú" "Xã Thượng Lâm" "Xã Yên Hoa" "Xã Khâu Tinh" "Xã Đà Vị" "Xã Côn Lôn")
colours=(0xff202080 0xff208020 0xff802020 0xff606020 0xff206060 0xff602060 0xff404040 0xff804000 0xff004080)
at() { date -u -d "@$((1796086800 + $1))" +%Y-%m-%dT%H:%M:%S.000Z; }

echo "=== making 9 recordings of up to ${seconds}s (640x360 VP8 + Opus)"
events=$folder/events.jsonl
echo "{\"at\":\"$(at 0)\",\"type\":\"room.created\"}" >"$events"
for i in "${!ids[@]}"; do
  role=site; [[ $i == 0 ]] && role=host
  length=$((seconds - i))
  echo "{\"at\":\"$(at "$i")\",\"type\":\"participant.joined\",\"participant\":{\"id\":\"${ids[$i]}\",\"displayName\":\"${names[$i]}\",\"role\":\"$role\"}}" >>"$events"
  echo "{\"at\":\"$(at "$i")\",\"type\":\"recording.started\",\"participant\":\"${ids[$i]}\",\"file\":\"${ids[$i]}.mkv\"}" >>"$events"
  gst-launch-1.0 -q videotestsrc pattern=ball background-color="${colours[$i]}" num-buffers=$((length * 25)) \
    ! video/x-raw,width=640,height=360,framerate=25/1 ! vp8enc deadline=1 cpu-used=8 target-bitrate=500000 \
    ! queue ! matroskamux name=mux ! filesink location="$folder/${ids[$i]}.mkv" \
    audiotestsrc freq=$((300 + 50 * i)) num-buffers=$((length * 50)) samplesperbuffer=960 \
    ! audio/x-raw,rate=48000,channels=1 ! opusenc ! queue ! mux. >/dev/null &
  (( i % 2 == 1 )) && wait
done
wait
for ((t = 10; t < seconds; t += 10)); do
  echo "{\"at\":\"$(at "$t")\",\"type\":\"speaker.changed\",\"participant\":\"${ids[$(( (t / 10) % 9 ))]}\"}" >>"$events"
done
echo "{\"at\":\"$(at "$seconds")\",\"type\":\"meeting.ended\"}" >>"$events"

echo "=== machine"
echo "cpu:    $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "nproc:  $(nproc)"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg)"
echo "gst:    $(gst-launch-1.0 --version | sed -n 2p)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
for ext in mp4 webm; do
  echo "=== render ${seconds}s, 9 tiles, ${width}x${height}, .$ext"
  /usr/bin/time -f "cpu: %U s user, %S s system, %M KiB max resident" \
    "$ctl" --json archive render "$folder" -o "$work/out.$ext" --width "$width" --height "$height" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("wall: %.1f s  speed: %.2fx real time  tiles: %d" % (r["seconds"], r["speed"], r["tiles"]))'
  echo "output: $(stat -c %s "$work/out.$ext") bytes"
done
