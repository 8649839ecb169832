"""meeting_recording: a meeting recorded on the chair's command, with the hall and three
communes; one commune leaves and comes back, another is muted by the chair for a while. Every
file plays with its participant's codecs and lasts as long as the participant was there (within
1 s); the minutes list the attendance, the gap and the chair's actions; SHA256SUMS verifies, and
fails once one byte of a recording is changed."""

import os

from meeting.admin import standard_meeting
from meeting.recording_checks import (archive_folder, discover, flip_byte, read_events, read_minutes,
                                      sha256sum_check, utc_ms, wait_for)

HALL, STAYS, MUTED, REJOIN = "huyen", "xa-a", "xa-b", "xa-c"
RECORD_AT, MUTE_AT, UNMUTE_AT, END_AT = 0.5, 5, 9, 17
FIRST_STAY, REJOIN_AT = 7, 10  # seconds from the start of the scenario
LONG = 40  # peers that stay are ended by the chair's end


def run(ctx):
    meeting, tokens = standard_meeting(ctx.admin, 3, title="recorded meeting")
    folder = archive_folder(ctx.work_dir, meeting["id"])
    hall = ctx.peers.start(HALL, tokens[HALL], LONG, role="host", actions=[
        f'{RECORD_AT} send {{"type":"recording.start"}}', f"{MUTE_AT} mute {MUTED} true",
        f"{UNMUTE_AT} mute {MUTED} false", f"{END_AT} end"])
    stays = ctx.peers.start(STAYS, tokens[STAYS], LONG)
    muted = ctx.peers.start(MUTED, tokens[MUTED], LONG)
    first = ctx.peers.start(REJOIN, tokens[REJOIN], FIRST_STAY)
    ctx.sleep(REJOIN_AT)
    first_report = first.wait(10)
    second = ctx.peers.start(REJOIN + "-again", tokens[REJOIN], LONG)
    for name, peer in [(HALL, hall), (STAYS, stays), (MUTED, muted), (REJOIN + "-again", second)]:
        report = peer.wait(END_AT + 20)
        ctx.check(peer.returncode == 0, f"{name} exited {peer.returncode} (ended by {report.get('ended_by')}): "
                                        f"{report.get('errors')}")
    ctx.check(first.returncode == 0, f"{REJOIN}'s first stay exited {first.returncode}: {first_report.get('errors')}")
    actions = {a["line"]: a for a in hall.report.get("actions", [])}
    start = actions.get(f'{RECORD_AT} send {{"type":"recording.start"}}', {})
    ctx.check(start.get("ok") is True, f"the chair's recording.start was not accepted: {start}")
    changed = [e for e in muted.report.get("events", []) if e.get("type") == "recording.changed"]
    ctx.check(any(e.get("recording") is True for e in changed), f"{MUTED} was not told of the recording: {changed}")

    ctx.check(wait_for(os.path.join(folder, "SHA256SUMS"), 20), "the archive was not closed after the meeting's end")
    if ctx.failures and not os.path.exists(os.path.join(folder, "SHA256SUMS")):
        return
    minutes = read_minutes(folder)
    sites = {s["id"]: s for s in minutes["sites"]}
    for site in (HALL, STAYS, MUTED, REJOIN):
        ctx.check(site in sites and not sites[site]["absent"], f"{site} missing from the attendance: {sites.get(site)}")
    ctx.check(sites.get(REJOIN, {}).get("gaps") == 1, f"{REJOIN}'s gap: {sites.get(REJOIN)}")
    for site in (HALL, STAYS, MUTED):
        ctx.check(sites.get(site, {}).get("gaps") == 0, f"{site} has gaps: {sites.get(site)}")
    chair = [(a["action"], a["target"]) for a in minutes["chairActions"] if a["by"] == HALL]
    for expected in [("recording.start", ""), ("mute", MUTED), ("unmute", MUTED), ("end", "")]:
        ctx.check(expected in chair, f"chair action {expected} missing from the minutes: {chair}")

    starts = [utc_ms(a["at"]) for a in minutes["chairActions"] if a["action"] == "recording.start"]
    recording_on = starts[0] if starts else 0
    recordings = minutes["recordings"]
    by_site = {}
    for r in recordings:
        by_site.setdefault(r["participant"], []).append(r)
    expected_files = {HALL: 1, STAYS: 1, MUTED: 1, REJOIN: 2}
    for site, count in expected_files.items():
        ctx.check(len(by_site.get(site, [])) == count, f"{site}: {len(by_site.get(site, []))} files, not {count}")
    ctx.check(len(recordings) == 5, f"{len(recordings)} recordings in the minutes: {[r['file'] for r in recordings]}")
    events = read_events(folder)
    worst = 0.0
    for r in recordings:
        path = os.path.join(folder, r["file"])
        found = discover(path)
        ctx.check(found["ok"], f"{r['file']} does not open: {found['output']}")
        ctx.check("video:VP8" in found["codecs"] and "audio:Opus" in found["codecs"],
                  f"{r['file']} codecs {found['codecs']}")
        ctx.check(r.get("droppedPackets") == 0, f"{r['file']} dropped {r.get('droppedPackets')} packets")
        # The participant's stay this file belongs to: the presence interval its start falls in.
        started = utc_ms(r["started"]) if r.get("started") else 0
        stays = sites.get(r["participant"], {}).get("present", [])
        stay = min(stays, key=lambda s: abs(utc_ms(s["joined"]) - started), default=None)
        if stay is None:
            ctx.check(False, f"no presence for {r['file']}")
            continue
        # Its media's time in the meeting while the meeting was recorded.
        added = [utc_ms(e["at"]) for e in events if e["type"] == "track.added"
                 and e["track"]["participant"] == r["participant"] and utc_ms(e["at"]) <= started]
        media_from = max(added[-1] if added else utc_ms(stay["joined"]), recording_on)
        present_s = (utc_ms(stay["left"]) - media_from) / 1000.0
        diff = found["duration_s"] - present_s
        worst = max(worst, abs(diff))
        ctx.note(f"{r['file']}: {found['duration_s']:.2f} s for a stay of {present_s:.2f} s, {r['sizeBytes']} bytes")
        ctx.check(abs(diff) <= 1.0, f"{r['file']} lasts {found['duration_s']:.2f} s, its participant stayed {present_s:.2f} s")
    ctx.metric("recording_duration_worst_error_s", round(worst, 2))

    status, output = sha256sum_check(folder)
    ctx.check(status == 0, f"sha256sum -c failed on the closed archive: {output}")
    if recordings:
        victim = os.path.join(folder, recordings[0]["file"])
        flip_byte(victim, os.path.getsize(victim) // 2)
        status, output = sha256sum_check(folder)
        ctx.check(status != 0 and recordings[0]["file"] in output,
                  f"sha256sum -c did not catch a changed byte: {status} {output}")
