"""meeting_recording_crash (first half): a meeting recorded by its policy; the server is killed
with SIGKILL while it records. The files it leaves must play (Matroska written so that a cut file
is readable). meeting_recording.sh then restarts the server on the same data and checks that
start-up closed the archive (minutes, SHA256SUMS)."""

import glob
import os
import signal
import time

from meeting.admin import standard_meeting
from meeting.recording_checks import archive_folder, decoded_seconds, discover

HALL, SITE = "huyen", "xa-a"
RECORD_FOR = 5  # seconds of media in the files before the kill


def run(ctx):
    meeting, tokens = standard_meeting(ctx.admin, 1, title="recorded by policy", recording="all")
    folder = archive_folder(ctx.work_dir, meeting["id"])
    with open(os.path.join(ctx.work_dir, "crash-meeting.txt"), "w") as f:
        f.write(meeting["id"])
    ctx.peers.start(HALL, tokens[HALL], 60, role="host")
    ctx.peers.start(SITE, tokens[SITE], 60)
    deadline = time.monotonic() + 20
    files = []
    while time.monotonic() < deadline:
        files = glob.glob(os.path.join(folder, "*.mkv"))
        if len(files) == 2 and all(os.path.getsize(f) > 20000 for f in files):
            break
        time.sleep(0.2)
    ctx.check(len(files) == 2, f"recording files before the kill: {files}")
    ctx.sleep(RECORD_FOR)
    with open(os.path.join(ctx.work_dir, "server.pid")) as f:
        pid = int(f.read().strip())
    os.kill(pid, signal.SIGKILL)
    ctx.note(f"killed the server (pid {pid}) while recording")
    ctx.sleep(0.5)
    ctx.peers.kill_all()
    for path in files:
        name = os.path.basename(path)
        found = discover(path)
        decoded_ok, seconds = decoded_seconds(path)
        ctx.note(f"{name} after the kill: {seconds:.2f} s decoded, {found['codecs']}")
        ctx.check(found["ok"], f"{name} does not open after the kill: {found['output']}")
        ctx.check(decoded_ok, f"{name} does not decode to its end after the kill")
        # At most about a cluster (1 s) and the jitter buffer's latency are lost.
        ctx.check(seconds >= RECORD_FOR - 1.5, f"{name} holds {seconds:.2f} s")
        ctx.check("audio:Opus" in found["codecs"] and "video:VP8" in found["codecs"],
                  f"{os.path.basename(path)} codecs {found['codecs']}")
