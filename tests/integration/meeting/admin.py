"""The server's admin API (/api/v1, bearer key from <data-dir>/admin.key), as the tests use it
to make sites, a meeting that is open now, and join tokens."""

import datetime
import json
import os
import time
import urllib.error
import urllib.request


class AdminError(Exception):
    def __init__(self, status, body):
        super().__init__(f"admin API answered {status}: {body}")
        self.status = status
        self.body = body


class Admin:
    def __init__(self, port, data_dir, timeout=10.0):
        self.base = f"http://127.0.0.1:{port}/api/v1/"
        self.key = _read_key(os.path.join(data_dir, "admin.key"), timeout)

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + self.key)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read().decode()
                return json.loads(text) if text.strip() else None
        except urllib.error.HTTPError as e:
            raise AdminError(e.code, e.read().decode(errors="replace")) from None

    def add_site(self, site_id, name, kind="commune"):
        return self.call("POST", "sites", {"id": site_id, "name": name, "kind": kind})

    def open_meeting(self, title, host, sites, wait=10.0, **fields):
        """A meeting that started a minute ago, so the scheduler makes it live at once; waits
        until the store says open or live. `fields` go into the creation (e.g. recording="all").
        Returns the meeting JSON."""
        start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)
        body = {"title": title, "host": host, "sites": sites, "timeZone": "UTC",
                "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "duration": "1h", "lobbyMinutes": 5}
        body.update(fields)
        meeting = self.call("POST", "meetings", body)
        deadline = time.monotonic() + wait
        while meeting.get("state") not in ("open", "live"):
            if time.monotonic() > deadline:
                raise AssertionError(f"meeting {meeting['id']} stayed {meeting.get('state')}")
            time.sleep(0.1)
            meeting = self.call("GET", "meetings/" + meeting["id"])
        return meeting

    def links(self, meeting_id):
        """{site id: token} for the host and every invited site."""
        return {entry["site"]: entry["token"] for entry in self.call("GET", f"meetings/{meeting_id}/links")}

    def token(self, meeting_id, site, **fields):
        """A token with explicit fields (role, validFrom, validUntil)."""
        body = {"meeting": meeting_id, "site": site}
        body.update(fields)
        return self.call("POST", "tokens", body)["token"]


def _read_key(path, timeout):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with open(path) as f:
                key = f.read().strip()
            if key:
                return key
        except FileNotFoundError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} was not written by the server (is the admin API wired in?)")
        time.sleep(0.1)


def standard_meeting(admin, communes, title="integration meeting", **fields):
    """Hall 'huyen' hosting communes 'xa-a', 'xa-b', ...; returns (meeting, {site: token})."""
    admin.add_site("huyen", "UBND huyen", "hall")
    ids = []
    for i in range(communes):
        site = "xa-" + chr(ord("a") + i)
        admin.add_site(site, "Xa " + chr(ord("A") + i))
        ids.append(site)
    meeting = admin.open_meeting(title, "huyen", ids, **fields)
    return meeting, admin.links(meeting["id"])
