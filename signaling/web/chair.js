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

  /// Attendance at a glance. With the invited list of the join reply (hosts receive it):
  /// invited = the hall and every invited commune; present = everyone seated now (an uninvited
  /// second hall counts too); absent = invited and not seated, `left` when it came and went,
  /// otherwise it never joined. A link being resumed keeps its seat, so it still counts present.
  /// Without the list (an older server) absent is only who came and left.
  attendance() {
    const c = this.client;
    const present = [...c.participants.values()].filter((p) => p.role !== 'viewer');
    if (!c.invited) {
      const absent = [...c.departed.entries()]
        .filter(([, d]) => d.role !== 'viewer')
        .map(([id, d]) => ({ id, ...d, left: true }));
      return { invited: null, present, absent };
    }
    const invited = c.invited.map((s) => ({ id: s.site, displayName: s.displayName ?? s.site, role: s.role }));
    const absent = invited
      .filter((s) => !c.participants.has(s.id))
      .map((s) => ({ ...s, left: c.departed.has(s.id) }));
    return { invited, present, absent };
  }
}
