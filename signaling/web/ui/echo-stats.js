// The echo check's numbers as a two-column table, and a one-line verdict for non-technical users.

import { t } from '../i18n.js';

export function renderEchoStats(table, s) {
  const rows = [['fps', s.framesPerSecond], ['frames', s.videoFramesDecoded], ['loss', s.videoPacketsLost],
                ['jitter', s.jitterMs], ['rtt', s.rttMs ?? '–'], ['audio', s.audioSeconds.toFixed(1)]];
  table.replaceChildren(...rows.map(([key, value]) => {
    const tr = document.createElement('tr');
    for (const text of [t(key), String(value)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
}

/// 'echoGood' | 'echoFair' | 'echoPoor' once enough frames have arrived, else null.
export function echoVerdict(s) {
  if (s.videoFramesDecoded < 30 && s.audioSeconds < 2) return null;
  if ((s.rttMs ?? 0) > 400 || s.framesPerSecond < 8) return 'echoPoor';
  if ((s.rttMs ?? 0) > 200 || s.framesPerSecond < 15 || s.jitterMs > 60) return 'echoFair';
  return 'echoGood';
}
