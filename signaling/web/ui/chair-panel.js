// The chair's panel (role host): the sites with raised hands first, the floor, mute, spotlight
// and remove per site, lock, recording and end for the meeting, and attendance at a glance.
// The list is rebuilt on every change; keyboard focus is put back on the same button.

import { currentLang, t } from '../i18n.js';
import { Chair } from '../chair.js';
import { requestErrorVars } from '../join-link.js';
import { siteQuality } from '../link-bars.js';
import { showBars } from './tiles.js';

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
  }

  run(promise) { promise.catch((err) => this.onError(() => t('actionFailed', requestErrorVars(err, t)))); }

  render() {
    const c = this.client;
    this.root.hidden = !c.isHost;
    if (!c.isHost) return;
    // Rebuilding under the pointer would swallow a click between press and release, so the
    // panel is only rebuilt when what it shows has changed.
    const signature = JSON.stringify([currentLang(), c.floor, c.spotlight, c.locked, c.recording, c.invited,
                                      [...c.participants.values()].map((p) => ({ ...p, tracks: [...p.tracks] })),
                                      [...c.departed.keys()]]);
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
      const bars = document.createElement('span');
      for (let i = 0; i < 4; i++) bars.append(document.createElement('i'));
      showBars(bars, siteQuality(p));
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

  /// Counts of invited, present and absent, with the names under them; an absent site that
  /// came and went is marked so (the chair may call it back).
  renderAttendance() {
    const { invited, present, absent } = this.chair.attendance();
    const count = (key, people, id) => {
      const span = document.createElement('span');
      span.id = id;
      span.dataset.count = String(people.length);
      const strong = document.createElement('strong');
      strong.textContent = String(people.length);
      span.append(`${t(key)}: `, strong);
      span.title = people.map((p) => p.displayName).join(', ');
      return span;
    };
    const row = document.createElement('div');
    row.className = 'attendance';
    if (invited) row.append(count('invited', invited, 'attendance-invited'));
    row.append(count('present', present, 'attendance-present'), count('absent', absent, 'attendance-absent'));
    const list = (key, people, id, note) => {
      const box = document.createElement('div');
      box.className = 'attendance-list';
      box.id = id;
      box.hidden = people.length === 0;
      const head = document.createElement('span');
      head.className = 'note';
      head.textContent = `${t(key)}: `;
      const ul = document.createElement('ul');
      for (const p of people) {
        const li = document.createElement('li');
        li.dataset.site = p.id;
        li.textContent = p.displayName;
        const extra = note?.(p);
        if (extra) {
          li.dataset.state = extra;
          const small = document.createElement('span');
          small.className = 'note';
          small.textContent = ` (${t(extra)})`;
          li.append(small);
        }
        ul.append(li);
      }
      box.append(head, ul);
      return box;
    };
    this.attendanceBox.replaceChildren(
      row,
      list('absent', absent, 'attendance-absent-list', (p) => (p.left ? 'leftMeeting' : 'neverJoined')),
      list('present', present, 'attendance-present-list', (p) => (p.reconnecting ? 'siteReconnectingBadge' : null)),
    );
  }
}
