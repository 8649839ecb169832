"""Loopback-only server for check-browser-answers.sh: serves answer-check.html, answers each posted
offer with the answer_offer tool, prints the browser's JSON report and exits 0 if every case passed."""
import http.server
import json
import subprocess
import sys
import threading

page_path, tool = sys.argv[1], sys.argv[2]
report = {}
finished = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.reply(200, open(page_path, "rb").read(), "text/html")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/answer":
            done = subprocess.run([tool], input=body, capture_output=True, timeout=30)
            self.reply(200 if done.returncode == 0 else 400, done.stdout)
        elif self.path == "/result":
            report.update(json.loads(body))
            self.reply(204, b"")
            finished.set()
        else:
            self.reply(404, b"")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
ok = finished.wait(90)
server.shutdown()
print(json.dumps(report, indent=2), file=sys.stderr)
passed = ok and report and all(r.get("signalingState") == "stable" for r in report.values())
sys.exit(0 if passed else 1)
