"""Starts diemcau-webrtc-peer processes in --mode join and collects their JSON reports."""

import json
import os
import signal
import subprocess
import time


class Peer:
    def __init__(self, runner, name, token, duration, role="site", actions=None, extra=()):
        self.name = name
        self.report_path = os.path.join(runner.work_dir, f"peer-{name}.json")
        self.log_path = os.path.join(runner.work_dir, f"peer-{name}.log")
        args = [runner.peer_bin, "--url", runner.url, "--mode", "join", "--token", token,
                "--role-hint", role, "--duration", str(duration), *extra]
        if actions:
            path = os.path.join(runner.work_dir, f"actions-{name}.txt")
            with open(path, "w") as f:
                f.write("\n".join(actions) + "\n")
            args += ["--actions", path]
        env = dict(os.environ)
        env["LSAN_OPTIONS"] = ":".join(filter(None, [env.get("LSAN_OPTIONS"), f"suppressions={runner.lsan_supp}"]))
        self.started_unix_ms = int(time.time() * 1000)
        self._out = open(self.report_path, "w")
        self._err = open(self.log_path, "w")
        self.process = subprocess.Popen(args, stdout=self._out, stderr=self._err, env=env)
        self.report = None
        self.returncode = None

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.returncode = self.process.returncode
        self._close_files()

    def wait(self, timeout):
        try:
            self.returncode = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.returncode = self.process.wait()
            raise AssertionError(f"peer {self.name} did not finish in time") from None
        finally:
            self._close_files()
        with open(self.report_path) as f:
            text = f.read().strip()
        try:
            self.report = json.loads(text.splitlines()[-1]) if text else None
        except json.JSONDecodeError:
            self.report = None
        if self.report is None:
            raise AssertionError(f"peer {self.name} printed no report (exit {self.returncode}); see {self.log_path}")
        return self.report

    def log_tail(self, lines=40):
        try:
            with open(self.log_path) as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def _close_files(self):
        for f in (self._out, self._err):
            if not f.closed:
                f.close()


class PeerRunner:
    def __init__(self, peer_bin, port, work_dir, lsan_supp):
        self.peer_bin = peer_bin
        self.url = f"ws://127.0.0.1:{port}/ws"
        self.work_dir = work_dir
        self.lsan_supp = lsan_supp
        self.peers = []

    def start(self, name, token, duration, **kwargs):
        peer = Peer(self, name, token, duration, **kwargs)
        self.peers.append(peer)
        return peer

    def kill_all(self):
        for peer in self.peers:
            if peer.process.poll() is None:
                peer.process.kill()
                peer.process.wait()


# --- report helpers ------------------------------------------------------------------------

def events_of(report, event_type):
    return [e for e in report.get("events", []) if e.get("type") == event_type]


def remote(report, participant):
    return report.get("remotes", {}).get(participant, {})


def summary(report):
    """One line per remote: frames and audio seconds, for failure messages."""
    parts = []
    for pid, r in sorted(report.get("remotes", {}).items()):
        rate = r.get("audio_rate") or 48000
        parts.append(f"{pid}: {r.get('video_frames')} frames, {r.get('audio_samples', 0) / rate:.1f} s audio, "
                     f"first video {r.get('first_video_ms')} ms")
    return f"[{report.get('participant')}] " + ("; ".join(parts) or "nothing received") + \
        (f"; errors {report.get('errors')}" if report.get("errors") else "")
