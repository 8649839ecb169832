"""meeting_lossy: a hall and one site whose link loses packets (nftables rules on the site's ICE
ports, set up by tests/integration/nack_loss.sh). Both decode each other for DURATION seconds;
the metrics (decoded frames, freezes, frozen time, audio) are what nack_loss.sh compares between
a bridge with retransmission on and one with it off. Checked here: both peers ran, video arrived
and the site's audio kept flowing."""

import os

from meeting.admin import standard_meeting
from meeting.peers import remote, summary

HALL = "huyen"
SITE = "xa-a"
DURATION = float(os.environ.get("NACK_LOSS_DURATION", "14"))
SITE_PORTS = os.environ.get("NACK_LOSS_PORTS", "47000-47099")


def stalled_ms(r):
    """Milliseconds from the last second with a video frame to the last whole second of the meeting:
    a video that stops for good (an unrepaired loss whose keyframe never came) has no gap between
    two frames for the freeze count to see."""
    seen = [i for i, n in enumerate(r.get("video_frames_per_s", [])) if n > 0]
    end = int(DURATION - 2)  # the site leaves 1.5 s before the end
    return max(0, (end - (seen[-1] + 1)) * 1000) if seen else 0


def media_of(report, participant):
    r = remote(report, participant)
    rate = r.get("audio_rate") or 48000
    return {
        "video_frames": r.get("video_frames", 0),
        "video_freezes": r.get("video_freezes", 0),
        "video_frozen_ms": r.get("video_frozen_ms", 0),
        "video_stalled_ms": stalled_ms(r),
        "audio_s": round(r.get("audio_samples", 0) / rate, 2),
        "audio_samples_per_s": r.get("audio_samples_per_s", []),
    }


def video_repairs(report):
    """The peer's repair counts (tests/peers/RepairMeter.hpp) summed over its received video streams:
    in this meeting each peer receives one, the other's camera."""
    keys = ("packets", "missing", "repaired", "given_up", "late", "unresolved")
    total = {k: 0 for k in keys}
    medians = []
    for stream in report.get("repairs", []):
        if stream.get("media") != "video":
            continue
        for k in keys:
            total[k] += stream.get(k, 0)
        if stream.get("repaired"):
            medians.append(stream.get("repair_ms_median", 0))
    total["repair_ms_median"] = max(medians, default=0)
    return total


def run(ctx):
    meeting, tokens = standard_meeting(ctx.admin, 1)
    # 25 frames a second: a freeze (3 frame intervals) is 120 ms, short enough for a lost frame
    # that waits for a keyframe to show.
    fps = ["--video-fps", "25"]
    hall = ctx.peers.start(HALL, tokens[HALL], DURATION, role="host", extra=["--audio-freq", "220", *fps])
    # The site leaves just before the end: the bridge then logs its retransmission counters.
    site = ctx.peers.start(SITE, tokens[SITE], DURATION, actions=[f"{DURATION - 1.5:.1f} leave"],
                           extra=["--audio-freq", "300", "--ice-ports", SITE_PORTS, *fps])
    reports = {HALL: hall.wait(DURATION + 20), SITE: site.wait(DURATION + 20)}
    for report in reports.values():
        ctx.note(summary(report))
    for name, peer in [(HALL, hall), (SITE, site)]:
        ctx.check(peer.returncode == 0, f"{name} exited {peer.returncode}: {reports[name].get('errors')}")

    down = media_of(reports[SITE], HALL)  # hall -> bridge -> site: the bridge's history repairs
    up = media_of(reports[HALL], SITE)    # site -> bridge: the bridge NACKs the site
    down["repairs"] = video_repairs(reports[SITE])
    up["repairs"] = video_repairs(reports[HALL])
    ctx.metric("down", down)
    ctx.metric("up", up)
    ctx.check(down["video_frames"] >= 50, f"the site decoded {down['video_frames']} hall frames (< 50)")
    ctx.check(up["video_frames"] >= 50, f"the hall decoded {up['video_frames']} site frames (< 50)")
    # Audio keeps flowing over the lossy link: at least half a second of it in 80 % of the whole
    # seconds from the first one heard to the last one before the end.
    per_s = down["audio_samples_per_s"]
    first = next((i for i, n in enumerate(per_s) if n > 0), len(per_s))
    seconds = per_s[first + 1:int(DURATION) - 1]
    flowing = sum(1 for n in seconds if n >= 0.5 * 48000)
    ctx.metric("down_audio_flowing_seconds", [flowing, len(seconds)])
    ctx.check(seconds and flowing >= 0.8 * len(seconds),
              f"the site heard the hall in {flowing} of {len(seconds)} seconds")
