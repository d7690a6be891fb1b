// The door screen's clock warning against the hub's clock, end to end on loopback: a kiosk is
// provisioned (the CLI) against a real hub while the two clocks agree; then the hub's clock runs
// 20 minutes ahead. The kiosk, started as a packaged one would be (--no-demo, web shell), has its
// signed sync requests refused with clock_skew and the hub's time; once it has noted the hub's
// clock as wrong, the door screen opened in Chromium warns staff (the check at screen start).
// Then the hub's clock is set right: the kiosk's next sync finds the clocks agreeing, and the
// live screen's next clock check (every 30 s) takes the warning away, without a reload.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempRoot } from '../sync/harness.js';
import { eventually, kioskCli, startOperatorHub, type OperatorHub } from '../provision/harness.js';
import { ensureBuilt, openPage, SCREENSHOTS, seriousViolations, startKiosk, stopKiosk, type RunningKiosk } from './kiosk-harness.js';

const HUB_AHEAD_MS = 20 * 60_000;
const CLOCK_WRONG_VI = 'Đồng hồ của máy chậm 20 phút so với máy chủ, nên máy chủ từ chối đồng bộ. Nhân viên: chỉnh ngày, giờ và múi giờ (hoặc bật giờ tự động qua mạng).';
const CLOCK_WRONG_EN = 'The kiosk clock is 20 minutes behind the hub’s, so the hub refuses its syncs. Staff: set the date, time and time zone (or turn on network time).';

interface HubClock {
  state: string;
  hubOffsetMs: number | null;
  checkedAt: number | null;
  message: string | null;
}

/** The kiosk's own record of its clock against the hub's (what kiosk:health reports as hubClock). */
function hubClockOf(dataDir: string): HubClock | undefined {
  try {
    return (JSON.parse(readFileSync(join(dataDir, 'provisioning.json'), 'utf8')) as { clock?: HubClock }).clock;
  } catch {
    // Not there yet, or read while it was being replaced: the next poll reads it again.
    return undefined;
  }
}

describe('door screen warns staff when the kiosk clock disagrees with the hub', { timeout: 90_000 }, () => {
  let hubAheadMs = 0;
  let operator: OperatorHub | undefined;
  let kiosk: RunningKiosk | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let root = '';
  let dataDir = '';

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    root = tempRoot('door-clock');
    dataDir = join(root, 'kiosk');
    operator = await startOperatorHub(root, { now: () => Date.now() + hubAheadMs });
    // Provisioned while the clocks agree (a hub 20 min off refuses the signed configuration).
    const done = await kioskCli('provision', '--enrol', await operator.ticket('HN-01'), '--data-dir', dataDir, '--yes', '--skip-scanner-test');
    expect(done.state).toMatchObject({ step: 'ready', error: null });
    expect(hubClockOf(dataDir)?.state).toBe('ok');
  });

  afterAll(async () => {
    await context?.close();
    await stopKiosk(kiosk);
    await operator?.stop();
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  it('shows the clock warning on the door screen once the kiosk has synced with a hub 20 min ahead', async () => {
    hubAheadMs = HUB_AHEAD_MS;
    const startedAt = Date.now();
    kiosk = await startKiosk(dataDir, ['--no-demo']);
    // The kiosk syncs at start; the hub refuses it with clock_skew and its time. The page opens
    // only after the kiosk has noted that, so the screen's check at start sees it.
    await eventually(() => (hubClockOf(dataDir)?.checkedAt ?? 0) >= startedAt && hubClockOf(dataDir)?.state === 'wrong', "the kiosk to note the hub's clock as wrong", 30_000);
    const noted = hubClockOf(dataDir);
    expect(noted?.message).toMatch(/^The kiosk clock is 20 min behind the hub's\./u);
    expect(Math.abs((noted?.hubOffsetMs ?? 0) + HUB_AHEAD_MS)).toBeLessThan(60_000);

    ({ context, page } = await openPage(join(root, 'chromium'), kiosk.url));
    // The door screen (not the wizard), with the hub's venue.
    await page.getByTestId('idle-screen').waitFor({ state: 'visible' });
    expect(await page.getByTestId('provision-screen').isVisible()).toBe(false);
    expect(await page.getByTestId('venue-name').textContent()).toBe('Nội Bài T2');
    const banner = page.getByTestId('error-banner');
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.locator('#error-primary').textContent()).toBe(CLOCK_WRONG_VI);
    expect(await banner.locator('#error-secondary').textContent()).toBe(CLOCK_WRONG_EN);
    // The hub refuses its syncs: the indicator says offline, not online.
    await page.locator('[data-testid="freshness"][data-state="offline"]').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'door-clock-wrong.png') });
  });

  it("takes the warning away once the hub's clock agrees again, at the screen's next check", async () => {
    const banner = page.getByTestId('error-banner');
    expect(await banner.isVisible()).toBe(true);
    const fixedAt = Date.now();
    hubAheadMs = 0;
    // The kiosk retries its refused sync with back-off; the next one finds the clocks agreeing.
    await eventually(() => (hubClockOf(dataDir)?.checkedAt ?? 0) >= fixedAt && hubClockOf(dataDir)?.state === 'ok', "the kiosk's next sync to find the clocks agreeing", 40_000);
    expect(Math.abs(hubClockOf(dataDir)?.hubOffsetMs ?? Infinity)).toBeLessThan(60_000);
    // The live screen (no reload) asks kiosk:health every 30 s.
    await banner.waitFor({ state: 'hidden', timeout: 35_000 });
    expect(await page.getByTestId('idle-screen').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'door-clock-right.png') });
  });
});
