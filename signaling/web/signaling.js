// The /ws client (docs/PROTOCOL.md): requests carry an id and get exactly one reply; events
// have none. Replies with ok:false reject with a SignalingError that keeps the server's code
// and, where the server gives one, its reason.

export class SignalingError extends Error {
  /// reason: the server's machine-readable word where the code names several cases ('' if none).
  constructor(code, message, reason = '') {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}

export function wsUrl(loc = location) {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

export class Signaling {
  constructor(url = wsUrl()) {
    this.ws = new WebSocket(url);
    this.nextId = 1;
    this.pending = new Map();
    this.handlers = new Map();
    this.closeHandlers = [];
    this.closed = false;
    this.opened = new Promise((resolve, reject) => {
      this.ws.addEventListener('open', resolve, { once: true });
      this.ws.addEventListener('error', () => reject(new SignalingError('unreachable', `WebSocket ${url}`)),
                               { once: true });
    });
    this.opened.catch(() => {});  // callers that never await it must not see an unhandled rejection
    this.ws.addEventListener('close', (e) => {
      this.closed = true;
      for (const { reject } of this.pending.values()) reject(new SignalingError('closed', 'WebSocket closed'));
      this.pending.clear();
      for (const fn of this.closeHandlers) fn(e);
    });
    this.ws.addEventListener('message', (e) => this.dispatch(e.data));
  }

  dispatch(data) {
    let msg;
    try { msg = JSON.parse(data); } catch { return; }
    if (!msg || typeof msg.type !== 'string') return;
    if (msg.type === 'reply') {
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.ok) waiter.resolve(msg);
      else {
        const e = msg.error ?? {};
        waiter.reject(new SignalingError(e.code ?? 'internal', e.message ?? 'error', typeof e.reason === 'string' ? e.reason : ''));
      }
      return;
    }
    // Unknown event types are ignored, as the protocol asks of clients.
    for (const fn of this.handlers.get(msg.type) ?? []) fn(msg);
    for (const fn of this.handlers.get('*') ?? []) fn(msg);
  }

  /// Registers fn for events of one type ('*' for every event).
  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(fn);
    return this;
  }

  onClose(fn) { this.closeHandlers.push(fn); }

  request(type, fields = {}) {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new SignalingError('closed', 'WebSocket is not open'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ type, id, ...fields }));
    });
  }

  close() {
    this.closed = true;
    this.ws.close();
  }
}
