"""meeting_resume: a commune's link is cut for 10 s and comes back; it keeps its seat.

The site peer takes its media on 127.0.0.2 (loopback, inside the test's own namespace) and an
nftables table drops everything to and from that address for CUT seconds: its media connections
go silent while its WebSocket (on 127.0.0.1) stays. The bridge (ice-consent-timeout 3 s for this
scenario) counts the media as lost, tells the site (media.lost) and the hall
(participant.reconnecting); the site peer (--reconnect) joins again with resume:true on new
connections, retrying until the link is back. Checked: the hall never sees participant.left for
the site, sees it reconnected, the site decodes the hall's video again after rejoining, and the
event log holds the gap."""

import json
import os
import subprocess

from meeting.admin import standard_meeting
from meeting.peers import events_of, summary

HALL, SITE = "huyen", "xa-a"
SITE_ADDRESS = "127.0.0.2"
MEDIA_BEFORE = 8.0   # media flows before the cut, even on a loaded machine
CUT = 10.0
DURATION = 36        # the cut, the rejoin and some seconds of media after it
SITE_OUTLIVES = 4
TABLE = "diemcau_resume_cut"


def nft(script):
    subprocess.run(["nft", "-f", "-"], input=script, text=True, check=True)


def cut_link():
    nft(f"""table inet {TABLE} {{
  chain out {{
    type filter hook output priority 0; policy accept;
    ip saddr {SITE_ADDRESS} drop
    ip daddr {SITE_ADDRESS} drop
  }}
}}
""")


def restore_link():
    subprocess.run(["nft", "delete", "table", "inet", TABLE], check=False)


def site_quality(ctx, meeting_id):
    status = ctx.admin.call("GET", "status")
    for m in status.get("meetings", []):
        if m.get("id") != meeting_id or not isinstance(m.get("live"), dict):
            continue
        for s in m["live"].get("sites", []):
            if s.get("id") == SITE:
                return s
    return {}


def ctl_status(ctx):
    """`diemcauctl status` prints the site's row with its link quality ("N/5 ...")."""
    ctl = os.environ.get("CTL_BIN", "")
    if not ctl or not os.access(ctl, os.X_OK):
        ctx.note("diemcauctl is not built: its status output is not checked")
        return
    out = subprocess.run([ctl, "--url", f"http://127.0.0.1:{ctx.port}/", "--data-dir", ctx.work_dir, "status"],
                         capture_output=True, text=True, timeout=20)
    ctx.note("diemcauctl status:\n" + out.stdout)
    ctx.check(out.returncode == 0, f"diemcauctl status exited {out.returncode}: {out.stderr}")
    rows = [line for line in out.stdout.splitlines() if line.split()[:1] == [SITE]]
    ctx.check(bool(rows) and "/5" in rows[0] and " yes " in rows[0] + " ",
              f"diemcauctl status shows no connected row with link quality for {SITE}: {rows}")


def event_log(ctx, meeting_id):
    path = os.path.join(ctx.work_dir, "archive", meeting_id, "events.jsonl")
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def run(ctx):
    meeting, tokens = standard_meeting(ctx.admin, 1)
    hall = ctx.peers.start(HALL, tokens[HALL], DURATION, role="host")
    # The site outlives the hall by a few seconds: its ordinary leave at the end must come after the
    # hall has stopped listening, or it reads as the seat given up.
    site = ctx.peers.start(SITE, tokens[SITE], DURATION + SITE_OUTLIVES,
                           extra=["--ice-address", SITE_ADDRESS, "--reconnect"])
    ctx.sleep(MEDIA_BEFORE)
    # The admin API's live status (what diemcauctl status prints) has the site's link quality by now.
    quality = site_quality(ctx, meeting["id"])
    ctx.note(f"admin status before the cut: {quality}")
    ctx.check(isinstance(quality.get("link"), dict) and quality["link"].get("level", 0) >= 1,
              f"no link quality for {SITE} in the admin status: {quality}")
    ctl_status(ctx)
    cut_ms = ctx.unix_ms()
    cut_link()
    try:
        ctx.sleep(CUT)
    finally:
        restore_link()
    back_ms = ctx.unix_ms()
    ctx.note(f"link to {SITE} cut for {back_ms - cut_ms} ms")
    site_report = site.wait(DURATION + SITE_OUTLIVES + 20)
    hall_report = hall.wait(DURATION + 20)
    ctx.note("hall: " + summary(hall_report))
    ctx.note("site: " + summary(site_report))
    ctx.check(hall.returncode == 0, f"the hall exited {hall.returncode}: {hall_report.get('errors')}")
    ctx.check(site.returncode == 0, f"the site exited {site.returncode}: {site_report.get('errors')}")

    left = [e for e in events_of(hall_report, "participant.left") if e.get("participant") == SITE]
    ctx.check(not left, f"the hall saw {SITE} leave: {left}")
    lost = [e for e in events_of(hall_report, "participant.reconnecting") if e.get("participant") == SITE]
    back = [e for e in events_of(hall_report, "participant.reconnected") if e.get("participant") == SITE]
    ctx.check(bool(lost), f"the hall never saw {SITE} reconnecting")
    ctx.check(bool(back), f"the hall never saw {SITE} reconnected")
    if lost:
        ctx.metric("reconnecting_after_cut_ms", lost[0]["unix_ms"] - cut_ms)
        ctx.check(lost[0]["unix_ms"] >= cut_ms, "reconnecting before the cut")
    if back:
        ctx.metric("reconnected_after_restore_ms", back[-1]["unix_ms"] - back_ms)

    rejoined = [e for e in events_of(site_report, "reconnect.joined") if e.get("resumed")]
    ctx.check(bool(rejoined), f"{SITE} never joined again with its seat resumed")
    total = site_report.get("video_frames_decoded", 0)
    if rejoined:
        after = total - rejoined[-1].get("video_frames_before", total)
        ctx.note(f"{SITE} decoded {after} video frames after its last rejoin")
        ctx.metric("site_frames_after_rejoin", after)
        ctx.check(after >= 30, f"{SITE} decoded only {after} video frames after rejoining")

    log = event_log(ctx, meeting["id"])
    gaps = [e for e in log if e.get("type") == "participant.reconnected" and e.get("participant") == SITE]
    ctx.check(bool(gaps) and all(isinstance(e.get("gapMs"), int) for e in gaps), f"no gap in the event log: {gaps}")
    if gaps:
        ctx.metric("logged_gap_ms", sum(e["gapMs"] for e in gaps))
    log_left = [e for e in log if e.get("type") == "participant.left" and e.get("participant") == SITE
                and e.get("reason") != "left"]
    ctx.check(not log_left, f"the event log has {SITE} leaving: {log_left}")
