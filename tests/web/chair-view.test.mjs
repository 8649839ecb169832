// Unit checks of the chair's attendance (signaling/web/chair.js), the bridge's link as bars
// (signaling/web/link-bars.js) and the error sentences by reason (signaling/web/join-link.js),
// under node: no browser, no server.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Chair } from '../../signaling/web/chair.js';
import { linkBars, siteQuality } from '../../signaling/web/link-bars.js';
import { joinErrorKey, requestErrorVars } from '../../signaling/web/join-link.js';

function client({ invited, seated, departed = {} }) {
  return {
    me: { id: 'huyen', role: 'host' },
    invited,
    participants: new Map(seated.map((p) => [p.id, p])),
    departed: new Map(Object.entries(departed)),
  };
}

const kInvited = [
  { site: 'huyen', displayName: 'Hội trường', role: 'host' },
  { site: 'lang-can', displayName: 'Xã Lăng Can', role: 'site' },
  { site: 'na-hang', displayName: 'Xã Na Hang', role: 'site' },
  { site: 'binh-an', displayName: 'Xã Bình An', role: 'site' },
];

test('attendance: invited, present, and absent split into never joined and came-and-left', () => {
  const c = client({
    invited: kInvited,
    seated: [
      { id: 'huyen', displayName: 'Hội trường', role: 'host' },
      { id: 'lang-can', displayName: 'Xã Lăng Can', role: 'site', reconnecting: true },
      { id: 'khach', displayName: 'Người xem', role: 'viewer' },
    ],
    departed: { 'na-hang': { displayName: 'Xã Na Hang', role: 'site', reason: 'left' } },
  });
  const { invited, present, absent } = new Chair(c).attendance();
  assert.equal(invited.length, 4);
  // A viewer is not attendance; a site whose link is being resumed keeps its seat.
  assert.deepEqual(present.map((p) => p.id), ['huyen', 'lang-can']);
  assert.deepEqual(absent.map((p) => [p.id, p.left]), [['na-hang', true], ['binh-an', false]]);
});

test('attendance: a site present but not invited (a second hall) counts present, not absent', () => {
  const c = client({
    invited: kInvited.slice(0, 2),
    seated: [{ id: 'huyen', displayName: 'H', role: 'host' }, { id: 'hall-2', displayName: 'H2', role: 'host' }],
  });
  const { present, absent } = new Chair(c).attendance();
  assert.deepEqual(present.map((p) => p.id), ['huyen', 'hall-2']);
  assert.deepEqual(absent.map((p) => p.id), ['lang-can']);
});

test('attendance without an invited list (an older server): absent is who came and left', () => {
  const c = client({
    invited: null,
    seated: [{ id: 'huyen', displayName: 'H', role: 'host' }],
    departed: { 'na-hang': { displayName: 'Xã Na Hang', role: 'site' }, v: { displayName: 'V', role: 'viewer' } },
  });
  const { invited, absent } = new Chair(c).attendance();
  assert.equal(invited, null);
  assert.deepEqual(absent.map((p) => p.id), ['na-hang']);
});

test('bars: the worst of loss and round trip decides', () => {
  const link = (lossPct, rttMs) => ({ level: 3, lossPct, rttMs, upKbps: 800, downKbps: 1200 });
  assert.equal(linkBars(link(0, 20)), 4);
  assert.equal(linkBars(link(1.9, 199)), 4);
  assert.equal(linkBars(link(2, 20)), 3);
  assert.equal(linkBars(link(0, 200)), 3);
  assert.equal(linkBars(link(4.9, 399)), 3);
  assert.equal(linkBars(link(5, 20)), 2);
  assert.equal(linkBars(link(0, 400)), 2);
  assert.equal(linkBars(link(10, 20)), 1);
  assert.equal(linkBars(link(0, 700)), 1);
  assert.equal(linkBars(link(40, 2000)), 1);  // media still moves
  assert.equal(linkBars(link(0, null)), 4);   // round trip not measured yet
});

test('bars: nothing moving is 0, a starved video uplink at most 2, no measure no bars', () => {
  assert.equal(linkBars({ level: 0, lossPct: 0, rttMs: 10, upKbps: 500, downKbps: 500 }), 0);
  assert.equal(linkBars({ level: 4, lossPct: 0, rttMs: 10, upKbps: 0, downKbps: 0 }), 0);
  const starved = { level: 5, lossPct: 0, rttMs: 10, upKbps: 90, downKbps: 900 };
  assert.equal(linkBars(starved, { sendsVideo: true }), 2);
  assert.equal(linkBars(starved, { sendsVideo: false }), 4);  // audio only: 90 kbit/s is plenty
  assert.equal(linkBars(null), null);
  assert.equal(siteQuality({ id: 'x', tracks: new Set() }), null);
  const q = siteQuality({ id: 'x', tracks: new Set(['video']), link: starved });
  assert.deepEqual(q, { bars: 2, lossPercent: 0, rttMs: 10, upKbps: 90, downKbps: 900 });
});

test('errors: the reason picks the sentence, the message is only the fallback', () => {
  const e = (code, message, reason = '') => ({ code, message, reason });
  assert.equal(joinErrorKey(e('unauthorized', 'whatever', 'token_expired')), 'tokenExpired');
  assert.equal(joinErrorKey(e('unauthorized', '', 'token_not_yet_valid')), 'tokenNotYet');
  assert.equal(joinErrorKey(e('unauthorized', '', 'token_revoked')), 'tokenRevoked');
  assert.equal(joinErrorKey(e('unauthorized', '', 'token_bad_signature')), 'tokenInvalid');
  assert.equal(joinErrorKey(e('not_found', '', 'meeting_not_found')), 'meetingMissing');
  assert.equal(joinErrorKey(e('not_allowed', 'reworded', 'meeting_not_open')), 'meetingNotOpen');
  assert.equal(joinErrorKey(e('not_allowed', 'reworded', 'meeting_ended')), 'meetingOver');
  assert.equal(joinErrorKey(e('not_allowed', 'reworded', 'meeting_cancelled')), 'meetingCancelled');
  assert.equal(joinErrorKey(e('not_allowed', 'reworded', 'meeting_locked')), 'meetingLocked');
  assert.equal(joinErrorKey(e('not_allowed', '', 'chair_only')), 'chairOnly');
  assert.equal(joinErrorKey(e('not_allowed', '', 'role_forbidden')), 'roleForbidden');
  assert.equal(joinErrorKey(e('not_allowed', '', 'already_joined')), 'alreadyJoined');
  // An unknown reason or none: the code and sentence as before.
  assert.equal(joinErrorKey(e('not_allowed', 'the meeting is locked', 'something_new')), 'meetingLocked');
  assert.equal(joinErrorKey(e('unauthorized', 'the token has expired')), 'tokenExpired');
  assert.equal(joinErrorKey(e('closed', 'WebSocket closed')), 'serverUnreachable');
  // Inside the meeting: the translated reason, else the server's own sentence.
  const t = (key) => `<${key}>`;
  assert.deepEqual(requestErrorVars(e('not_allowed', 'only the chair may do this', 'chair_only'), t), { detail: '<chairOnly>' });
  assert.deepEqual(requestErrorVars(e('not_found', "participant 'x' is not in the meeting"), t),
                   { detail: "participant 'x' is not in the meeting" });
  assert.deepEqual(requestErrorVars(e('bad_request', "field 'text' must be a string"), t),
                   { detail: "field 'text' must be a string" });
});
