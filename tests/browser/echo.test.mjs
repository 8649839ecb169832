// Headless Chromium against a real diemcau: the echo page must get the browser's own fake
// camera and microphone back through the bridge.
//
//   DIEMCAU_URL=http://127.0.0.1:PORT node echo.test.mjs
//
// Run inside a loopback-only network namespace (run.sh does that), so Chromium's ICE
// candidates are 127.0.0.1 only. Chromium is started by lib/chromium.mjs (not by playwright's
// launch(), which refuses --user-data-dir); playwright only attaches over CDP.
// Exit status: 0 pass, 1 fail, 77 skipped (no Chromium).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromiumPath, haveChromium, launchChromium, sleep } from './lib/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const baseUrl = process.env.DIEMCAU_URL ?? 'http://127.0.0.1:8080';
const artifacts = join(here, 'artifacts');
const kMinFrames = 60;
const kDeadlineMs = 30_000;

async function main() {
  if (!haveChromium()) {
    console.error(`SKIP: ${chromiumPath} not found (apt-get install chromium)`);
    return 77;
  }
  mkdirSync(artifacts, { recursive: true });
  let chrome;
  let page;
  try {
    chrome = await launchChromium();
    const { browser } = chrome;
    const context = browser.contexts()[0] ?? (await browser.newContext());
    page = await context.newPage();
    page.on('console', (m) => console.log(`[page ${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));

    await page.goto(`${baseUrl}/echo.html`, { waitUntil: 'load' });
    await page.click('#start');

    // Audio must keep arriving, not just have arrived once.
    const deadline = Date.now() + kDeadlineMs;
    let last = null;
    let audioRises = 0;
    let s;
    for (;;) {
      s = await page.evaluate(() => window.diemcauEcho.summary());
      if (last && s.audioSamplesReceived > last.audioSamplesReceived) audioRises++;
      last = s;
      if (s.videoFramesDecoded > kMinFrames && audioRises >= 3) break;
      if (Date.now() > deadline || ['failed', 'closed'].includes(s.connectionState)) break;
      await sleep(500);
    }
    console.log(`stats: ${JSON.stringify(s)}; page status: ${await page.textContent('#status')}`);
    await page.screenshot({ path: join(artifacts, 'echo.png') });
    assert.ok(s.videoFramesDecoded > kMinFrames,
              `decoded ${s.videoFramesDecoded} echoed video frames, want > ${kMinFrames} (${s.connectionState})`);
    assert.ok(audioRises >= 3, `echoed audio samples rose ${audioRises} times, want >= 3`);
    console.log('PASS');
    return 0;
  } catch (err) {
    console.error(`FAIL: ${err.message}`);
    if (page) await page.screenshot({ path: join(artifacts, 'echo-failure.png') }).catch(() => {});
    return 1;
  } finally {
    await chrome?.close();
  }
}

process.exitCode = await main();
