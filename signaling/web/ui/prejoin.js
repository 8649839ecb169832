// The screen before joining: camera and microphone choice with a preview and a level meter,
// device problems in plain words, and the echo check on the chosen devices.

import { t, onLangChange } from '../i18n.js';
import { listDevices, openMedia, LevelMeter } from '../devices.js';
import { EchoSession } from '../echo-session.js';
import { receiveSummary } from '../stats.js';
import { echoVerdict } from './echo-stats.js';

const $ = (id) => document.getElementById(id);

export class PreJoin {
  /// `hall`: this is the meeting's host (its token's role), whose camera opens at the hall's size.
  constructor({ hall = false } = {}) {
    this.hall = hall;
    this.stream = null;
    this.problems = [];
    this.meter = new LevelMeter($('mic-level'));
    this.echoStatus = null;
    this.echo = new EchoSession({
      onState: (key, detail = '') => { this.echoStatus = { key, detail }; this.renderEcho(); },
      onRemote: (remote) => { $('echo-remote').srcObject = remote; },
    });
    this.echoTimer = null;
    $('camera-select').addEventListener('change', () => this.open());
    $('mic-select').addEventListener('change', () => this.open());
    $('echo-toggle').addEventListener('click', () => this.toggleEcho());
    onLangChange(() => { this.renderProblems(); this.renderEcho(); this.fillSelects(this.devices); });
  }

  choice(select) {
    if (select.value === 'none') return null;
    return select.value;
  }

  async open() {
    await this.stopEcho();
    this.stream?.getTracks().forEach((track) => track.stop());
    const { stream, problems } = await openMedia({
      cameraId: this.choice($('camera-select')), microphoneId: this.choice($('mic-select')), hall: this.hall,
    });
    this.stream = stream;
    this.problems = problems;
    $('preview').srcObject = stream;
    this.meter.attach(stream);
    // Labels are only readable once permission was given, so list devices after opening them.
    this.devices = await listDevices().catch(() => ({ cameras: [], microphones: [] }));
    this.fillSelects(this.devices);
    if (this.devices.cameras.length === 0 && !problems.some((p) => p.key === 'devNoCamera') && stream) {
      this.problems.push({ key: 'devNoCamera' });
    }
    this.renderProblems();
    $('echo-toggle').disabled = !stream || stream.getTracks().length === 0;
    window.diemcauPreJoin = { stream, problems: this.problems.map((p) => p.key), level: () => this.meter.level };
  }

  fillSelects(devices) {
    if (!devices) return;
    const fill = (select, list, current) => {
      const keep = select.value;
      const options = list.map((d, i) => new Option(d.label || `${t(select.dataset.kind)} ${i + 1}`, d.deviceId));
      options.push(new Option(t('noneOption'), 'none'));
      select.replaceChildren(...options);
      const want = keep || current;
      if ([...select.options].some((o) => o.value === want)) select.value = want;
    };
    const settings = (kind) => this.stream?.getTracks().find((tr) => tr.kind === kind)?.getSettings().deviceId ?? '';
    fill($('camera-select'), devices.cameras, settings('video'));
    fill($('mic-select'), devices.microphones, settings('audio'));
  }

  renderProblems() {
    const box = $('device-problems');
    box.replaceChildren(...this.problems.map((p) => {
      const div = document.createElement('div');
      div.className = p.key === 'devNoCamera' ? 'message warn' : 'message bad';
      div.setAttribute('role', 'alert');
      div.textContent = t(p.key, { detail: p.detail ?? '' });
      return div;
    }));
  }

  async toggleEcho() {
    if (this.echo.pc) { await this.stopEcho(); return; }
    $('echo-result').hidden = false;
    $('echo-toggle').textContent = t('stopTest');
    $('echo-toggle').dataset.i18n = 'stopTest';
    await this.echo.start(this.stream);
    window.diemcauPreJoin.echoPc = this.echo.pc;
    this.echoTimer = setInterval(async () => {
      if (!this.echo.pc) return;
      this.lastEcho = await receiveSummary(this.echo.pc);
      this.renderEcho();
    }, 1000);
  }

  async stopEcho() {
    clearInterval(this.echoTimer);
    this.echoTimer = null;
    if (this.echo.pc) await this.echo.stop();
    $('echo-toggle').dataset.i18n = 'testLink';
    $('echo-toggle').textContent = t('testLink');
  }

  renderEcho() {
    const el = $('echo-status');
    if (!this.echoStatus) { el.textContent = ''; return; }
    const { key, detail } = this.echoStatus;
    const verdict = key === 'live' && this.lastEcho ? echoVerdict(this.lastEcho) : null;
    el.textContent = verdict ? `${t('live')} ${t(verdict)}` : t(key) + detail;
    el.className = key === 'failed' || verdict === 'echoPoor' ? 'status bad' : key === 'live' ? 'status good' : 'status';
  }

  /// Ends the preview's helpers; the stream goes on into the meeting.
  async finish() {
    await this.stopEcho();
    this.meter.detach();
    $('preview').srcObject = null;
    return { stream: this.stream, displayName: $('display-name').value.trim() };
  }
}
