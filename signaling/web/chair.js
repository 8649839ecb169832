// Chair actions (docs/PROTOCOL.md "Chair actions"): only a `host` token may send them. Each
// resolves when the server replied ok; the resulting events update every participant's view.

export class Chair {
  constructor(client) { this.client = client; }

  giveFloor(participant) { return this.client.request('floor.give', { participant }); }
  takeFloor() { return this.client.request('floor.take'); }
  mute(participant, muted) { return this.client.request('mute', { participant, muted }); }
  spotlight(participant) { return this.client.request('spotlight', { participant }); }
  remove(participant) { return this.client.request('remove', { participant }); }
  lock(locked) { return this.client.request('lock', { locked }); }
  record(on) { return this.client.request(on ? 'recording.start' : 'recording.stop'); }
  /// The chair's own page ends at the reply: the server closes right after it.
  async end() {
    await this.client.request('end');
    this.client.finish('ended', 'ended by the chair');
  }

  /// Sites for the chair's list: raised hands first, then the floor holder, then by name.
  sitesInOrder() {
    const rank = (p) => (p.hand ? 0 : p.id === this.client.floor ? 1 : 2);
    return [...this.client.participants.values()]
      .filter((p) => p.id !== this.client.me?.id)
      .sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName, 'vi'));
  }

  /// Present now, and those who were here and left (the join reply names no invited list).
  attendance() {
    const present = [...this.client.participants.values()].filter((p) => p.role !== 'viewer');
    const absent = [...this.client.departed.entries()]
      .filter(([, d]) => d.role !== 'viewer')
      .map(([id, d]) => ({ id, ...d }));
    return { present, absent };
  }
}
