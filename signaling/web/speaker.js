// Who the tiles highlight as speaking. The bridge decides the dominant speaker from the audio
// levels every publisher sends (speaker.changed, docs/PROTOCOL.md "Who is speaking") and its
// choice wins: every site then highlights the same person, and its hysteresis keeps the
// highlight steady. Only while the bridge names nobody (silence, or a publisher that sends no
// levels) does the browser fall back to the loudest participant it hears itself, held for a
// moment so the highlight does not flicker between syllables.

export const kLocalSpeakerLevel = 0.04;  // receiver audio level 0..1 above which a site counts as talking
export const kLocalSpeakerHoldMs = 1500;

export class SpeakerChoice {
  constructor({ threshold = kLocalSpeakerLevel, holdMs = kLocalSpeakerHoldMs } = {}) {
    this.threshold = threshold;
    this.holdMs = holdMs;
    this.local = null;       // the local guess
    this.localSince = 0;
    this.current = null;     // what choose() returned last
  }

  /// `serverSpeaker`: the bridge's dominant speaker id, or null. `levels`: Map id → receiver audio
  /// level (0..1) of the participants this browser hears. Returns the id to highlight, or null.
  choose(serverSpeaker, levels, nowMs) {
    this.guess(levels, nowMs);
    this.current = serverSpeaker ?? this.local;
    return this.current;
  }

  guess(levels, nowMs) {
    let best = null;
    let bestLevel = this.threshold;
    for (const [id, level] of levels) {
      if (level > bestLevel) { best = id; bestLevel = level; }
    }
    if (best === this.local) { if (best) this.localSince = nowMs; return; }
    if (!best && nowMs - this.localSince < this.holdMs) return;
    this.local = best;
    this.localSince = nowMs;
  }
}
