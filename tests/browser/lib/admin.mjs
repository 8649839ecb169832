// The admin REST API (/api/v1, bearer key from <data-dir>/admin.key): sites, meetings and the
// join links a real operator would hand out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export class Admin {
  constructor(baseUrl, dataDir) {
    this.baseUrl = baseUrl;
    this.key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
  }

  async call(method, path, body) {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return json;
  }

  addSite(id, name, kind = 'commune') { return this.call('POST', '/sites', { id, name, kind }); }
  addMeeting(fields) { return this.call('POST', '/meetings', fields); }
  links(meetingId) { return this.call('GET', `/meetings/${meetingId}/links`); }
  token(fields) { return this.call('POST', '/tokens', fields); }
}

/// The join link form the server issues: /join#token=... (the token stays out of server logs).
export function joinUrl(baseUrl, token) { return `${baseUrl}/join#token=${token}`; }
