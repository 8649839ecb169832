// Page helpers shared by the meeting tests: waiting with a readable failure, joining through a link.
import { newPage } from './chromium.mjs';
import { joinUrl } from './admin.mjs';

/// Waits until fn(arg) is truthy in the page; on timeout the error names what was awaited.
export async function waitFor(page, fn, arg, what, timeoutMs = 20_000) {
  try {
    await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 200 });
  } catch {
    throw new Error(`timed out waiting for ${what}`);
  }
}

/// Opens a participant's join link, waits for the camera preview, joins and waits for the meeting screen.
export async function joinAs(browser, baseUrl, id, token) {
  const page = await newPage(browser, id);
  await page.goto(joinUrl(baseUrl, token), { waitUntil: 'load' });
  await waitFor(page, () => document.body.dataset.screen === 'prejoin' && document.getElementById('preview').videoWidth > 0,
                null, `${id}: pre-join preview`);
  await page.click('#join');
  await waitFor(page, () => document.body.dataset.screen === 'meeting', null, `${id}: meeting screen`);
  return page;
}
