// Video tiles: the stage (spotlight, else the floor holder, else the hall) large, everyone else
// in a grid with names, badges and the bridge's link-quality bars. Tiles persist across renders so playing
// video elements are never recreated; audio plays through one hidden <audio> per participant.

import { t } from '../i18n.js';
import { SpeakerChoice } from '../speaker.js';
import { siteQuality } from '../link-bars.js';

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/// The bridge's view of one site's link as 0–4 bars, the numbers in the tooltip (link-bars.js).
/// Hidden until the bridge has measured the site.
export function showBars(bars, q) {
  bars.hidden = !q;
  bars.className = `bars q${q?.bars ?? 0}`;
  bars.dataset.bars = q ? String(q.bars) : '';
  bars.setAttribute('role', 'img');
  const text = q
    ? `${t('quality')}: ${q.bars}/4 – ${t('qualityDetail', { loss: q.lossPercent, rtt: q.rttMs ?? '–', up: q.upKbps, down: q.downKbps })}`
    : '';
  bars.title = text;
  bars.setAttribute('aria-label', text);
}

/// Moves nodes only when the order changed: a video element taken out of the document pauses.
function syncChildren(container, nodes) {
  const current = [...container.children];
  if (current.length === nodes.length && current.every((node, i) => node === nodes[i])) return;
  container.replaceChildren(...nodes);
}

export class Tiles {
  constructor(client, { stage, grid, audioSink, floorLine }) {
    this.client = client;
    this.stage = stage;
    this.grid = grid;
    this.audioSink = audioSink;
    this.floorLine = floorLine;
    this.tiles = new Map();
    this.audios = new Map();
    this.speaker = null;
    this.speakerChoice = new SpeakerChoice();
    setInterval(() => this.detectSpeaker(), 300);
    // How large each remote video is shown (video.size, docs/PROTOCOL.md): the bridge then sends
    // no simulcast layer taller than the tile, which saves a weak link for what is seen.
    this.sentSizes = new Map();  // id → height last sent
    this.sizeTimers = new Map();
    this.resizes = typeof ResizeObserver === 'function'
      ? new ResizeObserver((entries) => { for (const e of entries) this.sizeChanged(e.target.dataset.participant); })
      : null;
  }

  sizeChanged(id) {
    if (!id || id === this.client.me?.id) return;
    clearTimeout(this.sizeTimers.get(id));
    // Settle first: a layout change resizes every tile several times in a row.
    this.sizeTimers.set(id, setTimeout(() => {
      const tile = this.tiles.get(id);
      const sig = this.client.sig;
      if (!tile || !sig) return;
      if (this.sizesSig !== sig) {  // a new connection: the bridge knows nothing yet
        this.sizesSig = sig;
        this.sentSizes.clear();
      }
      const scale = window.devicePixelRatio || 1;
      const height = tile.root.isConnected ? Math.round(tile.root.clientHeight * scale) : 0;
      const width = tile.root.isConnected ? Math.round(tile.root.clientWidth * scale) : 0;
      const before = this.sentSizes.get(id);
      if (before !== undefined && Math.abs(height - before) <= before * 0.15) return;
      this.sentSizes.set(id, height);
      sig.request('video.size', { track: `${id}.video`, width, height }).catch(() => {});
    }, 1000));
  }

  visibleIds() {
    const c = this.client;
    const ids = [];
    for (const p of c.participants.values()) {
      if (p.role === 'viewer' && p.id !== c.me?.id) continue;
      const hasVideo = !!c.media.get(p.id)?.video;
      if (p.id === c.me?.id) { if (p.role !== 'viewer') ids.push(p.id); continue; }
      if (hasVideo || p.role === 'host' || c.isHost || p.id === c.floor || p.id === c.spotlight) ids.push(p.id);
    }
    return ids;
  }

  stageId(ids) {
    const c = this.client;
    for (const id of [c.spotlight, c.floor]) if (id && ids.includes(id)) return id;
    if (c.isHost) return null;  // the chair sees every site in one grid
    return [...c.participants.values()].find((p) => p.role === 'host' && p.id !== c.me?.id)?.id ?? null;
  }

  tile(id) {
    let tile = this.tiles.get(id);
    if (tile) return tile;
    const root = el('div', 'tile');
    root.dataset.participant = id;
    const video = el('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true;  // sound goes through the audio sink
    const placeholder = el('div', 'placeholder');
    const label = el('div', 'label');
    const name = el('span', 'name');
    const badges = el('span', 'badges');
    const bars = el('span', 'bars');
    for (let i = 0; i < 4; i++) bars.append(el('i'));
    label.append(name, badges, bars);
    root.append(video, placeholder, label);
    tile = { root, video, placeholder, name, badges, bars, track: null };
    this.tiles.set(id, tile);
    this.resizes?.observe(root);
    return tile;
  }

  render() {
    const c = this.client;
    const ids = this.visibleIds();
    const stageId = this.stageId(ids);
    for (const [id, tile] of this.tiles) {
      if (!ids.includes(id)) { tile.root.remove(); this.tiles.delete(id); }
    }
    const stageTiles = [];
    const gridTiles = [];
    for (const id of ids) {
      const tile = this.tile(id);
      this.fill(id, tile);
      (id === stageId || (stageId === null && c.isHost && id !== c.me?.id) ? stageTiles : gridTiles).push(tile.root);
    }
    this.stage.classList.toggle('as-grid', stageId === null);
    syncChildren(this.stage, stageTiles);
    syncChildren(this.grid, gridTiles);
    for (const tile of this.tiles.values()) if (tile.track && tile.video.paused) tile.video.play().catch(() => {});
    this.renderAudio();
    const floorName = c.floor ? c.nameOf(c.floor) : null;
    this.floorLine.textContent = floorName ? t('speaking', { name: floorName }) : t('nobodySpeaking');
    this.floorLine.classList.toggle('none', !floorName);
    this.floorLine.dataset.floor = c.floor ?? '';
  }

  fill(id, tile) {
    const c = this.client;
    const p = c.participants.get(id);
    const self = id === c.me?.id;
    const track = self ? c.stream?.getVideoTracks()[0] ?? null : c.media.get(id)?.video?.track ?? null;
    if (track !== tile.track) {
      tile.track = track;
      tile.video.srcObject = track ? new MediaStream([track]) : null;
    }
    const showVideo = !!track && (!self || c.videoEnabled);
    tile.video.hidden = !showVideo;
    tile.placeholder.textContent = showVideo ? '' : t('noVideo');
    tile.root.classList.toggle('self', self);
    tile.root.classList.toggle('floor', id === c.floor);
    tile.root.classList.toggle('speaker', id === this.speaker && id !== c.floor);
    tile.name.textContent = self ? `${p.displayName} (${t('you')})` : p.displayName;
    const badges = [];
    if (id === c.floor) badges.push(el('span', 'badge floor', t('floorBadge')));
    if (id === c.spotlight) badges.push(el('span', 'badge spot', t('spotlightOn')));
    if (p.reconnecting) badges.push(el('span', 'badge reconnecting', t('siteReconnectingBadge')));
    if (p.hand) badges.push(el('span', 'badge hand', t('handRaised')));
    if (p.audioMuted) badges.push(el('span', 'badge muted', t('mutedByChair')));
    tile.badges.replaceChildren(...badges);
    showBars(tile.bars, siteQuality(p));
  }

  renderAudio() {
    const c = this.client;
    for (const [id, audio] of this.audios) {
      if (!c.media.get(id)?.audio) { audio.srcObject = null; audio.remove(); this.audios.delete(id); }
    }
    for (const [id, media] of c.media) {
      if (!media.audio || id === c.me?.id) continue;
      let audio = this.audios.get(id);
      if (!audio) {
        audio = el('audio');
        audio.autoplay = true;
        audio.dataset.participant = id;
        this.audioSink.append(audio);
        this.audios.set(id, audio);
      }
      if (audio.srcObject?.getAudioTracks()[0] !== media.audio.track) audio.srcObject = new MediaStream([media.audio.track]);
    }
  }

  /// The tile to highlight: the bridge's dominant speaker (speaker.changed), else the loudest
  /// participant this browser hears (speaker.js).
  detectSpeaker() {
    const levels = new Map();
    for (const [id, media] of this.client.media) {
      const sources = media.audio?.receiver.getSynchronizationSources?.() ?? [];
      levels.set(id, sources[0]?.audioLevel ?? 0);
    }
    const speaker = this.speakerChoice.choose(this.client.speaker, levels, performance.now());
    if (speaker === this.speaker) return;
    this.speaker = speaker;
    this.render();
  }
}
