#!/usr/bin/env python3
"""Regenerates the captured packets in this folder from GStreamer 1.22 (an independent RTP stack).

Every flow stays on 127.0.0.1. Run from this folder: ./capture-gst.py
  vp8-*.rtp          rtpvp8pay (15-bit picture id) output, the first packets of a stream
  h264-*.rtp         openh264enc + rtph264pay: STAP-A with SPS/PPS, FU-A fragments
  opus-exts.rtp      rtpopuspay with transport-cc, mid, rid and audio-level extensions
  sr-sdes.rtcp       the first RTCP compound of a sending rtpbin (SR + SDES CNAME)
  twcc-feedback.rtcp a receiving rtpbin's transport-wide-cc feedback compound
"""
import socket
import subprocess
import time

TWCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
MID = "urn:ietf:params:rtp-hdrext:sdes:mid"
RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"


def listen():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.5)
    return sock, sock.getsockname()[1]


def collect(sock, count, seconds):
    packets, deadline = [], time.time() + seconds
    while len(packets) < count and time.time() < deadline:
        try:
            packets.append(sock.recv(65536))
        except socket.timeout:
            pass
    return packets


def run(pipeline):
    return subprocess.Popen(["gst-launch-1.0", "-q"] + pipeline.split(), stdout=subprocess.DEVNULL)


def save(name, data):
    with open(name, "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")


def capture_vp8():
    sock, port = listen()
    proc = run("videotestsrc num-buffers=90 ! video/x-raw,width=320,height=240,framerate=30/1 ! "
               "vp8enc keyframe-max-dist=30 deadline=1 ! rtpvp8pay picture-id-mode=15-bit mtu=800 ! "
               f"udpsink host=127.0.0.1 port={port}")
    packets = collect(sock, 400, 10)
    proc.wait()
    save("vp8-keyframe-start.rtp", packets[0])
    save("vp8-keyframe-continuation.rtp", packets[1])
    # The first packet of the second frame (marker set on the one before it) is an inter frame start.
    for i, p in enumerate(packets[:-1]):
        if p[1] & 0x80:
            save("vp8-interframe-start.rtp", packets[i + 1])
            break


def capture_h264():
    sock, port = listen()
    proc = run("videotestsrc num-buffers=30 ! video/x-raw,width=320,height=240,framerate=30/1 ! "
               "openh264enc gop-size=30 ! rtph264pay config-interval=-1 aggregate-mode=zero-latency mtu=600 ! "
               f"udpsink host=127.0.0.1 port={port}")
    packets = collect(sock, 400, 10)
    proc.wait()
    kinds = {}
    for p in packets:
        nal = p[12] & 0x1F
        if nal == 24:
            kinds.setdefault("h264-stap-a-sps-pps.rtp", p)
        elif nal == 28:
            fu = p[13]
            if fu & 0x80 and fu & 0x1F == 5:
                kinds.setdefault("h264-fu-a-idr-start.rtp", p)
            elif not fu & 0x80 and fu & 0x1F == 5:
                kinds.setdefault("h264-fu-a-idr-middle.rtp", p)
            elif fu & 0x80 and fu & 0x1F == 1:
                kinds.setdefault("h264-fu-a-slice-start.rtp", p)
        elif nal == 1:
            kinds.setdefault("h264-single-slice.rtp", p)
    for name, p in sorted(kinds.items()):
        save(name, p)


def capture_opus_and_rtcp():
    rtp_sock, rtp_port = listen()
    rtcp_sock, rtcp_port = listen()
    caps = (f"application/x-rtp,extmap-1=(string){TWCC},extmap-3=(string){MID},extmap-4=(string){RID},"
            f"extmap-5=(string)<\"\",{LEVEL},\"vad=on\">")
    sender = run(f"rtpbin name=b audiotestsrc is-live=true wave=sine ! audio/x-raw,rate=48000,channels=1 ! "
                 f"opusenc ! rtpopuspay pt=111 ! {caps} ! b.send_rtp_sink_0 "
                 f"b.send_rtp_src_0 ! udpsink host=127.0.0.1 port={rtp_port} "
                 f"b.send_rtcp_src_0 ! udpsink host=127.0.0.1 port={rtcp_port} sync=false async=false")
    packets = collect(rtp_sock, 50, 5)
    rtcp = collect(rtcp_sock, 1, 10)
    sender.terminate()
    sender.wait()
    if packets:
        save("opus-exts.rtp", packets[-1])
    if rtcp:
        save("sr-sdes.rtcp", rtcp[0])


def capture_twcc():
    feedback_sock, feedback_port = listen()
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    media_port = probe.getsockname()[1]
    probe.close()
    # Video: rtpsession sends feedback at each marker bit, so a frame of several packets gives a
    # feedback covering several statuses.
    recv_caps = (f"application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96,"
                 f"extmap-1=(string){TWCC}")
    receiver = run(f"rtpbin name=r udpsrc address=127.0.0.1 port={media_port} caps={recv_caps} ! r.recv_rtp_sink_0 "
                   f"r. ! rtpvp8depay ! fakesink "
                   f"r.send_rtcp_src_0 ! udpsink host=127.0.0.1 port={feedback_port} sync=false async=false")
    time.sleep(1)
    sender = run(f"videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=15/1 ! "
                 f"vp8enc deadline=1 ! rtpvp8pay pt=96 mtu=300 ! application/x-rtp,extmap-1=(string){TWCC} ! "
                 f"udpsink host=127.0.0.1 port={media_port}")
    # Keep the feedback covering the most packets seen within a few seconds.
    found, best = None, 0
    deadline = time.time() + 6
    while time.time() < deadline:
        for p in collect(feedback_sock, 1, 1):
            pos = 0
            while pos + 16 <= len(p):
                if p[pos + 1] == 205 and p[pos] & 0x1F == 15:
                    count = int.from_bytes(p[pos + 14:pos + 16], "big")
                    if count > best:
                        found, best = p, count
                pos += (int.from_bytes(p[pos + 2:pos + 4], "big") + 1) * 4
    sender.terminate()
    receiver.terminate()
    sender.wait()
    receiver.wait()
    if found:
        save("twcc-feedback.rtcp", found)


if __name__ == "__main__":
    import sys
    wanted = sys.argv[1:] or ["vp8", "h264", "opus", "twcc"]
    steps = {"vp8": capture_vp8, "h264": capture_h264, "opus": capture_opus_and_rtcp, "twcc": capture_twcc}
    for step in wanted:
        steps[step]()
