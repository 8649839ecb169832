// The chair's panel (role host): the sites with raised hands first, the floor, mute, spotlight
// and remove per site, lock, recording and end for the meeting, and attendance at a glance.
// The list is rebuilt on every change; keyboard focus is put back on the same button.

import { currentLang, t } from '../i18n.js';
import { Chair } from '../chair.js';

function button(label, key, onClick, className = 'btn-small') {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.dataset.focusKey = key;
  b.addEventListener('click', onClick);
  return b;
}

export class ChairPanel {
  constructor(client, { root, list, actions, attendance, onError }) {
    this.client = client;
    this.chair = new Chair(client);
    this.root = root;
    this.list = list;
    this.actions = actions;
    this.attendanceBox = attendance;
    this.onError = onError;
    this.quality = new Map();
  }

  run(promise) { promise.catch((err) => this.onError(t('actionFailed', { detail: err.message }))); }

  render() {
    const c = this.client;
    this.root.hidden = !c.isHost;
    if (!c.isHost) return;
    // Rebuilding under the pointer would swallow a click between press and release, so the
    // panel is only rebuilt when what it shows has changed.
    const q = [...this.quality].map(([id, v]) => `${id}:${v.bars}:${v.lossPercent}:${v.kbps}`);
    const signature = JSON.stringify([currentLang(), c.floor, c.spotlight, c.locked, c.recording, q,
                                      [...c.participants.values()], [...c.departed.keys()]]);
    if (signature === this.signature) return;
    this.signature = signature;
    const focused = document.activeElement?.dataset?.focusKey;
    this.renderActions();
    this.renderList();
    this.renderAttendance();
    if (focused) this.root.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
  }

  renderActions() {
    const c = this.client;
    const lock = button(t(c.locked ? 'unlock' : 'lock'), 'lock', () => this.run(this.chair.lock(!c.locked)));
    lock.id = 'chair-lock';
    const record = button(t(c.recording ? 'stopRecording' : 'startRecording'), 'record',
                          () => this.run(this.chair.record(!c.recording)));
    record.id = 'chair-record';
    record.setAttribute('aria-pressed', String(!!c.recording));
    if (c.recording) record.classList.add('btn-on');
    const end = button(t('endMeeting'), 'end', () => {
      if (window.confirm(t('confirmEnd'))) this.run(this.chair.end());
    }, 'btn-small btn-danger');
    end.id = 'chair-end';
    const take = button(t('takeFloor'), 'take', () => this.run(this.chair.takeFloor()));
    take.disabled = !c.floor;
    take.id = 'chair-take-floor';
    this.actions.replaceChildren(take, lock, record, end);
  }

  renderList() {
    const c = this.client;
    const items = this.chair.sitesInOrder().filter((p) => p.role !== 'viewer').map((p) => {
      const li = document.createElement('li');
      li.dataset.participant = p.id;
      li.classList.toggle('hand', !!p.hand);
      const row = document.createElement('div');
      row.className = 'row';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = p.displayName;
      row.append(name);
      const badge = (cls, text) => { const s = document.createElement('span'); s.className = `badge ${cls}`; s.textContent = text; row.append(s); };
      if (p.hand) badge('hand', t('handRaised'));
      if (p.id === c.floor) badge('floor', t('floorBadge'));
      if (p.audioMuted) badge('muted', t('mutedByChair'));
      if (p.id === c.spotlight) badge('spot', t('spotlightOn'));
      const q = this.quality.get(p.id);
      const bars = document.createElement('span');
      bars.className = `bars q${q?.bars ?? 0}`;
      for (let i = 0; i < 4; i++) bars.append(document.createElement('i'));
      if (q) bars.title = t('qualityDetail', { loss: q.lossPercent, rtt: q.rttMs ?? '–', kbps: q.kbps });
      row.append(bars);
      const ops = document.createElement('div');
      ops.className = 'ops';
      const floor = p.id === c.floor
        ? button(t('takeFloor'), `floor:${p.id}`, () => this.run(this.chair.takeFloor()), 'btn-small btn-on')
        : button(t('giveFloor'), `floor:${p.id}`, () => this.run(this.chair.giveFloor(p.id)), 'btn-small btn-primary');
      floor.dataset.action = 'floor';
      const mute = button(t(p.audioMuted ? 'unmuteSite' : 'muteSite'), `mute:${p.id}`,
                          () => this.run(this.chair.mute(p.id, !p.audioMuted)), p.audioMuted ? 'btn-small btn-off' : 'btn-small');
      mute.dataset.action = 'mute';
      const spot = button(t(p.id === c.spotlight ? 'unspotlight' : 'spotlight'), `spot:${p.id}`,
                          () => this.run(this.chair.spotlight(p.id === c.spotlight ? null : p.id)));
      spot.dataset.action = 'spotlight';
      const remove = button(t('remove'), `remove:${p.id}`, () => {
        if (window.confirm(t('confirmRemove', { name: p.displayName }))) this.run(this.chair.remove(p.id));
      });
      remove.dataset.action = 'remove';
      if (p.role === 'host') { floor.disabled = true; }
      ops.append(floor, mute, spot, remove);
      li.append(row, ops);
      return li;
    });
    this.list.replaceChildren(...items);
  }

  renderAttendance() {
    const { present, absent } = this.chair.attendance();
    const part = (key, people, id) => {
      const span = document.createElement('span');
      span.id = id;
      const strong = document.createElement('strong');
      strong.textContent = String(people.length);
      span.append(`${t(key)}: `, strong);
      span.title = people.map((p) => p.displayName).join(', ');
      return span;
    };
    const absentNames = document.createElement('div');
    absentNames.className = 'note';
    absentNames.textContent = absent.length ? `${t('leftMeeting')}: ${absent.map((p) => p.displayName).join(', ')}` : '';
    const row = document.createElement('div');
    row.className = 'attendance';
    row.title = t('attendanceNote');
    row.append(part('present', present, 'attendance-present'), part('absent', absent, 'attendance-absent'));
    this.attendanceBox.replaceChildren(row, absentNames);
  }
}
