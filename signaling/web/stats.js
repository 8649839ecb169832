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
