// The meeting screen: title and state, banners, tiles, chat, the chair's panel and the own
// controls (microphone, camera, hand, leave) with keyboard shortcuts M, V and H.

import { t, onLangChange } from '../i18n.js';
import { requestErrorVars } from '../join-link.js';
import { Tiles } from './tiles.js';
import { ChatPanel } from './chat.js';
import { ChairPanel } from './chair-panel.js';
import { Banners } from './banners.js';
import { QualityMonitor } from './quality.js';

const $ = (id) => document.getElementById(id);

export class MeetingView {
  constructor(client) {
    this.client = client;
    this.banners = new Banners($('banners'));
    this.tiles = new Tiles(client, { stage: $('stage'), grid: $('grid'), audioSink: $('audio-sink'), floorLine: $('floor-line') });
    this.chat = new ChatPanel(client, { log: $('chat-log'), form: $('chat-form'), input: $('chat-input') });
    this.chair = new ChairPanel(client, {
      root: $('chair'), list: $('site-list'), actions: $('chair-actions'), attendance: $('attendance'),
      onError: (text) => this.banners.set('action', 'bad', text, { timeoutMs: 6000 }),
    });
    this.quality = new QualityMonitor(client);
    this.wasMuted = false;
    client.addEventListener('change', () => this.render());
    client.addEventListener('connection', (e) => this.onConnection(e.detail));
    client.addEventListener('notice', (e) => {
      if (!e.detail.quiet) this.banners.set('notice', 'warn', () => t(e.detail.key, e.detail.vars), { timeoutMs: 8000 });
    });
    onLangChange(() => { this.banners.refresh(); this.render(); });
    this.bindControls();
  }

  bindControls() {
    const c = this.client;
    $('btn-mic').addEventListener('click', () => c.setAudioEnabled(!c.audioEnabled));
    $('btn-cam').addEventListener('click', () => c.setVideoEnabled(!c.videoEnabled));
    $('btn-hand').addEventListener('click', () => this.toggleHand());
    $('btn-leave').addEventListener('click', () => c.leave());
    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.altKey || e.metaKey || e.target.closest?.('input, textarea, select')) return;
      const button = { m: 'btn-mic', v: 'btn-cam', h: 'btn-hand' }[e.key.toLowerCase()];
      if (button && !$(button).disabled && !$('screen-meeting').hidden) { e.preventDefault(); $(button).click(); }
    });
  }

  toggleHand() {
    const me = this.client.participants.get(this.client.me?.id);
    this.client.request(me?.hand ? 'hand.lower' : 'hand.raise')
      .catch((err) => this.banners.set('action', 'bad', () => t('actionFailed', requestErrorVars(err, t)), { timeoutMs: 6000 }));
  }

  onConnection(state) {
    if (state === 'lost') this.banners.set('connection', 'bad', () => t('reconnecting'));
    if (state === 'reconnected') this.banners.set('connection', 'info', () => t('reconnected'), { timeoutMs: 4000 });
  }

  render() {
    const c = this.client;
    if (!c.me) return;
    document.title = `${c.meeting.title} – ${t('appName')}`;
    $('meeting-title').textContent = c.meeting.title;
    const live = c.meeting.state === 'live';
    $('meeting-state').textContent = live ? t('liveNow') : t('lobby');
    $('meeting-state').className = live ? 'pill live' : 'pill';
    $('meeting-locked').hidden = !c.locked;
    $('meeting-recording').hidden = !c.recording;
    $('meeting-body').classList.toggle('no-side', false);

    const me = c.participants.get(c.me.id) ?? c.me;
    const viewer = c.me.role === 'viewer';
    const mic = $('btn-mic');
    mic.textContent = t(c.audioEnabled ? 'mute' : 'unmute');
    mic.className = c.audioEnabled ? '' : 'btn-off';
    mic.disabled = viewer || !c.stream?.getAudioTracks().length;
    mic.setAttribute('aria-pressed', String(!c.audioEnabled));
    const cam = $('btn-cam');
    cam.textContent = t(c.videoEnabled ? 'cameraOff' : 'cameraOn');
    cam.className = c.videoEnabled ? '' : 'btn-off';
    cam.disabled = viewer || !c.stream?.getVideoTracks().length;
    cam.setAttribute('aria-pressed', String(!c.videoEnabled));
    const hand = $('btn-hand');
    hand.hidden = c.me.role !== 'site';
    hand.textContent = t(me.hand ? 'lowerHand' : 'raiseHand');
    hand.className = me.hand ? 'btn-on' : '';
    hand.setAttribute('aria-pressed', String(!!me.hand));
    $('chat-form').hidden = viewer;

    if (me.audioMuted) this.banners.set('muted', 'warn', t('youMuted'));
    else this.banners.clear('muted');
    if (c.endingMinutes !== null) this.banners.set('ending', 'warn', t('endingSoon', { minutes: c.endingMinutes }));

    this.tiles.render();
    this.chair.render();
  }
}
