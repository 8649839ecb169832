// Headless Chromium against a real diemcau: the client's screens before a meeting.
//  - a link with no token, and a link whose token expired an hour ago, say so (in Vietnamese,
//    and in English after the switch);
//  - a valid link shows the pre-join screen: the fake camera in the preview, the fake
//    microphone moving the level meter, both devices listed, and "test my link" receiving the
//    page's own video back through the bridge;
//  - a browser whose user refused the camera and microphone explains how to allow them;
//  - a revoked link, a meeting that has not opened yet and a cancelled one are refused by the
//    server at join, each with its own message (the error's reason);
//  - no page breaks the server's Content-Security-Policy.
//
//   DIEMCAU_URL=http://127.0.0.1:PORT DIEMCAU_DATA=DIR node prejoin.test.mjs
// Exit status: 0 pass, 1 fail, 77 skipped (no Chromium).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haveChromium, launchChromium, newPage, sleep } from './lib/chromium.mjs';
import { Admin, joinUrl } from './lib/admin.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');
const baseUrl = process.env.DIEMCAU_URL ?? 'http://127.0.0.1:8080';
const cspViolations = [];

function watchCsp(page) {
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
}

async function waitFor(page, fn, arg, what, timeoutMs = 20_000) {
  try {
    await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 250 });
  } catch {
    throw new Error(`timed out waiting for ${what}`);
  }
}

async function setup(admin) {
  await admin.addSite('hall-pre', 'Hội trường thử', 'hall');
  await admin.addSite('xa-pre', 'Xã Thử Nghiệm');
  const meeting = await admin.addMeeting({ title: 'Họp thử trước giờ', host: 'hall-pre', sites: ['xa-pre'],
                                           start: 'now', duration: '1h' });
  const hour = 3600_000;
  const iso = (ms) => new Date(ms).toISOString().slice(0, 19) + 'Z';
  const expired = await admin.token({ meeting: meeting.id, site: 'xa-pre',
                                      validFrom: iso(Date.now() - 3 * hour), validUntil: iso(Date.now() - hour) });
  const valid = await admin.token({ meeting: meeting.id, site: 'xa-pre' });
  const revoked = await admin.token({ meeting: meeting.id, site: 'xa-pre' });
  await admin.call('POST', '/tokens/revoke', { token: revoked.token });
  // Valid links to meetings that cannot be joined now: one tomorrow, one cancelled.
  const laterLink = async (daysAhead) => {
    const start = Date.now() + daysAhead * 24 * hour;
    const m = await admin.addMeeting({ title: `Họp sau ${daysAhead} ngày`, host: 'hall-pre', sites: ['xa-pre'],
                                       start: iso(start), duration: '1h' });
    const link = await admin.token({ meeting: m.id, site: 'xa-pre', validFrom: iso(Date.now() - hour), validUntil: iso(start + 2 * hour) });
    return { meeting: m, token: link.token };
  };
  const tomorrow = await laterLink(1);
  const cancelled = await laterLink(2);
  await admin.call('POST', `/meetings/${cancelled.meeting.id}/cancel`, {});
  return { meeting, expired: expired.token, valid: valid.token, revoked: revoked.token,
           notOpen: tomorrow.token, cancelled: cancelled.token };
}

async function noticeText(page) { return (await page.textContent('#notice-text')).trim(); }

async function linkProblems(browser, links) {
  const page = await newPage(browser, 'links');
  watchCsp(page);
  await page.goto(`${baseUrl}/join`, { waitUntil: 'load' });
  await waitFor(page, () => document.body.dataset.screen === 'notice', null, 'the no-token notice');
  assert.match(await noticeText(page), /không có mã vào họp/);

  await page.goto(joinUrl(baseUrl, links.expired), { waitUntil: 'load' });
  await page.reload({ waitUntil: 'load' });  // a fragment change alone does not reload
  await waitFor(page, () => document.body.dataset.notice === 'tokenExpired', null, 'the expired-link notice');
  assert.match(await noticeText(page), /đã hết hạn/);
  await page.screenshot({ path: join(artifacts, 'expired-link.png') });
  await page.click('#notice-lang');
  assert.match(await noticeText(page), /has expired/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.click('#notice-lang');  // back to Vietnamese for the pages that follow
  await page.context().close();
}

async function preJoinAndEcho(browser, links) {
  const page = await newPage(browser, 'prejoin');
  watchCsp(page);
  // The admin API's own link form (/?token=) works too and is rewritten to /join#token=.
  await page.goto(`${baseUrl}/?token=${links.valid}`, { waitUntil: 'load' });
  await waitFor(page, () => document.body.dataset.screen === 'prejoin', null, 'the pre-join screen');
  assert.equal(new URL(page.url()).pathname, '/join');
  await waitFor(page, () => document.getElementById('preview').videoWidth > 0, null, 'the camera preview');
  await waitFor(page, () => document.getElementById('mic-level').value > 0.05, null, 'the level meter to move');
  const options = await page.evaluate(() => ({
    cameras: [...document.getElementById('camera-select').options].map((o) => o.value),
    mics: [...document.getElementById('mic-select').options].map((o) => o.value),
    problems: window.diemcauPreJoin.problems,
  }));
  assert.ok(options.cameras.length >= 2 && options.mics.length >= 2, `devices listed: ${JSON.stringify(options)}`);
  assert.deepEqual(options.problems, []);
  assert.equal((await page.textContent('#who-site')).trim(), 'xa-pre');

  await page.click('#echo-toggle');
  await waitFor(page, async () => {
    const pc = window.diemcauPreJoin.echoPc;
    if (!pc) return false;
    let frames = 0;
    (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded ?? 0; });
    return frames > 30;
  }, null, 'echoed frames on the pre-join screen', 30_000);
  await sleep(1500);  // one verdict refresh
  const status = await page.textContent('#echo-status');
  assert.match(status, /Đã kết nối/);
  await page.screenshot({ path: join(artifacts, 'prejoin.png') });
  await page.click('#echo-toggle');
  await page.context().close();
}

async function revokedAtJoin(browser, links) {
  const page = await newPage(browser, 'revoked');
  watchCsp(page);
  await page.goto(joinUrl(baseUrl, links.revoked), { waitUntil: 'load' });
  await waitFor(page, () => document.body.dataset.screen === 'prejoin', null, 'the pre-join screen');
  await page.click('#join');
  await waitFor(page, () => document.body.dataset.notice === 'tokenRevoked', null, 'the revoked-link notice');
  assert.match(await noticeText(page), /đã bị thu hồi/);
  await page.context().close();
}

/// The server refuses these at join with a reason; the page says which, in Vietnamese.
async function refusedMeetings(browser, links) {
  for (const [link, key, text] of [[links.notOpen, 'meetingNotOpen', /Cuộc họp chưa mở/],
                                   [links.cancelled, 'meetingCancelled', /Cuộc họp đã bị huỷ/]]) {
    const page = await newPage(browser, key);
    watchCsp(page);
    await page.goto(joinUrl(baseUrl, link), { waitUntil: 'load' });
    await waitFor(page, () => document.body.dataset.screen === 'prejoin', null, `${key}: the pre-join screen`);
    await page.click('#join');
    await waitFor(page, (k) => document.body.dataset.notice === k, key, `the ${key} notice`);
    assert.match(await noticeText(page), text);
    await page.context().close();
  }
}

async function deniedDevices(links) {
  const { browser, close } = await launchChromium({ fakeUi: false, extraArgs: ['--deny-permission-prompts'] });
  try {
    const page = await newPage(browser, 'denied');
    watchCsp(page);
    await page.goto(joinUrl(baseUrl, links.valid), { waitUntil: 'load' });
    await waitFor(page, () => window.diemcauPreJoin?.problems.length > 0, null, 'the device problem');
    assert.deepEqual(await page.evaluate(() => window.diemcauPreJoin.problems), ['devDenied']);
    assert.match(await page.textContent('#device-problems'), /đã chặn camera và micrô/);
    await page.screenshot({ path: join(artifacts, 'prejoin-denied.png') });
  } finally {
    await close();
  }
}

async function main() {
  if (!haveChromium()) {
    console.error('SKIP: chromium not found (apt-get install chromium)');
    return 77;
  }
  mkdirSync(artifacts, { recursive: true });
  const admin = new Admin(baseUrl, process.env.DIEMCAU_DATA);
  const links = await setup(admin);
  const { browser, close } = await launchChromium();
  try {
    await linkProblems(browser, links);
    await preJoinAndEcho(browser, links);
    await revokedAtJoin(browser, links);
    await refusedMeetings(browser, links);
    await deniedDevices(links);
    assert.deepEqual(cspViolations, [], 'Content-Security-Policy violations');
    console.log('PASS');
    return 0;
  } catch (err) {
    console.error(`FAIL: ${err.stack ?? err.message}`);
    for (const ctx of browser.contexts()) {
      for (const [i, p] of ctx.pages().entries()) await p.screenshot({ path: join(artifacts, `prejoin-failure-${i}.png`) }).catch(() => {});
    }
    return 1;
  } finally {
    await close();
  }
}

process.exitCode = await main();
