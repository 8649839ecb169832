// Headless Chromium against a real diemcau: the echo page must get the browser's own fake
// camera and microphone back through the bridge.
//
//   DIEMCAU_URL=http://127.0.0.1:PORT node echo.test.mjs
//
// Run inside a loopback-only network namespace (run.sh does that), so Chromium's ICE
// candidates are 127.0.0.1 only. Chromium is started here, not by playwright's launch(),
// because launch() refuses --user-data-dir; playwright only attaches over CDP.
// Exit status: 0 pass, 1 fail, 77 skipped (no Chromium).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const baseUrl = process.env.DIEMCAU_URL ?? 'http://127.0.0.1:8080';
const artifacts = join(here, 'artifacts');
const kMinFrames = 60;
const kDeadlineMs = 30_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function startChromium(userDataDir) {
  // Port 0: Chromium picks a free port and writes it to DevToolsActivePort.
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0',
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
    'about:blank',
  ];
  const child = spawn(chromiumPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  return { child, stderr: () => stderr };
}

async function devtoolsPort(userDataDir, chrome) {
  const file = join(userDataDir, 'DevToolsActivePort');
  for (let i = 0; i < 200; i++) {
    if (chrome.child.exitCode !== null) throw new Error(`chromium exited: ${chrome.stderr()}`);
    if (existsSync(file)) {
      const port = Number(readFileSync(file, 'utf8').split('\n')[0]);
      if (port > 0) return port;
    }
    await sleep(100);
  }
  throw new Error(`chromium did not open its DevTools port: ${chrome.stderr()}`);
}

async function main() {
  if (!existsSync(chromiumPath)) {
    console.error(`SKIP: ${chromiumPath} not found (apt-get install chromium)`);
    return 77;
  }
  mkdirSync(artifacts, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'diemcau-chromium-'));
  const chrome = startChromium(userDataDir);
  let browser;
  let page;
  try {
    const port = await devtoolsPort(userDataDir, chrome);
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
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
    await browser?.close().catch(() => {});
    chrome.child.kill('SIGTERM');
    await Promise.race([new Promise((r) => chrome.child.once('exit', r)), sleep(3000)]);
    if (chrome.child.exitCode === null) chrome.child.kill('SIGKILL');
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
