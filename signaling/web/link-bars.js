// Network-quality bars (0–4) for a site from the bridge's `quality` event (docs/PROTOCOL.md,
// "Network quality"): the bridge measures each site's link to it both ways, which the page's own
// getStats cannot (it sees only what reaches this browser). Thresholds, the worst one decides:
//
//   bars | loss (worse direction) | round trip | bitrate
//   4    | < 2 %                  | < 200 ms   |
//   3    | < 5 %                  | < 400 ms   |
//   2    | < 10 %                 | < 700 ms   | a site sending video under 150 kbit/s shows at most 2
//   1    | anything worse, as long as media moves
//   0    | nothing moves: the bridge's level 0, or no bit either way
//
// Loss above 10 % or a second of round trip freezes video in practice; under 2 % and 200 ms a
// meeting is smooth. 150 kbit/s is about the least a 180p picture plus Opus needs.

export const kVideoFloorKbps = 150;

function byLoss(lossPct) {
  if (lossPct < 2) return 4;
  if (lossPct < 5) return 3;
  if (lossPct < 10) return 2;
  return 1;
}

function byRtt(rttMs) {
  if (rttMs === null || rttMs === undefined) return 4;  // not measured yet: loss and bitrate decide
  if (rttMs < 200) return 4;
  if (rttMs < 400) return 3;
  if (rttMs < 700) return 2;
  return 1;
}

/// link: the bridge's {level, lossPct, rttMs, upKbps, downKbps}; sendsVideo: the site publishes
/// a camera (so a starved uplink means a frozen picture for everyone).
export function linkBars(link, { sendsVideo = false } = {}) {
  if (!link) return null;
  const up = Number(link.upKbps) || 0;
  const down = Number(link.downKbps) || 0;
  if (link.level === 0 || up + down === 0) return 0;
  let bars = Math.min(byLoss(Number(link.lossPct) || 0), byRtt(link.rttMs));
  if (sendsVideo && up < kVideoFloorKbps) bars = Math.min(bars, 2);
  return bars;
}

/// {bars, lossPercent, rttMs, kbps, upKbps, downKbps} for a tile or the chair's list, or null
/// while the bridge has said nothing about this site.
export function siteQuality(participant) {
  const link = participant?.link;
  if (!link) return null;
  const bars = linkBars(link, { sendsVideo: participant.tracks?.has?.('video') ?? false });
  return {
    bars,
    lossPercent: Number(link.lossPct) || 0,
    rttMs: link.rttMs ?? null,
    upKbps: Number(link.upKbps) || 0,
    downKbps: Number(link.downKbps) || 0,
  };
}
