// Numbers from RTCPeerConnection.getStats(), shared by the echo check and the meeting view.

/// Receive-side summary of one connection (the echo check's table and its automated test).
export async function receiveSummary(pc) {
  const out = { videoFramesDecoded: 0, framesPerSecond: 0, videoPacketsLost: 0, jitterMs: 0,
                audioSamplesReceived: 0, audioSeconds: 0, rttMs: null, connectionState: pc?.connectionState ?? 'new' };
  if (!pc) return out;
  const report = await pc.getStats();
  for (const s of report.values()) {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      out.videoFramesDecoded += s.framesDecoded ?? 0;
      out.framesPerSecond = s.framesPerSecond ?? out.framesPerSecond;
      out.videoPacketsLost += s.packetsLost ?? 0;
      out.jitterMs = Math.round((s.jitter ?? 0) * 1000);
    } else if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      out.audioSamplesReceived += s.totalSamplesReceived ?? 0;
      out.audioSeconds += s.totalSamplesDuration ?? 0;
    } else if (s.type === 'candidate-pair' && s.nominated && s.currentRoundTripTime !== undefined) {
      out.rttMs = Math.round(s.currentRoundTripTime * 1000);
    }
  }
  return out;
}

function inboundEntry(s) {
  return {
    kind: s.kind, ssrc: s.ssrc, packetsReceived: s.packetsReceived ?? 0, packetsLost: s.packetsLost ?? 0,
    bytesReceived: s.bytesReceived ?? 0, framesDecoded: s.framesDecoded ?? 0,
    totalSamplesReceived: s.totalSamplesReceived ?? 0, audioLevel: s.audioLevel ?? 0,
    totalAudioEnergy: s.totalAudioEnergy ?? 0, jitterMs: Math.round((s.jitter ?? 0) * 1000),
    timestamp: s.timestamp,
  };
}

/// The inbound RTP stats of one receiver's current stream (the SSRC it last received from).
export async function receiverStats(receiver) {
  const current = receiver.getSynchronizationSources?.()[0]?.source;
  let chosen = null;
  for (const s of (await receiver.getStats()).values()) {
    if (s.type !== 'inbound-rtp') continue;
    if (s.ssrc === current) return inboundEntry(s);
    if (!chosen || (s.lastPacketReceivedTimestamp ?? 0) > (chosen.lastPacketReceivedTimestamp ?? 0)) chosen = s;
  }
  return chosen ? inboundEntry(chosen) : null;
}

/// Inbound RTP stats keyed by the receiving track's id, plus the connection's round-trip time.
export async function inboundByTrack(pc) {
  const tracks = new Map();
  let rttMs = null;
  if (!pc) return { tracks, rttMs };
  const report = await pc.getStats();
  for (const s of report.values()) {
    if (s.type === 'inbound-rtp' && s.trackIdentifier) {
      tracks.set(s.trackIdentifier, inboundEntry(s));
    } else if (s.type === 'candidate-pair' && s.nominated && s.currentRoundTripTime !== undefined) {
      rttMs = Math.round(s.currentRoundTripTime * 1000);
    }
  }
  return { tracks, rttMs };
}

/// Link quality from two samples of the same streams: loss over the interval, RTT and bitrate,
/// graded 0 (unusable) to 4 (good). Thresholds follow what makes video conferencing usable:
/// above ~10 % loss or ~400 ms RTT the picture freezes, under 2 % and 150 ms it is smooth.
export function grade({ lossPercent, rttMs }) {
  let bars = 4;
  if (lossPercent > 2 || (rttMs ?? 0) > 150) bars = 3;
  if (lossPercent > 5 || (rttMs ?? 0) > 250) bars = 2;
  if (lossPercent > 10 || (rttMs ?? 0) > 400) bars = 1;
  if (lossPercent > 25) bars = 0;
  return bars;
}

export function intervalQuality(before, after, rttMs) {
  let received = 0;
  let lost = 0;
  let bytes = 0;
  let ms = 0;
  for (const [id, now] of after) {
    const then = before.get(id);
    if (!then) continue;
    received += Math.max(0, now.packetsReceived - then.packetsReceived);
    lost += Math.max(0, now.packetsLost - then.packetsLost);
    bytes += Math.max(0, now.bytesReceived - then.bytesReceived);
    ms = Math.max(ms, now.timestamp - then.timestamp);
  }
  const lossPercent = received + lost > 0 ? (100 * lost) / (received + lost) : 0;
  const kbps = ms > 0 ? Math.round((bytes * 8) / ms) : 0;
  const q = { lossPercent: Math.round(lossPercent * 10) / 10, rttMs, kbps };
  return { ...q, bars: received + lost === 0 && kbps === 0 ? 0 : grade(q) };
}
