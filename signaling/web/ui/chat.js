// The chat panel: messages of the meeting (and joins and departures, quietly) with the sender's
// name and local time; Enter sends.

import { t } from '../i18n.js';
import { requestErrorVars } from '../join-link.js';

export class ChatPanel {
  constructor(client, { log, form, input }) {
    this.client = client;
    this.log = log;
    this.input = input;
    client.addEventListener('chat', (e) => this.add(e.detail));
    client.addEventListener('notice', (e) => { if (e.detail.quiet) this.system(t(e.detail.key, e.detail.vars)); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.disabled = true;
      try {
        await client.request('chat', { text: text.slice(0, 2000) });
        input.value = '';
      } catch (err) {
        this.system(t('actionFailed', requestErrorVars(err, t)));
      } finally {
        input.disabled = false;
        input.focus();
      }
    });
  }

  scrollDown() { this.log.scrollTop = this.log.scrollHeight; }

  add({ from, text, at }) {
    const li = document.createElement('li');
    const who = document.createElement('span');
    who.className = 'from';
    who.textContent = from === this.client.me?.id ? t('you') : this.client.nameOf(from);
    const when = document.createElement('span');
    when.className = 'at';
    const date = new Date(at);
    when.textContent = Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const body = document.createElement('div');
    body.textContent = text;
    li.append(who, when, body);
    this.log.append(li);
    this.scrollDown();
  }

  system(text) {
    const li = document.createElement('li');
    li.className = 'system';
    li.textContent = text;
    this.log.append(li);
    this.scrollDown();
  }
}
