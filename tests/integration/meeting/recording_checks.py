"""What the recording scenarios check on disk: files through gst-discoverer-1.0, the archive's
minutes and SHA256SUMS."""

import json
import os
import re
import subprocess
import time


def archive_folder(work_dir, meeting_id):
    return os.path.join(work_dir, "archive", meeting_id)


def wait_for(path, timeout):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def discover(path):
    """{ok, duration_s, codecs: ["video:VP8", "audio:Opus", "video:H.264"], output}."""
    try:
        out = subprocess.run(["gst-discoverer-1.0", path], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"ok": False, "duration_s": 0.0, "codecs": [], "output": str(e)}
    text = out.stdout + out.stderr
    duration = 0.0
    m = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", text)
    if m:
        duration = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    codecs = []
    # "    audio #1: Opus", "    video #2: VP8" (or "H.264 (Constrained Baseline Profile)")
    for kind, name in re.findall(r"^\s*(video|audio) #\d+: (.+?)\s*$", text, re.MULTILINE):
        codecs.append(f"{kind}:{name.split(' (')[0]}")
    ok = out.returncode == 0 and "Done discovering" in text and "Properties:" in text
    return {"ok": ok and bool(codecs), "duration_s": duration, "codecs": codecs, "output": text[-600:]}


def decoded_seconds(path):
    """Decodes every stream of the file to the end (what a player does) and returns (ok, the
    latest buffer time in seconds). gst-discoverer's duration of a file cut by a crash (no final
    header, no cues) is only an estimate from its start, so a cut file is judged by this."""
    cmd = ["gst-launch-1.0", "-v", "filesrc", f"location={path}", "!", "decodebin", "name=d",
           "d.", "!", "queue", "!", "fakesink", "sync=false", "silent=false",
           "d.", "!", "queue", "!", "fakesink", "sync=false", "silent=false"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False, 0.0
    latest = 0.0
    for h, m, sec in re.findall(r"pts: (\d+):(\d+):(\d+\.\d+)", out.stdout):
        latest = max(latest, int(h) * 3600 + int(m) * 60 + float(sec))
    return out.returncode == 0 and "ERROR" not in out.stderr, latest


def read_events(folder):
    with open(os.path.join(folder, "events.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def read_minutes(folder):
    with open(os.path.join(folder, "minutes.json")) as f:
        return json.load(f)


def sha256sum_check(folder):
    """(exit status, output) of `sha256sum -c SHA256SUMS` in the folder."""
    out = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    return out.returncode, (out.stdout + out.stderr).strip()


def flip_byte(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0xFF]))


def utc_ms(text):
    """'2026-12-01T01:00:00.123Z' → ms since the epoch."""
    import datetime
    when = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return int(when.timestamp() * 1000)
