// The browser client's entry (index.html, served at / and /join): read the join link, prepare
// devices, join, run the meeting view, and say clearly how it ended.
// window.diemcauMeeting exposes the client and per-participant receive statistics to tests.

import { applyI18n, bindLangButton, onLangChange, t } from './i18n.js';
import { MeetingClient } from './meeting.js';
import { PreJoin } from './ui/prejoin.js';
import { MeetingView } from './ui/meeting-view.js';
import { joinErrorKey, plainlyExpired, readClaims, readToken } from './join-link.js';

const $ = (id) => document.getElementById(id);
let notice = null;  // {titleKey, textKey, vars, action}

function show(screen) {
  for (const id of ['screen-notice', 'screen-prejoin', 'screen-meeting']) $(id).hidden = id !== screen;
  document.body.dataset.screen = screen.replace('screen-', '');
}

function renderNotice() {
  if (!notice) return;
  $('notice-title').textContent = t(notice.titleKey);
  $('notice-text').textContent = notice.textKey ? t(notice.textKey, notice.vars ?? {}) : '';
  $('notice-action').hidden = !notice.action;
}

function showNotice(titleKey, textKey, { vars, action = false, kind = '' } = {}) {
  notice = { titleKey, textKey, vars, action };
  document.body.dataset.notice = kind || textKey || titleKey;
  renderNotice();
  show('screen-notice');
  $('notice-action').focus();
}

function endedTextKey(reason) {
  if (/chair/.test(reason)) return 'endedByChair';
  if (/scheduled/.test(reason)) return 'endedSchedule';
  if (/cancel/.test(reason)) return 'endedCancelled';
  return null;
}

function onFinal({ kind, reason, error }) {
  document.body.dataset.final = kind;
  if (kind === 'ended') showNotice('endedTitle', endedTextKey(reason), { kind: 'ended' });
  else if (kind === 'removed') showNotice('removedTitle', 'removedText', { kind: 'removed' });
  else if (kind === 'replaced') showNotice('replacedTitle', 'replacedText', { action: true, kind: 'replaced' });
  else if (kind === 'left') showNotice('leftTitle', null, { action: true, kind: 'left' });
  else {
    const key = joinErrorKey(error);
    showNotice(key === 'meetingOver' ? 'endedTitle' : 'appName', key, { vars: { detail: error?.message ?? reason }, kind: key });
  }
}

async function join(prejoin, token) {
  $('join').disabled = true;
  $('join-error').replaceChildren();
  const { stream, displayName } = await prejoin.finish();
  const client = new MeetingClient(token, { stream, displayName });
  window.diemcauMeeting.client = client;
  try {
    await client.join();
  } catch (err) {
    const key = joinErrorKey(err);
    if (key === 'joinFailed' || key === 'serverUnreachable') {
      const div = document.createElement('div');
      div.className = 'message bad';
      div.setAttribute('role', 'alert');
      div.textContent = t(key, { detail: err.message });
      $('join-error').replaceChildren(div);
      $('join').disabled = false;
      return;
    }
    stream?.getTracks().forEach((track) => track.stop());
    showNotice('appName', key, { kind: key });
    return;
  }
  const view = new MeetingView(client);
  window.diemcauMeeting.view = view;
  client.addEventListener('final', (e) => {
    view.quality.stop();
    stream?.getTracks().forEach((track) => track.stop());
    onFinal(e.detail);
  });
  show('screen-meeting');
  view.render();
}

async function statsByParticipant() {
  const view = window.diemcauMeeting.view;
  if (!view) return {};
  return (await view.quality.byParticipant()).out;
}

function main() {
  window.diemcauMeeting = { client: null, view: null, stats: statsByParticipant };
  for (const id of ['notice-lang', 'prejoin-lang', 'meeting-lang']) bindLangButton($(id));
  onLangChange(renderNotice);
  applyI18n();
  $('notice-action').addEventListener('click', () => location.reload());

  const token = readToken();
  const claims = token ? readClaims(token) : null;
  if (!token) return showNotice('appName', 'noToken');
  if (!claims) return showNotice('appName', 'tokenInvalid');
  if (plainlyExpired(claims)) return showNotice('appName', 'tokenExpired');

  $('who-meeting').textContent = claims.mtg ?? '';
  $('who-site').textContent = claims.site ?? '';
  const roleKey = { host: 'roleHost', site: 'roleSite', viewer: 'roleViewer' }[claims.role] ?? 'roleSite';
  $('who-role').dataset.i18n = roleKey;
  applyI18n();
  show('screen-prejoin');
  // The role in the token is what the bridge will grant at join; here it only sizes the camera.
  const prejoin = new PreJoin({ hall: claims.role === 'host' });
  prejoin.open();
  $('join').addEventListener('click', () => join(prejoin, token));
  $('join').focus();
}

main();
