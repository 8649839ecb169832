"""Loopback-only HTTP server for capture-firefox.sh: serves the capture page, stores posted offers."""
import http.server
import sys
import threading

page_path, out_dir, prefix, version = sys.argv[1:5]
names = {"plain": "%s-audio-video.sdp" % prefix, "simulcast": "%s-simulcast.sdp" % prefix}
received = {}
finished = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        body = open(page_path, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        if self.path.startswith("/sdp/"):
            received[self.path[5:]] = body
        elif self.path == "/done":
            finished.set()
        self.send_response(204)
        self.end_headers()


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
ok = finished.wait(60)
server.shutdown()
status = 0
for key, file in names.items():
    sdp = received.get(key, "")
    if not sdp.startswith("v=0"):
        print("no %s offer: %s" % (key, sdp[:200]), file=sys.stderr)
        status = 1
        continue
    lines = sdp.replace("\r\n", "\n").strip("\n").split("\n")
    with open("%s/%s" % (out_dir, file), "w", encoding="utf-8", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")
    print("wrote %s/%s (%s)" % (out_dir, file, version), file=sys.stderr)
sys.exit(status if ok else 1)
