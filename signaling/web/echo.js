// "Test my link": the /ws echo service sends this browser its own camera and microphone
// back through the bridge (ICE, DTLS, SRTP, RTCP), so an operator sees what the meeting
// will look like. window.diemcauEcho exposes the RTCPeerConnection and a stats summary for
// automated tests.

const TEXT = {
  vi: {
    title: 'Kiểm tra đường truyền', lang: 'English',
    intro: 'Máy chủ gửi lại chính hình và tiếng của bạn, qua đúng đường truyền của cuộc họp.',
    start: 'Bắt đầu', stop: 'Dừng', idle: 'Chưa kết nối.', local: 'Camera của bạn',
    remote: 'Hình nhận lại từ máy chủ', connecting: 'Đang kết nối…', live: 'Đã kết nối – đang nhận lại hình và tiếng.',
    failed: 'Lỗi: ', stopped: 'Đã dừng.', fps: 'Khung hình/giây nhận', frames: 'Khung hình đã giải mã',
    loss: 'Gói tin mất (video)', jitter: 'Độ trễ dao động (ms)', rtt: 'Thời gian khứ hồi (ms)', audio: 'Âm thanh nhận (giây)',
  },
  en: {
    title: 'Test my link', lang: 'Tiếng Việt',
    intro: 'The server sends your own picture and sound back, over the same path a meeting uses.',
    start: 'Start', stop: 'Stop', idle: 'Not connected.', local: 'Your camera',
    remote: 'Picture received back from the server', connecting: 'Connecting…', live: 'Connected – receiving your picture and sound back.',
    failed: 'Error: ', stopped: 'Stopped.', fps: 'Frames per second received', frames: 'Frames decoded',
    loss: 'Packets lost (video)', jitter: 'Jitter (ms)', rtt: 'Round-trip time (ms)', audio: 'Audio received (s)',
  },
};

const $ = (id) => document.getElementById(id);
let lang = localStorage.getItem('diemcau.lang') === 'en' ? 'en' : 'vi';
let statusKey = 'idle';
let statusExtra = '';

function render() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = TEXT[lang][el.dataset.i18n];
  $('lang').textContent = TEXT[lang].lang;
  $('status').textContent = TEXT[lang][statusKey] + statusExtra;
  $('status').className = statusKey === 'failed' ? 'bad' : statusKey === 'live' ? 'good' : '';
}

function setStatus(key, extra = '') {
  statusKey = key;
  statusExtra = extra;
  render();
}

class Signaling {
  constructor(url) {
    this.ws = new WebSocket(url);
    this.nextId = 1;
    this.pending = new Map();
    this.onEvent = () => {};
    this.opened = new Promise((resolve, reject) => {
      this.ws.onopen = resolve;
      this.ws.onerror = () => reject(new Error(`WebSocket ${url}`));
    });
    this.ws.onclose = () => {
      for (const { reject } of this.pending.values()) reject(new Error('WebSocket closed'));
      this.pending.clear();
    };
    this.ws.onmessage = (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (msg.type === 'reply' && this.pending.has(msg.id)) {
        const { resolve, reject } = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.ok) resolve(msg);
        else reject(new Error(`${msg.error?.code}: ${msg.error?.message}`));
      } else {
        this.onEvent(msg); // unknown event types are ignored there
      }
    };
  }

  request(type, fields = {}) {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ type, id, ...fields }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  close() { this.ws.close(); }
}

let current = null;

async function start() {
  $('start').disabled = true;
  $('stop').disabled = false;
  setStatus('connecting');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const sig = new Signaling(`${scheme}://${location.host}/ws`);
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
  current = { sig, pc, session: null, stream: null };
  window.diemcauEcho.pc = pc;
  const held = [];
  const sendCandidate = (c) => sig.request('echo.candidate', { session: current.session, ...c })
    .catch((err) => console.warn('candidate', err));

  pc.onicecandidate = ({ candidate }) => {
    const c = candidate
      ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex }
      : { candidate: '' };
    if (current.session) sendCandidate(c); else held.push(c);
  };
  pc.ontrack = ({ track, streams }) => {
    const remote = $('remote');
    remote.srcObject = streams[0] ?? remote.srcObject ?? new MediaStream();
    if (!streams[0]) remote.srcObject.addTrack(track);
  };
  pc.onconnectionstatechange = () => {
    if (pc.connectionState === 'connected') setStatus('live');
    if (pc.connectionState === 'failed') setStatus('failed', 'ICE/DTLS');
  };
  sig.onEvent = (msg) => {
    if (msg.session !== current?.session) return;
    if (msg.type === 'echo.candidate' && msg.candidate) {
      pc.addIceCandidate({ candidate: msg.candidate, sdpMid: msg.sdpMid, sdpMLineIndex: msg.sdpMLineIndex })
        .catch((err) => console.warn('remote candidate', err));
    } else if (msg.type === 'echo.closed') {
      setStatus('failed', msg.reason ?? '');
    }
  };

  try {
    current.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
    $('local').srcObject = current.stream;
    for (const track of current.stream.getTracks()) pc.addTransceiver(track, { direction: 'sendrecv', streams: [current.stream] });
    await pc.setLocalDescription(await pc.createOffer());
    await sig.opened;
    const reply = await sig.request('echo.start', { sdp: pc.localDescription.sdp });
    current.session = reply.session;
    await pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
    held.splice(0).forEach(sendCandidate);
  } catch (err) {
    setStatus('failed', err.message);
    await stop(false);
  }
}

async function stop(userAsked = true) {
  if (!current) return;
  const { sig, pc, session, stream } = current;
  current = null;
  if (session && sig.ws.readyState === WebSocket.OPEN) await sig.request('echo.stop', { session }).catch(() => {});
  sig.close();
  pc.close();
  stream?.getTracks().forEach((t) => t.stop());
  $('start').disabled = false;
  $('stop').disabled = true;
  if (userAsked) setStatus('stopped');
}

// Summary of the receive side; the same numbers feed the table and automated tests.
async function summary() {
  const pc = window.diemcauEcho.pc;
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

async function showStats() {
  if (!current) return;
  const s = await summary();
  const rows = [['fps', s.framesPerSecond], ['frames', s.videoFramesDecoded], ['loss', s.videoPacketsLost],
                ['jitter', s.jitterMs], ['rtt', s.rttMs ?? '–'], ['audio', s.audioSeconds.toFixed(1)]];
  $('stats').replaceChildren(...rows.map(([key, value]) => {
    const tr = document.createElement('tr');
    for (const text of [TEXT[lang][key], String(value)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
}

window.diemcauEcho = { pc: null, summary };
$('start').addEventListener('click', start);
$('stop').addEventListener('click', () => stop());
$('lang').addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('diemcau.lang', lang);
  render();
});
setInterval(showStats, 1000);
render();
