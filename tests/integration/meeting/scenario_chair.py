"""meeting_chair: the chair mutes a site and its audio stops reaching another site, then comes
back when unmuted; the chair removes a site, whose connection is closed and whose token no
longer joins."""

from meeting.admin import standard_meeting
from meeting.peers import events_of, remote, summary
from meeting.ws import Closed, WsClient

HALL, MUTED, REMOVED, LISTENER = "huyen", "xa-a", "xa-b", "xa-c"
# The window before the mute (from a second after the listener first hears the site) holds a whole
# one-second bucket even when the connections take 2-3 s on a loaded machine; the window after the
# unmute (1.5 s settling, then until the removal) holds at least one, whatever their phase.
MUTE_AT, UNMUTE_AT, REMOVE_AT = 5, 9, 13
DURATION = 16
FULL_SECOND = 48000


def audio_seconds(report, participant, since_unix_ms, until_unix_ms):
    """Decoded samples of `participant` per whole second of `report` inside [since, until)."""
    opened = report["ws_open_unix_ms"]
    buckets = remote(report, participant).get("audio_samples_per_s", [])
    out = []
    for i, samples in enumerate(buckets):
        start = opened + 1000 * i
        if start >= since_unix_ms and start + 1000 <= until_unix_ms:
            out.append(samples)
    return out


def run(ctx):
    meeting, tokens = standard_meeting(ctx.admin, 3)
    hall = ctx.peers.start(HALL, tokens[HALL], DURATION, role="host", actions=[
        f"{MUTE_AT} mute {MUTED} true", f"{UNMUTE_AT} mute {MUTED} false", f"{REMOVE_AT} remove {REMOVED}"])
    muted = ctx.peers.start(MUTED, tokens[MUTED], DURATION, extra=["--audio-freq", "300"])
    removed = ctx.peers.start(REMOVED, tokens[REMOVED], DURATION, extra=["--audio-freq", "400"])
    listener = ctx.peers.start(LISTENER, tokens[LISTENER], DURATION, extra=["--publish-video", "off"])
    reports = {name: peer.wait(DURATION + 20) for name, peer in
               [(HALL, hall), (MUTED, muted), (REMOVED, removed), (LISTENER, listener)]}
    for report in reports.values():
        ctx.note(summary(report))
    for name, peer in [(HALL, hall), (MUTED, muted), (LISTENER, listener), (REMOVED, removed)]:
        ctx.check(peer.returncode == 0, f"{name} exited {peer.returncode}: {reports[name].get('errors')}")

    actions = {a["line"]: a for a in reports[HALL].get("actions", [])}
    mute = actions.get(f"{MUTE_AT} mute {MUTED} true", {})
    unmute = actions.get(f"{UNMUTE_AT} mute {MUTED} false", {})
    remove = actions.get(f"{REMOVE_AT} remove {REMOVED}", {})
    for name, a in [("mute", mute), ("unmute", unmute), ("remove", remove)]:
        ctx.check(a.get("ok") is True, f"the chair's {name} was not accepted: {a}")
    if not (mute.get("sent_unix_ms") and unmute.get("sent_unix_ms")):
        return

    # Audio of the muted site, measured at another site, per whole second.
    heard = reports[LISTENER]
    # "Before" starts a second after the listener first heard the site (connections take a while
    # on a loaded machine); hearing nothing before the mute is itself a failure.
    first_heard = remote(heard, MUTED).get("first_audio_ms")
    since = heard["ws_open_unix_ms"] + (first_heard if first_heard is not None else 10 ** 9) + 1000
    before = audio_seconds(heard, MUTED, since, mute["sent_unix_ms"])
    during = audio_seconds(heard, MUTED, mute["sent_unix_ms"] + 1000, unmute["sent_unix_ms"])
    after = audio_seconds(heard, MUTED, unmute["sent_unix_ms"] + 1500, remove["sent_unix_ms"])
    ctx.note(f"{LISTENER} heard {MUTED}: before {before}, muted {during}, after {after}")
    ctx.check(before and min(before) > FULL_SECOND // 2, f"{MUTED}'s audio before the mute: {before}")
    ctx.check(during and max(during) < FULL_SECOND // 20, f"{MUTED}'s audio while muted: {during}")
    ctx.check(after and min(after) > FULL_SECOND // 2, f"{MUTED}'s audio after the unmute: {after}")
    # Everyone is told.
    for name in (HALL, LISTENER):
        changes = [(e.get("participant"), e.get("audioMuted")) for e in events_of(reports[name], "mute.changed")]
        ctx.check((MUTED, True) in changes and (MUTED, False) in changes, f"{name} mute.changed events: {changes}")
    # The muted site's other media is untouched: the hall still sees it.
    ctx.check(remote(reports[HALL], MUTED).get("video_frames", 0) >= 60, "the hall lost the muted site's video")

    # The removed site is told, closed, and cannot come back with its token.
    gone = reports[REMOVED]
    ctx.check(gone.get("ended_by") == "removed", f"{REMOVED} ended by {gone.get('ended_by')}")
    closed = events_of(gone, "ws.closed")
    ctx.check(bool(closed), f"{REMOVED}'s connection was not closed")
    if closed and remove.get("sent_unix_ms"):
        ctx.check(closed[0]["unix_ms"] - remove["sent_unix_ms"] < 2000,
                  f"{REMOVED} was closed {closed[0]['unix_ms'] - remove['sent_unix_ms']} ms after the remove")
    for name in (HALL, MUTED, LISTENER):
        left = [e for e in events_of(reports[name], "participant.left") if e.get("participant") == REMOVED]
        ctx.check(left and left[0].get("reason") == "removed", f"{name}: participant.left for {REMOVED}: {left}")
    ws = WsClient("127.0.0.1", ctx.port)
    try:
        reply = ws.request({"type": "join", "id": 1, "token": tokens[REMOVED]})
    except Closed as e:
        reply = {"closed": str(e)}
    ws.close()
    ctx.check(reply.get("ok") is False and reply.get("error", {}).get("code") == "unauthorized",
              f"a removed site's token joined again: {reply}")
