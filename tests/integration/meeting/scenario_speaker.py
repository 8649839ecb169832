"""meeting_speaker: five sites send a steady tone at very different loudness, with RFC 6464 audio
levels; the hall sends nothing. The three loud sites start first, the two quiet ones once the hall
decodes all three. Checks:
  - dominant speaker: every change names a site louder than the one before (no flicker: steady
    tones never hand it back), the loudest ends up with it, every site and the event log agree;
  - audio last-N (K = 3): the quiet sites arrive while three louder sites speak, so the bridge
    never forwards them (the hall decodes next to nothing of them) while the loud ones are heard."""

import json
import os
import time

from meeting.admin import standard_meeting
from meeting.peers import events_of, remote, summary

HALL = "huyen"
DURATION = 16
QUIET_MIN_DURATION = 6
# Amplitudes about 10 dB apart: -6, -17, -27, -37 and -49 dBov (RMS of the sine).
VOLUMES = {"xa-a": 0.7, "xa-b": 0.2, "xa-c": 0.06, "xa-d": 0.02, "xa-e": 0.005}
LOUD = ("xa-a", "xa-b", "xa-c")
QUIET = ("xa-d", "xa-e")
LOUDEST = "xa-a"
RATE = 48000


def speakers_before_departures(events, initial=None):
    """The speaker.changed participants up to the first participant.left (the end of the run
    takes sites away one by one, which rightly moves the speaker), after `initial`, the speaker
    the join reply named (a site that joins after the last change learns it only from there)."""
    names = [initial] if initial else []
    for e in events:
        if e.get("type") == "participant.left":
            break
        if e.get("type") == "speaker.changed":
            names.append(e.get("participant"))
    return names


def wait_decoding(ctx, peer, sites, timeout):
    """Waits until `peer`'s log says it decodes audio from every one of `sites`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = peer.log_tail(400)
        if all(f"decoding audio/x-raw from section" in text and f"({site})" in text for site in sites):
            return True
        ctx.sleep(0.2)
    return False


def run(ctx):
    meeting, tokens = standard_meeting(ctx.admin, len(VOLUMES))
    # Audio only: six video encoders would crowd the two cores this test may have.
    hall = ctx.peers.start(HALL, tokens[HALL], DURATION, role="host",
                           extra=["--publish-video", "off", "--publish-audio", "off"])

    def start(site, duration):
        index = list(VOLUMES).index(site)
        return ctx.peers.start(site, tokens[site], duration,
                               extra=["--publish-video", "off", "--audio-level", "on",
                                      "--audio-volume", str(VOLUMES[site]), "--audio-freq", str(300 + 100 * index)])

    began = time.monotonic()
    sites = {site: start(site, DURATION) for site in LOUD}
    ctx.check(wait_decoding(ctx, hall, LOUD, DURATION - QUIET_MIN_DURATION),
              f"the hall did not decode all of {LOUD} within {DURATION - QUIET_MIN_DURATION} s")
    remaining = max(QUIET_MIN_DURATION, DURATION - (time.monotonic() - began))
    ctx.note(f"the hall hears the loud sites; the quiet ones join for {remaining:.1f} s")
    sites.update({site: start(site, remaining) for site in QUIET})

    reports = {HALL: hall.wait(DURATION + 20)}
    for site, peer in sites.items():
        reports[site] = peer.wait(DURATION + 20)
    for name, report in reports.items():
        ctx.note(summary(report))
    for name, peer in [(HALL, hall), *sites.items()]:
        ctx.check(peer.returncode == 0, f"{name} exited {peer.returncode}: {reports[name].get('errors')}")

    # Dominant speaker at the hall: only ever handed to someone louder, the loudest last.
    changes = [e for e in reports[HALL].get("events", []) if e.get("type") == "speaker.changed"]
    ctx.note("speaker.changed at the hall: " + ", ".join(f"{e.get('participant')}@{e.get('ms')}ms" for e in changes))
    seen = speakers_before_departures(reports[HALL].get("events", []))
    ctx.metric("speaker_changes", len(seen))
    ctx.check(bool(seen) and seen[-1] == LOUDEST, f"the hall's speakers {seen} do not end with {LOUDEST}")
    order = list(VOLUMES)
    ranks = [order.index(s) if s in order else None for s in seen]
    ctx.check(None not in ranks and all(a > b for a, b in zip(ranks, ranks[1:])),
              f"the speaker moved to a quieter site or to nobody: {seen} (flicker)")
    ctx.check(len(seen) <= len(LOUD), f"{len(seen)} speaker changes among {len(LOUD)} steady loud sites")
    last = next((e for e in reversed(changes) if e.get("participant") == LOUDEST), None)
    if last is not None:
        ctx.check(LOUDEST in last.get("active", []), f"{LOUDEST} not in the active set {last.get('active')}")
    for site in VOLUMES:
        got = speakers_before_departures(reports[site].get("events", []), reports[site].get("initial_speaker"))
        ctx.check(bool(got) and got[-1] == LOUDEST, f"{site} saw the speakers {got}")

    # The event log tells the same.
    path = os.path.join(ctx.work_dir, "archive", meeting["id"], "events.jsonl")
    with open(path) as f:
        logged = speakers_before_departures([json.loads(line) for line in f])
    ctx.check(bool(logged) and logged[-1] == LOUDEST, f"events.jsonl speakers: {logged}")

    # Audio last-N at the hall: the loud sites are heard; the quiet ones, ranked below three louder
    # speakers from their first levels on, are paused on the bridge.
    heard = {site: remote(reports[HALL], site).get("audio_samples", 0) / RATE for site in VOLUMES}
    ctx.note("seconds of audio the hall decoded: " + ", ".join(f"{s} {v:.1f}" for s, v in heard.items()))
    ctx.metric("hall_audio_seconds", heard)
    for site in LOUD:
        ctx.check(heard[site] >= 4, f"the hall decoded {heard[site]:.1f} s of {site} (< 4)")
    for site in QUIET:
        ctx.check(heard[site] < 1.0, f"the hall decoded {heard[site]:.1f} s of the quiet {site} (>= 1)")
    # The quiet sites themselves hear the loud ones: last-N is about what is sent, not who listens.
    for site in QUIET:
        got = remote(reports[site], LOUDEST).get("audio_samples", 0) / RATE
        ctx.check(got >= 1, f"{site} decoded {got:.1f} s of {LOUDEST} (< 1)")
