// Headless Chromium: a commune's media path to the bridge is cut while its WebSocket stays up, as
// when a rural link drops UDP. nftables (in the test's own namespace) drops every UDP packet to
// or from the ports of the page's two peer connections; the bridge's ICE consent check gives up
// (ice-consent-timeout, 10 s by default), tells the page `media.lost`, and the page must:
//  - show the reconnect banner, and the chair must see the site as reconnecting;
//  - rejoin on its own (new connections, new ports the rule does not name) with its seat kept;
//  - play video again both ways.
// Screenshots go to artifacts/.
//
//   DIEMCAU_URL=http://127.0.0.1:PORT DIEMCAU_DATA=DIR node reconnect.test.mjs
// Exit status: 0 pass, 1 fail, 77 skipped (no Chromium, no nftables).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haveChromium, launchChromium, sleep } from './lib/chromium.mjs';
import { Admin } from './lib/admin.mjs';
import { joinAs, waitFor } from './lib/page.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');
const baseUrl = process.env.DIEMCAU_URL ?? 'http://127.0.0.1:8080';
const kHall = 'hall-r';
const kSite = 'xa-bay';
const kTable = 'diemcau_browser_cut';

const t0 = Date.now();
const step = (what) => console.log(`+${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);

function nft(script) { execFileSync('nft', ['-f', '-'], { input: script, stdio: ['pipe', 'ignore', 'pipe'] }); }

function nftUsable() {
  try {
    nft(`add table inet ${kTable}\ndelete table inet ${kTable}\n`);
    return true;
  } catch {
    return false;
  }
}

async function videoPlays(page, id, what) {
  const frames = () => page.evaluate(async (who) => (await window.diemcauMeeting.stats())[who]?.video?.framesDecoded ?? 0, id);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const a = await frames();
    await sleep(1500);
    if ((await frames()) > a + 5) return;
  }
  throw new Error(`${what}: video of ${id} does not play`);
}

/// The local UDP ports of the page's publish and subscribe connections (their selected pairs).
async function mediaPorts(page) {
  return page.evaluate(async () => {
    const c = window.diemcauMeeting.client;
    const ports = [];
    for (const pc of [c.publisher?.pc, c.subscriber?.pc]) {
      if (!pc) continue;
      const report = await pc.getStats();
      for (const s of report.values()) {
        if (s.type !== 'transport' || !s.selectedCandidatePairId) continue;
        const pair = report.get(s.selectedCandidatePairId);
        const local = pair && report.get(pair.localCandidateId);
        if (local?.port) ports.push(local.port);
      }
    }
    return ports;
  });
}

async function main() {
  if (!haveChromium()) {
    console.error('SKIP: chromium not found (apt-get install chromium)');
    return 77;
  }
  if (!nftUsable()) {
    console.error('SKIP: nftables is missing or refuses rules here (needs root in the test namespace)');
    return 77;
  }
  mkdirSync(artifacts, { recursive: true });
  const admin = new Admin(baseUrl, process.env.DIEMCAU_DATA);
  await admin.addSite(kHall, 'Hội trường huyện Na Hang', 'hall');
  await admin.addSite(kSite, 'Xã Sơn Phú');
  const meeting = await admin.addMeeting({ title: 'Mất mạng giữa họp', host: kHall, sites: [kSite], start: 'now', duration: '1h' });
  const links = Object.fromEntries((await admin.links(meeting.id)).map((l) => [l.site, l.token]));

  const { browser, close } = await launchChromium();
  const pages = {};
  let cut = false;
  try {
    pages[kHall] = await joinAs(browser, baseUrl, kHall, links[kHall]);
    pages[kSite] = await joinAs(browser, baseUrl, kSite, links[kSite]);
    const chair = pages[kHall];
    const site = pages[kSite];
    await videoPlays(chair, kSite, 'chair');
    await videoPlays(site, kHall, kSite);
    step('both see each other');

    const ports = await mediaPorts(site);
    assert.equal(ports.length, 2, `two media ports: ${ports}`);
    await site.evaluate(() => {
      window.bannerLog = [];
      new MutationObserver(() => {
        const b = document.querySelector('[data-banner="connection"]');
        if (b) window.bannerLog.push(b.textContent);
      }).observe(document.getElementById('banners'), { childList: true, subtree: true, characterData: true });
    });
    await chair.evaluate((id) => {
      window.sawReconnecting = false;
      window.diemcauMeeting.client.addEventListener('change', () => {
        if (window.diemcauMeeting.client.participants.get(id)?.reconnecting) window.sawReconnecting = true;
      });
    }, kSite);
    const set = ports.join(', ');
    nft(`table inet ${kTable} {\n  chain in {\n    type filter hook input priority 0;\n` +
        `    udp sport { ${set} } drop\n    udp dport { ${set} } drop\n  }\n}\n`);
    cut = true;
    step(`UDP of ports ${set} dropped`);

    await waitFor(site, () => (window.bannerLog ?? []).some((text) => /Mất kết nối – đang kết nối lại/.test(text)),
                  null, 'the reconnect banner', 30_000);
    step('banner shown');
    await waitFor(site, () => window.diemcauMeeting.client.reconnects >= 1
                  && document.querySelector('[data-banner="connection"]')?.textContent.includes('Đã kết nối lại'),
                  null, 'the page rejoined on its own', 20_000);
    const newPorts = await mediaPorts(site).catch(() => []);
    step(`rejoined (ports now ${newPorts})`);
    await videoPlays(chair, kSite, 'chair after the rejoin');
    await videoPlays(site, kHall, `${kSite} after its rejoin`);
    assert.ok(await chair.evaluate(() => window.sawReconnecting), 'the chair saw the site reconnecting');
    assert.equal(await chair.evaluate((id) => window.diemcauMeeting.client.participants.get(id)?.reconnecting, kSite), false,
                 'the chair sees the site back');
    // The seat was kept: the chair's attendance never lost the site.
    assert.equal(await chair.evaluate(() => document.getElementById('attendance-present')?.dataset.count), '2');
    assert.equal(await chair.evaluate(() => document.getElementById('attendance-absent')?.dataset.count), '0');
    await site.screenshot({ path: join(artifacts, 'reconnect-site.png') });
    step('video plays again');
    console.log('PASS');
    return 0;
  } catch (err) {
    console.error(`FAIL: ${err.stack ?? err.message}`);
    for (const [id, page] of Object.entries(pages)) {
      await page.screenshot({ path: join(artifacts, `reconnect-failure-${id}.png`) }).catch(() => {});
    }
    return 1;
  } finally {
    if (cut) {
      try { nft(`delete table inet ${kTable}\n`); } catch { /* the namespace goes away with the test */ }
    }
    await close();
  }
}

process.exitCode = await main();
