// End to end: every screen of the kiosk (venue door: idle, admit, deny, review, both
// languages, the offline / data-age indicator; border lane: a review and the guard's override
// with its logged reason; the technician console, leaving kiosk mode) in Debian's Chromium through the web shell, each checked with
// axe-core for serious or critical accessibility violations and kept as a screenshot.
import { join } from 'node:path';
// The test reads the override row and the console PIN back: the log on disk is the assertion.
// eslint-disable-next-line pccovid/layering -- audit of the kiosk's own database
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  consolePin,
  issuePass,
  SCREENSHOTS,
  seriousViolations,
  useScreenKiosk,
  waitForOutcome,
  writeSettings,
} from './kiosk-harness.js';
import { typeAsScanner } from './scanner-keys.js';
import { KIOSK_LEAVE_EXIT_CODE } from '../../src/common/ipc/contract.js';

describe('venue door screens in Chromium', { timeout: 120_000 }, () => {
  const passes = { green: '', yellow: '', red: '' };
  const screen = useScreenKiosk('screens-venue', (dataDir) => {
    passes.green = issuePass(dataDir, 'green');
    passes.yellow = issuePass(dataDir, 'yellow');
    passes.red = issuePass(dataDir, 'red');
    writeSettings(dataDir, 'venue');
  });
  let page: Page;
  beforeAll(() => {
    page = screen.page;
  });

  it('idle: the prompt in both languages and the data indicator, no serious axe violation', async () => {
    await page.getByTestId('idle-screen').waitFor({ state: 'visible' });
    await page.getByTestId('freshness').waitFor({ state: 'visible' });
    // A fresh demo kiosk has no status bundle yet: it says so rather than showing an age.
    expect(await page.getByTestId('freshness').textContent()).toContain('Chưa có dữ liệu trạng thái');
    expect(await page.locator('#prompt-secondary').textContent()).toBe('Scan your pass');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'venue-idle.png') });
  });

  it.each([
    ['admit', 'green'],
    ['deny', 'red'],
    ['review', 'yellow'],
  ] as const)('%s: colour, icon and words, its own sound, masked holder, no serious axe violation', async (outcome, status) => {
    await typeAsScanner(page, passes[status]);
    await waitForOutcome(page, outcome);
    expect(await page.locator('body').getAttribute('data-last-sound')).toBe(outcome);
    expect(await page.locator('#verdict-icon').textContent()).toBe({ admit: '✓', deny: '✕', review: '!' }[outcome]);
    const holder = (await page.getByTestId('verdict-holder').textContent()) ?? '';
    // Masked: some letters hidden, never the full name.
    expect(holder).toMatch(/[*•·_]/u);
    // No override form and no identity fields at a venue door: the masked holder only.
    expect(await page.getByTestId('override-panel').isVisible()).toBe(false);
    expect(await page.getByTestId('border-details').isVisible()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, `venue-${outcome}.png`) });
  });

  it('a pass scanned while the screen is still starting is verified once it is ready, not dropped', async () => {
    const early = await screen.context.newPage();
    try {
      // Dispatched at DOMContentLoaded: after the renderer's script ran, before the kiosk's
      // settings came back over the socket (that needs a round trip the page has not had yet).
      await early.addInitScript((keys: string[]) => {
        document.addEventListener('DOMContentLoaded', () => {
          document.body.dataset['readyAtScan'] = document.body.dataset['ready'] ?? 'false';
          for (const key of keys) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
        });
      }, [...Array.from(passes.green), 'Enter']);
      await early.goto(screen.kiosk.url);
      await waitForOutcome(early, 'admit');
      expect(await early.locator('body').getAttribute('data-ready-at-scan')).toBe('false');
    } finally {
      await early.close();
    }
  });

  it('switches to English on screen: verdict words, reasons and indicator, no serious axe violation', async () => {
    await page.getByTestId('locale-button').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#verdict-primary').textContent()).toBe('Staff will check');
    expect(await page.getByTestId('freshness').textContent()).toContain('No status data yet');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'venue-review-en.png') });
    await page.getByTestId('locale-button').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
  });
});

describe('border lane screens in Chromium', { timeout: 120_000 }, () => {
  let yellow = '';
  const screen = useScreenKiosk('screens-border', (dataDir) => {
    yellow = issuePass(dataDir, 'yellow');
    writeSettings(dataDir, 'border');
  });
  let page: Page;
  beforeAll(() => {
    page = screen.page;
  });

  it('a review waits for the guard: the override form, no serious axe violation', async () => {
    await page.getByTestId('idle-screen').waitFor({ state: 'visible' });
    expect(await page.locator('body').getAttribute('data-mode')).toBe('border');
    await typeAsScanner(page, yellow);
    await waitForOutcome(page, 'review');
    await page.getByTestId('override-panel').waitFor({ state: 'visible' });
    // The guard sees the full fields to compare with the traveller, not the masked name.
    const fields = await page.getByTestId('border-details').locator('dd').evaluateAll((items) =>
      Object.fromEntries(items.map((item) => [item.getAttribute('data-field'), item.textContent])),
    );
    expect(fields['fieldName']).not.toMatch(/\*/u);
    expect(fields['fieldDob']).toMatch(/^\d{4}/u);
    expect(fields['fieldDoses']).toMatch(/^\d/u);
    expect(fields['fieldIssuer']).toBeTruthy();
    expect(await page.getByTestId('verdict-holder').isVisible()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'border-review.png') });
  });

  it('refuses an override without a reason, then logs the one with a reason', async () => {
    await page.getByTestId('override-admit').click();
    expect(await page.getByTestId('override-message').textContent()).toBe('Hãy ghi lý do trước khi quyết định.');
    await page.getByTestId('override-reason').fill('Giấy xét nghiệm âm tính bản giấy / paper negative test seen');
    await page.getByTestId('override-admit').click();
    await page.getByTestId('override-message').and(page.getByText('Đã ghi quyết định.')).waitFor({ state: 'visible' });
    expect(await page.getByTestId('override-admit').isDisabled()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'border-override-logged.png') });

    const db = new Database(join(screen.dataDir, 'kiosk.db'), { readonly: true, fileMustExist: true });
    try {
      const reasons = db.prepare('SELECT override_reason FROM checkins WHERE overrides IS NOT NULL').pluck().all();
      expect(reasons).toEqual(['Giấy xét nghiệm âm tính bản giấy / paper negative test seen']);
    } finally {
      db.close();
    }
  });

  it('a scan typed while the guard writes a reason is not taken from the reason field', async () => {
    await typeAsScanner(page, yellow);
    // The new review opens a fresh form: its buttons are enabled again (the last one was locked).
    await page.locator('[data-testid="override-admit"]:not([disabled])').waitFor({ state: 'visible' });
    await page.getByTestId('override-reason').fill('PC1:NOTASCAN');
    await page.getByTestId('override-reason').press('Enter');
    expect(await page.getByTestId('override-reason').inputValue()).toBe('PC1:NOTASCAN');
    expect(await page.getByTestId('override-message').textContent()).toBe('');
  });
});

describe('technician console in Chromium', { timeout: 120_000 }, () => {
  let pin = '';
  let green = '';
  const screen = useScreenKiosk('screens-console', (dataDir) => {
    green = issuePass(dataDir, 'green');
    writeSettings(dataDir, 'venue');
    pin = consolePin(dataDir);
  });
  let page: Page;
  beforeAll(() => {
    page = screen.page;
  });

  it('asks for the PIN, refuses a wrong one, no serious axe violation', async () => {
    expect(pin).toMatch(/^\d{6}$/u);
    await typeAsScanner(page, green);
    await waitForOutcome(page, 'admit');
    await page.getByTestId('console-button').click();
    await page.getByTestId('console-pin-input').waitFor({ state: 'visible' });
    expect(await page.getByTestId('console-body').isVisible()).toBe(false);
    const wrong = pin === '000000' ? '111111' : '000000';
    await page.getByTestId('console-pin-input').fill(wrong);
    await page.getByTestId('console-unlock').click();
    await page.getByTestId('console-pin-message').and(page.getByText('Sai mã PIN.')).waitFor({ state: 'visible' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-pin.png') });
  });

  it('shows devices, sync health and the hourly chart with the PIN', async () => {
    await page.getByTestId('console-pin-input').fill(pin);
    await page.getByTestId('console-pin-input').press('Enter');
    await page.getByTestId('console-body').waitFor({ state: 'visible' });
    expect(await page.locator('[data-fact="consolePending"]').textContent()).toMatch(/^\d+$/u);
    const bars = await page.locator('.hourly-bar').evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-count'))));
    expect(bars).toHaveLength(24);
    expect(bars.at(-1)).toBeGreaterThanOrEqual(1);
    // Factory reset is offered (it asks for the PIN again: provision-wizard.e2e.test.ts), and a
    // demo kiosk, not provisioned, offers the provisioning wizard, which it lets the technician close.
    expect(await page.getByTestId('console-reset').isEnabled()).toBe(true);
    expect(await page.getByTestId('console-provision').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'console.png') });
  });

  it('opens the provisioning wizard from the console on a demo kiosk, and closes it again', async () => {
    await page.getByTestId('console-provision').click();
    await page.locator('[data-testid="provision-screen"][data-step="unprovisioned"]').waitFor({ state: 'visible' });
    expect(await page.getByTestId('console-body').isVisible()).toBe(false);
    await page.getByTestId('provision-close').click();
    expect(await page.getByTestId('provision-screen').isVisible()).toBe(false);
    // The console locked when the wizard opened: unlocked again for the next test.
    await page.getByTestId('console-button').click();
    await page.getByTestId('console-pin-input').fill(pin);
    await page.getByTestId('console-pin-input').press('Enter');
    await page.getByTestId('console-body').waitFor({ state: 'visible' });
  });

  it('locks again when closed', async () => {
    await page.getByTestId('console-close').click();
    await page.getByTestId('console-button').click();
    await page.getByTestId('console-pin-input').waitFor({ state: 'visible' });
    expect(await page.getByTestId('console-body').isVisible()).toBe(false);
    await page.getByTestId('console-close').click();
  });

  it('rate-limits wrong PINs in main, even the right one meanwhile', async () => {
    await page.getByTestId('console-button').click();
    const wrong = pin === '000000' ? '111111' : '000000';
    // The right PIN in the second test reset the count: five wrong ones reach the limit.
    for (let i = 0; i < 5; i++) {
      await page.getByTestId('console-pin-input').fill(wrong);
      await page.getByTestId('console-unlock').click();
    }
    await page.getByTestId('console-pin-message').and(page.getByText(/Nhập sai quá nhiều lần/u)).waitFor({ state: 'visible' });
    await page.getByTestId('console-pin-input').fill(pin);
    await page.getByTestId('console-unlock').click();
    await page.getByTestId('console-pin-message').and(page.getByText(/Nhập sai quá nhiều lần/u)).waitFor({ state: 'visible' });
    expect(await page.getByTestId('console-body').isVisible()).toBe(false);
  });
});

describe('leaving kiosk mode in Chromium', { timeout: 120_000 }, () => {
  const screen = useScreenKiosk('screens-leave');

  it('asks for the PIN again, refuses a wrong one, then the kiosk stops with the leave exit code', async () => {
    const { page, kiosk } = screen;
    const pin = consolePin(screen.dataDir);
    await page.getByTestId('console-button').click();
    await page.getByTestId('console-pin-input').fill(pin);
    await page.getByTestId('console-pin-input').press('Enter');
    await page.getByTestId('console-body').waitFor({ state: 'visible' });
    await page.getByTestId('console-leave').click();
    await page.locator('[data-testid="console-reset-confirm"][data-action="leave"]').waitFor({ state: 'visible' });
    expect(await page.getByTestId('console-reset-warning').textContent()).toContain('Dữ liệu được giữ nguyên');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('console-reset-pin').fill(pin === '000000' ? '111111' : '000000');
    await page.getByTestId('console-reset-go').click();
    await page.getByTestId('console-reset-message').and(page.getByText('Sai mã PIN.')).waitFor({ state: 'visible' });
    expect(kiosk.child.exitCode).toBeNull();
    const child = kiosk.child;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await page.getByTestId('console-reset-pin').fill(pin);
    await page.getByTestId('console-reset-go').click();
    expect(await exited).toBe(KIOSK_LEAVE_EXIT_CODE);
  });
});
