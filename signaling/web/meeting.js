// One participant in one meeting: the /ws session, the publish and subscribe connections, the
// meeting's state as the join reply and events describe it, and rejoining with the same token
// when the link drops (the newer connection wins, so the site keeps its seat, hand and floor).
//
// Events (EventTarget): 'change' (state changed), 'chat' {detail: message}, 'notice'
// {detail: {key, vars}}, 'connection' {detail: 'connected' | 'lost' | 'reconnected'},
// 'final' {detail: {kind: 'ended'|'removed'|'replaced'|'left'|'error', reason, error}}.

import { Signaling, SignalingError } from './signaling.js';
import { Publisher } from './publisher.js';
import { Subscriber } from './subscriber.js';
import { joinErrorKey } from './join-link.js';

const kRetryMs = [1000, 2000, 4000, 8000, 10000];

export class MeetingClient extends EventTarget {
  constructor(token, { stream = null, displayName = '' } = {}) {
    super();
    this.token = token;
    this.stream = stream;
    this.displayName = displayName;
    this.me = null;
    this.meeting = null;
    this.participants = new Map();  // id → {id, displayName, role, hand, audioMuted, tracks: Set<kind>}
    this.departed = new Map();      // id → {displayName, reason}: attendance of those who left
    this.invited = null;            // [{site, displayName, role}] for a host, from the join reply
    this.floor = null;
    this.speaker = null;         // the bridge's dominant speaker (speaker.changed)
    this.activeSpeakers = [];
    this.spotlight = null;
    this.locked = false;
    this.recording = false;
    this.endingMinutes = null;
    this.media = new Map();         // id → {audio?: {track, receiver}, video?: {track, receiver}}
    this.sig = null;
    this.publisher = null;
    this.subscriber = null;
    this.final = null;
    this.connected = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.reconnects = 0;
  }

  emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }
  changed() { this.emit('change'); }
  get isHost() { return this.me?.role === 'host'; }
  nameOf(id) { return this.participants.get(id)?.displayName ?? this.departed.get(id)?.displayName ?? id; }

  /// First join: rejects with a SignalingError the caller shows (expired link, ended meeting...).
  async join() { await this.connect(); }

  async connect() {
    const sig = new Signaling();
    this.sig = sig;
    this.wire(sig);
    const fields = { token: this.token };
    if (this.displayName) fields.displayName = this.displayName;
    // Coming back after a cut: the server still holds the seat for a while (docs/PROTOCOL.md).
    if (this.me) fields.resume = true;
    let reply;
    try {
      await sig.opened;
      reply = await sig.request('join', fields);
    } catch (err) {
      if (sig === this.sig) this.sig = null;
      sig.close();
      throw err;
    }
    if (sig !== this.sig) return;
    this.applyJoin(reply);
    this.connected = true;
    this.attempt = 0;
    this.subscriber = new Subscriber(sig, {
      onTrack: (id, track, receiver) => this.onTrack(id, track, receiver),
      onStateChange: (s) => this.onMediaState(sig, s),
    });
    for (const offer of this.earlyOffers ?? []) this.subscriber.onOffer(offer);
    this.earlyOffers = null;
    if (this.me.role !== 'viewer' && this.stream?.getTracks().length) {
      // The hall (a host) publishes simulcast: it is the video every site receives.
      this.publisher = new Publisher(sig, this.stream, {
        simulcast: this.me.role === 'host',
        onStateChange: (s) => this.onMediaState(sig, s),
      });
      this.publisher.start().catch((err) => this.emit('notice', { key: 'joinFailed', vars: { detail: err.message } }));
    }
    this.changed();
  }

  applyJoin(reply) {
    this.me = reply.participant;
    this.meeting = reply.meeting;
    this.participants.clear();
    // Hosts are told who was invited (docs/PROTOCOL.md `join`): the chair's attendance.
    this.invited = Array.isArray(reply.invited) ? reply.invited : null;
    for (const p of reply.participants ?? []) {
      // The roster carries the bridge's latest link measure as `quality`; events update it as `link`.
      this.participants.set(p.id, { ...p, link: p.quality ?? null, tracks: new Set((p.tracks ?? []).map((t) => t.kind)) });
      this.departed.delete(p.id);
    }
    this.floor = reply.floor ?? null;
    this.speaker = reply.speaker ?? null;
    this.activeSpeakers = [];
    this.spotlight = reply.spotlight ?? null;
    this.locked = !!reply.locked;
    this.recording = !!reply.recording;
  }

  wire(sig) {
    const mine = (fn) => (msg) => { if (sig === this.sig) fn(msg); };
    this.earlyOffers = [];
    sig.on('subscribe.offer', mine((m) => (this.subscriber ? this.subscriber.onOffer(m) : this.earlyOffers?.push(m))));
    sig.on('candidate', mine((m) => (m.transport === 'publish' ? this.publisher : this.subscriber)?.onCandidate(m)));
    sig.on('participant.joined', mine((m) => {
      const p = m.participant;
      this.participants.set(p.id, { hand: false, audioMuted: false, ...p, link: p.quality ?? null, tracks: new Set() });
      this.departed.delete(p.id);
      this.emit('notice', { key: 'joinedEvent', vars: { name: p.displayName }, quiet: true });
      this.changed();
    }));
    sig.on('participant.left', mine((m) => {
      const p = this.participants.get(m.participant);
      if (p) this.departed.set(p.id, { displayName: p.displayName, role: p.role, reason: m.reason });
      this.participants.delete(m.participant);
      this.media.delete(m.participant);
      if (p && m.reason !== 'replaced') this.emit('notice', { key: 'leftEvent', vars: { name: p.displayName }, quiet: true });
      this.changed();
    }));
    sig.on('track.added', mine((m) => { this.participants.get(m.track.participant)?.tracks.add(m.track.kind); this.changed(); }));
    sig.on('track.removed', mine((m) => {
      this.participants.get(m.track.participant)?.tracks.delete(m.track.kind);
      const media = this.media.get(m.track.participant);
      if (media) delete media[m.track.kind];
      this.changed();
    }));
    const field = (key, value) => mine((m) => {
      const p = this.participants.get(m.participant);
      if (p) p[key] = m[value];
      this.changed();
    });
    sig.on('mute.changed', field('audioMuted', 'audioMuted'));
    sig.on('hand.changed', field('hand', 'raised'));
    sig.on('floor.changed', mine((m) => { this.floor = m.participant ?? null; this.changed(); }));
    sig.on('spotlight.changed', mine((m) => { this.spotlight = m.participant ?? null; this.changed(); }));
    sig.on('speaker.changed', mine((m) => {
      this.speaker = m.participant ?? null;
      this.activeSpeakers = Array.isArray(m.active) ? m.active : [];
      this.changed();
    }));
    sig.on('meeting.locked', mine((m) => { this.locked = !!m.locked; this.changed(); }));
    sig.on('recording.changed', mine((m) => { this.recording = !!m.recording; this.changed(); }));
    sig.on('recording.failed', mine((m) => {
      const name = this.participants.get(m.participant)?.displayName ?? m.participant;
      this.emit('notice', { key: 'recordingFailed', vars: { name, message: m.message } });
    }));
    sig.on('participant.reconnecting', mine((m) => this.setLinkState(m.participant, true)));
    sig.on('participant.reconnected', mine((m) => this.setLinkState(m.participant, false)));
    // The bridge lost our media while the WebSocket held: rejoin on new connections.
    sig.on('media.lost', mine(() => this.lost()));
    sig.on('quality', mine((m) => {
      for (const q of m.sites ?? []) {
        const p = this.participants.get(q.participant);
        if (p) p.link = q;  // the bridge's view: {level 0-5, lossPct, rttMs, upKbps, downKbps}
      }
      this.changed();
    }));
    sig.on('chat', mine((m) => this.emit('chat', m)));
    sig.on('meeting.ending', mine((m) => { this.endingMinutes = m.minutesLeft ?? null; this.changed(); }));
    sig.on('meeting.ended', mine((m) => this.finish('ended', m.reason)));
    sig.on('removed', mine(() => this.finish('removed')));
    sig.on('session.replaced', mine(() => this.finish('replaced')));
    sig.onClose((e) => { if (sig === this.sig) this.closedByServer(e.reason ?? ''); });
  }

  /// The server closes with a reason (signaling/meeting); it names the end of a seat even when
  /// the event that should have come first (meeting.ended, removed, session.replaced) did not.
  closedByServer(reason) {
    if (/meeting has ended/.test(reason)) this.finish('ended', '');
    else if (/removed/.test(reason)) this.finish('removed');
    else if (/replaced/.test(reason)) this.finish('replaced');
    else if (/left the meeting/.test(reason)) this.finish('left');
    else this.lost();
  }

  /// Another site's link dropped (true) or came back (false); its seat stays meanwhile.
  setLinkState(id, reconnecting) {
    const p = this.participants.get(id);
    if (!p || id === this.me?.id) return;
    p.reconnecting = reconnecting;
    this.emit('notice', { key: reconnecting ? 'siteReconnecting' : 'siteReconnected', vars: { name: p.displayName } });
    this.changed();
  }

  onTrack(id, track, receiver) {
    // A bridge may reuse a section for another participant: the receiver moves with it.
    for (const [other, media] of this.media) {
      if (other !== id && media[track.kind]?.receiver === receiver) delete media[track.kind];
    }
    if (!this.media.has(id)) this.media.set(id, {});
    this.media.get(id)[track.kind] = { track, receiver };
    this.changed();
  }

  onMediaState(sig, state) {
    if (sig !== this.sig || this.final) return;
    // ICE failed on either connection: rejoin (the server holds the seat, so it is resumed).
    if (state === 'failed') this.lost();
  }

  lost() {
    if (this.final || this.retryTimer) return;
    const wasConnected = this.connected;
    this.teardown();
    if (wasConnected) this.emit('connection', 'lost');
    const delay = kRetryMs[Math.min(this.attempt, kRetryMs.length - 1)];
    this.attempt++;
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null;
      try {
        await this.connect();
        this.reconnects++;
        this.emit('connection', 'reconnected');
      } catch (err) {
        // The link itself may have died meanwhile (expired, meeting ended): stop and say so.
        if (err instanceof SignalingError && joinErrorKey(err) === 'meetingOver') {
          this.finish('ended', '');
        } else if (err instanceof SignalingError && ['unauthorized', 'not_allowed', 'not_found'].includes(err.code)) {
          this.finish('error', err.message, err);
        } else {
          this.lost();
        }
      }
    }, delay);
  }

  teardown() {
    this.connected = false;
    const sig = this.sig;
    this.sig = null;
    sig?.close();
    this.publisher?.close();
    this.subscriber?.close();
    this.publisher = null;
    this.subscriber = null;
    this.media.clear();
  }

  finish(kind, reason = '', error = null) {
    if (this.final) return;
    this.final = { kind, reason, error };
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.teardown();
    this.emit('final', this.final);
  }

  request(type, fields = {}) {
    if (!this.sig) return Promise.reject(new SignalingError('closed', 'not connected'));
    return this.sig.request(type, fields);
  }

  async leave() {
    await this.request('leave').catch(() => {});
    this.finish('left');
  }

  setAudioEnabled(on) { this.stream?.getAudioTracks().forEach((t) => { t.enabled = on; }); this.changed(); }
  setVideoEnabled(on) { this.stream?.getVideoTracks().forEach((t) => { t.enabled = on; }); this.changed(); }
  get audioEnabled() { return this.stream?.getAudioTracks().some((t) => t.enabled) ?? false; }
  get videoEnabled() { return this.stream?.getVideoTracks().some((t) => t.enabled) ?? false; }
}
