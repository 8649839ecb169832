"""meeting_basic: a hall and four sites join; each site decodes the hall's video and audio, the
hall decodes every site's video; a site that leaves disappears from the others within two
seconds; a late joiner decodes the hall's video within one second of opening its WebSocket; video
keeps flowing at a third of its frame rate or more through the renegotiations the leave causes."""

from meeting.admin import standard_meeting
from meeting.peers import events_of, remote, summary

HALL = "huyen"
LEAVER = "xa-d"
LATE = "xa-e"
LEAVE_AT = 7          # seconds after the leaver's join
LATE_DELAY = 4.0      # the late joiner starts this long after the others
DURATION = 14
FPS = 15              # the peers' video (tests/peers/PublishPipeline.cpp)


def frames_between(report, participant, since_unix_ms, until_unix_ms):
    """Video frames of `participant` decoded in the whole seconds of `report` inside the window."""
    opened = report.get("ws_open_unix_ms", 0)
    out = []
    for i, frames in enumerate(remote(report, participant).get("video_frames_per_s", [])):
        start = opened + 1000 * i
        if start >= since_unix_ms and start + 1000 <= until_unix_ms:
            out.append(frames)
    # A stream that stopped has no buckets after its last frame: count them as empty.
    seconds = max(0, (until_unix_ms - max(since_unix_ms, opened)) // 1000 - 1)
    return out + [0] * max(0, seconds - len(out))


def run(ctx):
    meeting, tokens = standard_meeting(ctx.admin, 5)
    freqs = {"xa-a": 300, "xa-b": 400, "xa-c": 500, "xa-d": 600, "xa-e": 700}
    hall = ctx.peers.start(HALL, tokens[HALL], DURATION, role="host", extra=["--audio-freq", "220"])
    sites = {}
    for site in ["xa-a", "xa-b", "xa-c", LEAVER]:
        actions = [f"{LEAVE_AT} leave"] if site == LEAVER else None
        sites[site] = ctx.peers.start(site, tokens[site], DURATION, actions=actions,
                                      extra=["--audio-freq", str(freqs[site])])
    ctx.sleep(LATE_DELAY)
    # The late joiner is timed: like a browser, it has its DTLS certificate before it signals
    # (GStreamer makes an RSA key per process, docs/PERFORMANCE.md, "Join time").
    sites[LATE] = ctx.peers.start(LATE, tokens[LATE], DURATION - LATE_DELAY,
                                  extra=["--audio-freq", "700", "--certificate-first"])

    reports = {HALL: hall.wait(DURATION + 20)}
    for site, peer in sites.items():
        reports[site] = peer.wait(DURATION + 20)
    for name, report in reports.items():
        ctx.note(summary(report))

    for name, peer in [(HALL, hall), *sites.items()]:
        ctx.check(peer.returncode == 0, f"{name} exited {peer.returncode}: {reports[name].get('errors')}")
        ctx.check(reports[name].get("participant") == name, f"{name} joined as {reports[name].get('participant')}")

    # Every site sees and hears the hall (the leaver for the seconds it was there).
    for site, report in reports.items():
        if site == HALL:
            continue
        hall_media = remote(report, HALL)
        min_frames = 20 if site in (LEAVER, LATE) else 60
        ctx.check(hall_media.get("video_frames", 0) >= min_frames,
                  f"{site} decoded {hall_media.get('video_frames', 0)} hall video frames (< {min_frames})")
        ctx.check(hall_media.get("audio_samples", 0) >= 48000,
                  f"{site} decoded {hall_media.get('audio_samples', 0)} hall audio samples (< 1 s)")

    # The hall sees every site.
    for site in sites:
        frames = remote(reports[HALL], site).get("video_frames", 0)
        ctx.check(frames >= 20, f"the hall decoded {frames} video frames of {site} (< 20)")

    # The leaver disappears from everyone else within two seconds.
    leave = next((a for a in reports[LEAVER].get("actions", []) if a.get("type") == "leave"), None)
    ctx.check(leave is not None and leave.get("ok") is True, f"{LEAVER}'s leave: {leave}")
    # The checks below are timed from it: without the send time they would pass on nothing.
    ctx.check(bool(leave and leave.get("sent_unix_ms")), f"{LEAVER}'s leave has no send time: {leave}")
    if leave and leave.get("sent_unix_ms"):
        for name, report in reports.items():
            if name == LEAVER:
                continue
            left = [e for e in events_of(report, "participant.left") if e.get("participant") == LEAVER]
            ctx.check(bool(left), f"{name} got no participant.left for {LEAVER}")
            if left:
                delay = left[0]["unix_ms"] - leave["sent_unix_ms"]
                ctx.check(delay < 2000, f"{name} learned of {LEAVER}'s leave after {delay} ms (>= 2000)")
                ctx.check(left[0].get("reason") == "left", f"{name}: reason {left[0].get('reason')!r}")

    # Video goes on after the leave: its renegotiation once left every test peer dropping all
    # video (an inverted RTX payload map, docs/PERFORMANCE.md, "Loopback meetings"), which the frame
    # totals above did not notice. Whole seconds from 1 s to 4 s after the leave.
    if leave and leave.get("sent_unix_ms"):
        since, until = leave["sent_unix_ms"] + 1000, leave["sent_unix_ms"] + 4000
        pairs = [(HALL, site) for site in sites if site != LEAVER] + \
                [(site, HALL) for site in sites if site != LEAVER]
        for receiver, sender in pairs:
            seconds = frames_between(reports[receiver], sender, since, until)
            ctx.check(len(seconds) >= 2 and sum(seconds) >= len(seconds) * FPS // 3,
                      f"{receiver} decoded {seconds} frames/s of {sender} after {LEAVER} left (< {FPS // 3})")

    # The late joiner: WebSocket open -> first decoded hall frame under a second.
    first = remote(reports[LATE], HALL).get("first_video_ms")
    ctx.check(first is not None and first < 1000, f"late joiner's first hall frame at {first} ms after open")
    ctx.metric("late_join_first_video_ms", first)
    # Where the late joiner's time went (docs/PERFORMANCE.md, "Join time"): its peer's milestones,
    # ms after the WebSocket opened, in the order they happened.
    timeline = reports[LATE].get("join_timeline") or {}
    ctx.metric("late_join_timeline", dict(sorted(timeline.items(), key=lambda kv: kv[1])))
    ctx.metric("join_first_video_ms", {n: remote(r, HALL).get("first_video_ms")
                                       for n, r in reports.items() if n != HALL})
