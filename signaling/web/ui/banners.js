// Banners above the meeting: one per key (connection, ending, muted), newest last.

export class Banners {
  constructor(root) {
    this.root = root;
    this.items = new Map();
  }

  /// text: a string, or a function giving it, asked again by refresh() (a language switch).
  set(key, kind, text, { timeoutMs = 0 } = {}) {
    let item = this.items.get(key);
    if (!item) {
      item = { el: document.createElement('div'), timer: null };
      item.el.dataset.banner = key;
      item.el.setAttribute('role', 'status');
      this.items.set(key, item);
      this.root.append(item.el);
    }
    item.el.className = `banner ${kind}`;
    item.text = text;
    item.el.textContent = typeof text === 'function' ? text() : text;
    clearTimeout(item.timer);
    if (timeoutMs) item.timer = setTimeout(() => this.clear(key), timeoutMs);
  }

  refresh() {
    for (const item of this.items.values()) {
      if (typeof item.text === 'function') item.el.textContent = item.text();
    }
  }

  clear(key) {
    const item = this.items.get(key);
    if (!item) return;
    clearTimeout(item.timer);
    item.el.remove();
    this.items.delete(key);
  }
}
