// The "test my link" page: the /ws echo service sends this browser its own camera and
// microphone back through the bridge. window.diemcauEcho exposes the RTCPeerConnection and a
// stats summary for automated tests.

import { applyI18n, bindLangButton, onLangChange, t } from './i18n.js';
import { EchoSession } from './echo-session.js';
import { receiveSummary } from './stats.js';
import { renderEchoStats } from './ui/echo-stats.js';

const $ = (id) => document.getElementById(id);
let statusKey = 'idle';
let statusExtra = '';
let stream = null;

function renderStatus() {
  $('status').textContent = t(statusKey) + statusExtra;
  $('status').className = statusKey === 'failed' ? 'status bad' : statusKey === 'live' ? 'status good' : 'status';
}

const echo = new EchoSession({
  onState: (key, detail = '') => {
    statusKey = key;
    statusExtra = detail;
    renderStatus();
    if (key === 'failed') stop(false);
  },
  onRemote: (remote) => { $('remote').srcObject = remote; },
});

async function start() {
  $('start').disabled = true;
  $('stop').disabled = false;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
  } catch (err) {
    echo.onState('failed', err.message);
    return;
  }
  $('local').srcObject = stream;
  const started = echo.start(stream);
  window.diemcauEcho.pc = echo.pc;
  await started;
}

async function stop(userAsked = true) {
  await echo.stop(userAsked);
  stream?.getTracks().forEach((track) => track.stop());
  stream = null;
  $('start').disabled = false;
  $('stop').disabled = true;
}

async function summary() { return receiveSummary(window.diemcauEcho.pc); }

window.diemcauEcho = { pc: null, summary };
$('start').addEventListener('click', start);
$('stop').addEventListener('click', () => stop());
bindLangButton($('lang'));
onLangChange(renderStatus);
setInterval(async () => { if (echo.pc) renderEchoStats($('stats'), await summary()); }, 1000);
applyI18n();
renderStatus();
