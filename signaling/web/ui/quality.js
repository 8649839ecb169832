// Per-participant receive statistics from the subscribe connection, every two seconds: the
// network-quality bars on tiles and in the chair's list, and the numbers automated tests read.

import { inboundByTrack, intervalQuality, receiverStats } from '../stats.js';

export class QualityMonitor {
  constructor(client, onUpdate) {
    this.client = client;
    this.onUpdate = onUpdate;
    this.previous = new Map();  // participant → Map(trackId → stats)
    this.quality = new Map();   // participant → {bars, lossPercent, rttMs, kbps}
    this.timer = setInterval(() => this.sample().catch(() => {}), 2000);
  }

  /// {participant: {audio?: stats, video?: stats}} for the tracks received right now. Asked
  /// per receiver: a section the bridge reuses for another stream keeps the old stream's
  /// stats under the same track, so the one carrying packets now (its SSRC) is chosen.
  async byParticipant() {
    const pc = this.client.subscriber?.pc;
    const { rttMs } = await inboundByTrack(pc);
    const tracks = new Map();
    const out = {};
    for (const [id, media] of this.client.media) {
      for (const kind of ['audio', 'video']) {
        if (!media[kind]) continue;
        const s = await receiverStats(media[kind].receiver);
        if (!s) continue;
        (out[id] ??= {})[kind] = s;
        tracks.set(media[kind].track.id, s);
      }
    }
    return { out, tracks, rttMs };
  }

  async sample() {
    const { tracks, rttMs } = await this.byParticipant();
    const next = new Map();
    this.quality.clear();
    for (const [id, media] of this.client.media) {
      const mine = new Map();
      for (const kind of ['audio', 'video']) {
        const trackId = media[kind]?.track.id;
        if (trackId && tracks.has(trackId)) mine.set(trackId, tracks.get(trackId));
      }
      next.set(id, mine);
      const before = this.previous.get(id);
      if (before) this.quality.set(id, intervalQuality(before, mine, rttMs));
    }
    this.previous = next;
    this.onUpdate(this.quality);
  }

  stop() { clearInterval(this.timer); }
}
