// Per-participant receive statistics of the subscribe connection, read on demand: the numbers
// automated tests read through window.diemcauMeeting.stats(). The quality bars themselves come
// from the bridge's `quality` event (link-bars.js), which sees each site's link both ways.

import { inboundByTrack, receiverStats } from '../stats.js';

export class QualityMonitor {
  constructor(client) {
    this.client = client;
  }

  /// {participant: {audio?: stats, video?: stats}} for the tracks received right now. Asked
  /// per receiver: a section the bridge reuses for another stream keeps the old stream's
  /// stats under the same track, so the one carrying packets now (its SSRC) is chosen.
  async byParticipant() {
    const pc = this.client.subscriber?.pc;
    const { rttMs } = await inboundByTrack(pc);
    const out = {};
    for (const [id, media] of this.client.media) {
      for (const kind of ['audio', 'video']) {
        if (!media[kind]) continue;
        const s = await receiverStats(media[kind].receiver);
        if (s) (out[id] ??= {})[kind] = s;
      }
    }
    return { out, rttMs };
  }

  /// Nothing runs in the background; kept so the page's teardown reads the same either way.
  stop() {}
}
