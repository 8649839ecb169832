"""Runs one meeting scenario against a diemcau already listening on 127.0.0.1:PORT.

  run.py SCENARIO --peer PEER_BIN --port PORT --data-dir DIR --lsan-supp FILE

Exit 0 when every check passed, 1 otherwise. The scenario's notes, failed checks and metrics
are printed; metrics also go to DIR/metrics-SCENARIO.json.
"""

import argparse
import importlib
import json
import os
import sys
import time
import traceback

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from meeting.admin import Admin  # noqa: E402
from meeting.peers import PeerRunner  # noqa: E402

SCENARIOS = ("basic", "chair", "vanish", "protocol", "resume", "speaker", "lossy", "recording", "recording_crash")


class Context:
    def __init__(self, args):
        self.port = args.port
        self.work_dir = args.data_dir
        self.admin = Admin(args.port, args.data_dir)
        self.peers = PeerRunner(args.peer, args.port, args.data_dir, args.lsan_supp)
        self.failures = []
        self.metrics = {}
        self.started = time.monotonic()

    def check(self, condition, message):
        if not condition:
            self.failures.append(message)
            self.note("CHECK FAILED: " + message)

    def note(self, message):
        print(f"[{time.monotonic() - self.started:6.2f}s] {message}", flush=True)

    def metric(self, name, value):
        self.metrics[name] = value

    @staticmethod
    def sleep(seconds):
        time.sleep(seconds)

    @staticmethod
    def unix_ms():
        return int(time.time() * 1000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=SCENARIOS)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--lsan-supp", default="")
    args = parser.parse_args()
    scenario = importlib.import_module(f"meeting.scenario_{args.scenario}")
    ctx = None
    try:
        ctx = Context(args)
        scenario.run(ctx)
    except Exception as e:  # a scenario that cannot go on is one more failed check
        traceback.print_exc()
        if ctx is None:
            print(f"FAIL: cannot set up: {e}", flush=True)
            return 1
        ctx.failures.append(f"{type(e).__name__}: {e}")
    finally:
        if ctx is not None:
            ctx.peers.kill_all()
    with open(os.path.join(args.data_dir, f"metrics-{args.scenario}.json"), "w") as f:
        json.dump(ctx.metrics, f)
    if ctx.metrics:
        print("metrics: " + json.dumps(ctx.metrics), flush=True)
    if ctx.failures:
        print(f"FAIL: {len(ctx.failures)} check(s) failed:", flush=True)
        for failure in ctx.failures:
            print("  - " + failure, flush=True)
        return 1
    print("PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
