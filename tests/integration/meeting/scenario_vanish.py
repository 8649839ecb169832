"""meeting_vanish: a participant whose network vanishes is removed after the ICE consent
timeout; one whose process dies is removed when its WebSocket drops.

  frozen (SIGSTOP): its TCP connection stays open but nothing answers ICE consent checks
                    (RFC 7675), so only the bridge's consent timeout can notice;
  killed (SIGKILL): the kernel closes its sockets.
Both must reach the hall as participant.left with reason "connection lost"."""

import signal

from meeting.admin import standard_meeting
from meeting.peers import events_of, summary

HALL, FROZEN, KILLED = "huyen", "xa-a", "xa-b"
VANISH_AFTER = 8.0       # long enough for media to flow first, even on a loaded machine
CONSENT_LIMIT_MS = 16000   # consent timeout (10 s) plus check interval and slack
KILL_LIMIT_MS = 2000
DURATION = 28


def run(ctx):
    meeting, tokens = standard_meeting(ctx.admin, 2)
    hall = ctx.peers.start(HALL, tokens[HALL], DURATION, role="host", extra=["--publish-video", "off"])
    frozen = ctx.peers.start(FROZEN, tokens[FROZEN], DURATION + 30)
    killed = ctx.peers.start(KILLED, tokens[KILLED], DURATION + 30)
    ctx.sleep(VANISH_AFTER)
    vanished_ms = ctx.unix_ms()
    frozen.process.send_signal(signal.SIGSTOP)
    killed.kill9()
    try:
        report = hall.wait(DURATION + 20)
    finally:
        frozen.process.send_signal(signal.SIGCONT)
        frozen.kill9()
    ctx.note(summary(report))
    ctx.check(hall.returncode == 0, f"the hall exited {hall.returncode}: {report.get('errors')}")
    # Both were really there before they vanished.
    for site in (FROZEN, KILLED):
        joined = [e for e in events_of(report, "participant.joined")
                  if e.get("participant", {}).get("id") == site]
        ctx.check(site in report.get("initial_participants", []) or bool(joined), f"{site} never joined")
        frames = report.get("remotes", {}).get(site, {}).get("video_frames", 0)
        ctx.check(frames > 0, f"the hall decoded no video of {site} before it vanished")
    for site, limit in ((KILLED, KILL_LIMIT_MS), (FROZEN, CONSENT_LIMIT_MS)):
        left = [e for e in events_of(report, "participant.left") if e.get("participant") == site]
        ctx.check(bool(left), f"the hall never got participant.left for {site}")
        if left:
            delay = left[0]["unix_ms"] - vanished_ms
            ctx.note(f"{site} removed {delay} ms after it vanished ({left[0].get('reason')})")
            ctx.check(left[0].get("reason") == "connection lost", f"{site} left with reason {left[0].get('reason')!r}")
            ctx.check(delay < limit, f"{site} was removed {delay} ms after it vanished (limit {limit})")
            if site == FROZEN:
                # Not through the WebSocket: that stays open while the process is frozen.
                ctx.check(delay > 3000, f"{FROZEN} removed after only {delay} ms: not by consent timeout?")
            ctx.metric(f"{site}_removed_after_ms", delay)
