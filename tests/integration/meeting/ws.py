"""A minimal WebSocket client (RFC 6455) for protocol tests: handshake, masked text frames,
frame reading with a deadline. Standard library only, loopback only.

Deliberately small: no extensions, no fragmentation on send (the tests send whole messages,
large ones included, to exercise the server's limit), fragments reassembled on receive.
"""

import base64
import hashlib
import json
import os
import socket
import struct
import time

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


class Closed(Exception):
    """The server closed the connection; code and reason from its close frame, if it sent one."""

    def __init__(self, code=None, reason=""):
        super().__init__(f"closed by server (code {code}, {reason!r})")
        self.code = code
        self.reason = reason


class WsClient:
    def __init__(self, host, port, path="/ws", timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self._buffer = b""
        self.closed = None  # Closed once the server has closed
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        head = self._read_until(b"\r\n\r\n", time.monotonic() + timeout)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            raise ConnectionError(f"WebSocket handshake refused: {status!r}")
        # Section 4.2.2: the accept value proves the server read our key.
        expected = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        accept = [l.split(b":", 1)[1].strip().decode() for l in head.split(b"\r\n")
                  if l.lower().startswith(b"sec-websocket-accept:")]
        if accept != [expected]:
            raise ConnectionError("bad Sec-WebSocket-Accept")

    # --- sending -----------------------------------------------------------------------

    def send_frame(self, opcode, payload, fin=True):
        # Section 5.3: every client frame is masked.
        header = bytes([(0x80 if fin else 0) | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload)) if n < 4096 else _mask_fast(payload, mask)
        self.sock.sendall(header + mask + masked)

    def send_text(self, text):
        self.send_frame(OP_TEXT, text.encode("utf-8"))

    def send_json(self, message):
        self.send_text(json.dumps(message))

    def close(self):
        try:
            if self.closed is None:
                self.send_frame(OP_CLOSE, struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()

    # --- receiving ---------------------------------------------------------------------

    def recv_message(self, timeout=5.0):
        """The next text message (str). Raises Closed when the server closes, TimeoutError when
        nothing arrives in time. Pings are answered."""
        deadline = time.monotonic() + timeout
        parts = []
        while True:
            fin, opcode, payload = self._read_frame(deadline)
            if opcode == OP_PING:
                self.send_frame(OP_PONG, payload)
                continue
            if opcode == OP_PONG:
                continue
            if opcode == OP_CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                self.closed = Closed(code, payload[2:].decode("utf-8", "replace"))
                raise self.closed
            parts.append(payload)
            if fin:
                return b"".join(parts).decode("utf-8")

    def recv_json(self, timeout=5.0):
        return json.loads(self.recv_message(timeout))

    def wait_for(self, predicate, timeout=5.0):
        """Reads messages until predicate(message) is true; returns (match, skipped messages)."""
        deadline = time.monotonic() + timeout
        skipped = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching message within {timeout} s; saw {[m.get('type') for m in skipped]}")
            message = self.recv_json(left)
            if predicate(message):
                return message, skipped
            skipped.append(message)

    def request(self, message, timeout=5.0):
        """Sends a request and returns its reply (events that arrive first are skipped)."""
        self.send_json(message)
        reply, _ = self.wait_for(lambda m: m.get("type") == "reply" and m.get("id") == message.get("id"), timeout)
        return reply

    def _read_frame(self, deadline):
        b0, b1 = self._read_exact(2, deadline)
        fin = bool(b0 & 0x80)
        opcode = b0 & 0x0F
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._read_exact(2, deadline))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._read_exact(8, deadline))[0]
        if n > 16 * 1024 * 1024:
            raise ConnectionError(f"frame of {n} bytes from the server")
        mask = self._read_exact(4, deadline) if b1 & 0x80 else None
        payload = self._read_exact(n, deadline)
        if mask:
            payload = _mask_fast(payload, mask)
        return fin, opcode, payload

    def _read_exact(self, n, deadline):
        while len(self._buffer) < n:
            self._fill(deadline)
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def _read_until(self, marker, deadline):
        while marker not in self._buffer:
            self._fill(deadline)
        head, self._buffer = self._buffer.split(marker, 1)
        return head

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("nothing from the server in time")
        self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise TimeoutError("nothing from the server in time") from None
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.closed = self.closed or Closed(None, "TCP connection ended")
            raise self.closed
        self._buffer += chunk


def _mask_fast(payload, mask):
    # XOR with the 4-byte mask repeated, via big integers (fast enough for a few MB).
    n = len(payload)
    if n == 0:
        return b""
    key = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")
