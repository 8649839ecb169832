// Starts Debian's Chromium headless with a fake camera and microphone and attaches playwright
// over CDP (playwright's launch() refuses --user-data-dir, so Chromium is started here).
// Run inside a loopback-only network namespace (run.sh), so ICE gathers 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function startChromium(userDataDir, extraArgs, fakeUi) {
  // Port 0: Chromium picks a free port and writes it to DevToolsActivePort.
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0',
    '--use-fake-device-for-media-stream', ...(fakeUi ? ['--use-fake-ui-for-media-stream'] : []),
    '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
    // Several pages share two cores: background pages must keep decoding at full rate.
    '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
    ...extraArgs, 'about:blank',
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

/// {browser, close()}. fakeUi grants camera and microphone without asking; without it, pass
/// '--deny-permission-prompts' to see what a user who refused gets.
export async function launchChromium({ extraArgs = [], fakeUi = true } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'diemcau-chromium-'));
  const chrome = startChromium(userDataDir, extraArgs, fakeUi);
  let browser;
  const close = async () => {
    await browser?.close().catch(() => {});
    chrome.child.kill('SIGTERM');
    await Promise.race([new Promise((r) => chrome.child.once('exit', r)), sleep(3000)]);
    if (chrome.child.exitCode === null) chrome.child.kill('SIGKILL');
    try { rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); } catch { /* a late Chromium child; tmp is cleaned anyway */ }
  };
  try {
    const port = await devtoolsPort(userDataDir, chrome);
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  } catch (err) {
    await close();
    throw err;
  }
  return { browser, close };
}

/// A page in its own browser context (own storage, own media permissions), logging to stdout.
export async function newPage(browser, name) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() !== 'debug') console.log(`[${name} ${m.type()}] ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`[${name} error] ${e.message}`));
  page.on('dialog', (d) => d.accept().catch(() => {}));
  return page;
}

export function haveChromium() { return existsSync(chromiumPath); }
