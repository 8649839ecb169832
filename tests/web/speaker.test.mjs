// Unit check of the browser client's speaker highlight (signaling/web/speaker.js), under node.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SpeakerChoice } from '../../signaling/web/speaker.js';

const levels = (entries) => new Map(Object.entries(entries));

test('the bridge\'s dominant speaker wins over what this browser hears', () => {
  const choice = new SpeakerChoice();
  assert.equal(choice.choose('lang-can', levels({ 'binh-an': 0.5, 'lang-can': 0.1 }), 0), 'lang-can');
  // Including when it is this browser's own site, which it never hears.
  assert.equal(choice.choose('me', levels({ 'binh-an': 0.5 }), 300), 'me');
});

test('with nobody named by the bridge, the loudest heard site is the fallback', () => {
  const choice = new SpeakerChoice();
  assert.equal(choice.choose(null, levels({ 'binh-an': 0.02, 'lang-can': 0.01 }), 0), null);  // below threshold
  assert.equal(choice.choose(null, levels({ 'binh-an': 0.3, 'lang-can': 0.1 }), 300), 'binh-an');
  assert.equal(choice.choose(undefined, levels({ 'binh-an': 0.3, 'lang-can': 0.6 }), 600), 'lang-can');
});

test('the local guess holds through short pauses, then lets go', () => {
  const choice = new SpeakerChoice({ holdMs: 1500 });
  choice.choose(null, levels({ 'binh-an': 0.3 }), 0);
  assert.equal(choice.choose(null, levels({ 'binh-an': 0 }), 1000), 'binh-an');
  assert.equal(choice.choose(null, levels({ 'binh-an': 0 }), 1600), null);
});

test('a named speaker going back to null falls back to the local guess at once', () => {
  const choice = new SpeakerChoice();
  assert.equal(choice.choose('lang-can', levels({}), 0), 'lang-can');
  assert.equal(choice.choose(null, levels({ 'binh-an': 0.2 }), 300), 'binh-an');
});
