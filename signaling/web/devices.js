// Camera and microphone: listing, opening with the user's choice, explaining failures in words a
// commune office understands, and a microphone level meter.

// A site's camera: 640x360, what a commune office's uplink carries and every other site decodes.
const kVideo = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15, max: 30 } };
// The hall's camera: 1280x720, so that the browser sends all three simulcast layers (publisher.js;
// Chromium sends three from 960x540 up, two below). "ideal": a 640x360 camera still opens, and the
// browser then sends the layers that size allows.
const kHallVideo = { ...kVideo, width: { ideal: 1280 }, height: { ideal: 720 } };

/// Maps a getUserMedia failure to an i18n key (devices.js never shows text itself).
export function deviceProblem(err) {
  switch (err?.name) {
    case 'NotAllowedError': case 'SecurityError': case 'PermissionDeniedError': return 'devDenied';
    case 'NotFoundError': case 'DevicesNotFoundError': case 'OverconstrainedError': return 'devNoMic';
    case 'NotReadableError': case 'TrackStartError': case 'AbortError': return 'devBusy';
    default: return 'devOther';
  }
}

export async function listDevices() {
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === 'videoinput'),
    microphones: all.filter((d) => d.kind === 'audioinput'),
  };
}

/// Opens the chosen devices ('' = default, null = none); `hall` asks the camera for the hall's
/// size. A missing camera is not fatal: the site joins with sound only; every other failure comes
/// back as problems, never thrown.
export async function openMedia({ cameraId = '', microphoneId = '', hall = false } = {}) {
  const problems = [];
  if (!navigator.mediaDevices?.getUserMedia) return { stream: null, problems: [{ key: 'devInsecure' }] };
  const audio = microphoneId === null ? false : microphoneId ? { deviceId: { exact: microphoneId } } : true;
  const size = hall ? kHallVideo : kVideo;
  const video = cameraId === null ? false : cameraId ? { ...size, deviceId: { exact: cameraId } } : size;
  if (!audio && !video) return { stream: new MediaStream(), problems };
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio, video }), problems };
  } catch (err) {
    if (err?.name !== 'NotFoundError' && err?.name !== 'OverconstrainedError') {
      return { stream: null, problems: [{ key: deviceProblem(err), detail: err?.message ?? String(err) }] };
    }
  }
  // Something is missing: find out which by asking for each kind alone.
  const stream = new MediaStream();
  for (const [kind, constraints, missingKey] of [['audio', audio, 'devNoMic'], ['video', video, 'devNoCamera']]) {
    if (!constraints) continue;
    try {
      const one = await navigator.mediaDevices.getUserMedia({ [kind]: constraints });
      one.getTracks().forEach((track) => stream.addTrack(track));
    } catch (err) {
      const key = err?.name === 'NotFoundError' || err?.name === 'OverconstrainedError' ? missingKey : deviceProblem(err);
      problems.push({ key, detail: err?.message ?? String(err) });
    }
  }
  return { stream, problems };
}

/// Drives a <meter> from a stream's first audio track (RMS of the waveform, about 15 times a second).
export class LevelMeter {
  constructor(meterElement) {
    this.meter = meterElement;
    this.ctx = null;
    this.timer = null;
    this.level = 0;
  }

  attach(stream) {
    this.detach();
    const track = stream?.getAudioTracks()[0];
    if (!track) return;
    this.ctx = new AudioContext();
    const source = this.ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = this.ctx.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const v of samples) sum += v * v;
      // Speech RMS sits around 0.02–0.2; a square root spreads that over the meter's range.
      this.level = Math.min(1, Math.sqrt(Math.sqrt(sum / samples.length)) * 1.6);
      if (this.meter) this.meter.value = this.level;
    }, 66);
    this.ctx.resume().catch(() => {});
  }

  detach() {
    clearInterval(this.timer);
    this.timer = null;
    this.ctx?.close().catch(() => {});
    this.ctx = null;
    this.level = 0;
    if (this.meter) this.meter.value = 0;
  }
}
