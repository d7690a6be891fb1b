// End to end: every screen of the kiosk (venue door: idle, admit, deny, review, both
// languages, the offline / data-age indicator; border lane: a review and the guard's override
// with its logged reason) in Debian's Chromium through the web shell, each checked with
// axe-core for serious or critical accessibility violations and kept as a screenshot.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
// The test sets the kiosk's mode in its settings before it starts (what provisioning does) and
// reads the override row back: the log on disk is the assertion.
// eslint-disable-next-line pccovid/layering -- test setup and audit of the kiosk's own database
import Database from 'better-sqlite3';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeAsScanner } from './scanner-keys.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'bin', 'pccovid-kiosk.js');
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const CHROMIUM = process.env['PCCOVID_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const READY_PREFIX = 'Kiosk ready at ';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page. The page's CSP forbids inline scripts, so axe is evaluated through
 * the DevTools protocol (as an extension would), not added as a <script> element.
 */
async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ passes: unknown[]; violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    // An axe that checked nothing would pass anything.
    if (result.passes.length === 0) throw new Error('axe-core ran no passing check: it did not run');
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) => JSON.stringify(node.target)),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

interface RunningKiosk {
  child: ChildProcess;
  url: string;
  dataDir: string;
}

function cli(dataDir: string, ...args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args, '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8' });
}

function issuePass(dataDir: string, status: 'green' | 'yellow' | 'red'): string {
  const pass = cli(dataDir, 'issue-demo-pass', '--status', status).split('\n').find((line) => line.startsWith('PC1:'));
  if (pass === undefined) throw new Error('issue-demo-pass printed no PC1: line');
  return pass.trim();
}

/** What provisioning would write: the screen mode, and a verdict hold long enough for axe to run. */
function writeSettings(dataDir: string, mode: 'venue' | 'border'): void {
  const db = new Database(join(dataDir, 'kiosk.db'), { fileMustExist: true });
  try {
    const set = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    set.run('mode', JSON.stringify(mode));
    set.run('verdict_hold_ms', JSON.stringify(600_000));
  } finally {
    db.close();
  }
}

async function startKiosk(dataDir: string): Promise<RunningKiosk> {
  const stderr: string[] = [];
  const child = spawn(process.execPath, [CLI, 'start', '--shell', 'web', '--no-open', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => stderr.push(chunk));
  const url = await new Promise<string>((resolve, reject) => {
    if (child.stdout === null) {
      reject(new Error('the kiosk process has no stdout'));
      return;
    }
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(READY_PREFIX)) resolve(line.slice(READY_PREFIX.length).trim());
    });
    child.once('exit', (code) => reject(new Error(`the kiosk exited with ${String(code)}:\n${stderr.join('')}`)));
    child.once('error', reject);
  });
  return { child, url, dataDir };
}

async function stopKiosk(kiosk: RunningKiosk | undefined): Promise<void> {
  if (kiosk === undefined || kiosk.child.exitCode !== null) return;
  const child = kiosk.child;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(force);
}

function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    execFileSync(process.execPath, [join(ROOT, 'build', 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
}

async function openPage(profileDir: string, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1280, height: 800 } });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  // The kiosk has its settings from main and takes scans as verdicts (main.ts sets data-ready).
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
  return { context, page };
}

async function waitForOutcome(page: Page, outcome: 'admit' | 'deny' | 'review'): Promise<void> {
  await page.getByTestId('verdict-outcome').and(page.locator(`[data-outcome="${outcome}"]`)).waitFor({ state: 'visible' });
}

describe('venue door screens in Chromium', { timeout: 120_000 }, () => {
  let kiosk: RunningKiosk | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let dataDir: string;
  let profileDir: string;
  const passes = { green: '', yellow: '', red: '' };

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'pccovid-screens-venue-'));
    profileDir = mkdtempSync(join(tmpdir(), 'pccovid-screens-chromium-'));
    passes.green = issuePass(dataDir, 'green');
    passes.yellow = issuePass(dataDir, 'yellow');
    passes.red = issuePass(dataDir, 'red');
    writeSettings(dataDir, 'venue');
    kiosk = await startKiosk(dataDir);
    ({ context, page } = await openPage(profileDir, kiosk.url));
  });

  afterAll(async () => {
    await context?.close();
    await stopKiosk(kiosk);
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
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
    if (context === undefined || kiosk === undefined) throw new Error('no browser context');
    const early = await context.newPage();
    try {
      // Dispatched at DOMContentLoaded: after the renderer's script ran, before the kiosk's
      // settings came back over the socket (that needs a round trip the page has not had yet).
      await early.addInitScript((keys: string[]) => {
        document.addEventListener('DOMContentLoaded', () => {
          document.body.dataset['readyAtScan'] = document.body.dataset['ready'] ?? 'false';
          for (const key of keys) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
        });
      }, [...Array.from(passes.green), 'Enter']);
      await early.goto(kiosk.url);
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
  let kiosk: RunningKiosk | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let dataDir: string;
  let profileDir: string;
  let yellow: string;

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'pccovid-screens-border-'));
    profileDir = mkdtempSync(join(tmpdir(), 'pccovid-screens-chromium-'));
    yellow = issuePass(dataDir, 'yellow');
    writeSettings(dataDir, 'border');
    kiosk = await startKiosk(dataDir);
    ({ context, page } = await openPage(profileDir, kiosk.url));
  });

  afterAll(async () => {
    await context?.close();
    await stopKiosk(kiosk);
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
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

    const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true, fileMustExist: true });
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
  let kiosk: RunningKiosk | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let dataDir: string;
  let profileDir: string;
  let pin: string;
  let green: string;

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'pccovid-screens-console-'));
    profileDir = mkdtempSync(join(tmpdir(), 'pccovid-screens-chromium-'));
    green = issuePass(dataDir, 'green');
    writeSettings(dataDir, 'venue');
    // The PIN was set when the data directory was first opened; a technician reads it once.
    const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true, fileMustExist: true });
    try {
      pin = JSON.parse(String(db.prepare("SELECT value FROM settings WHERE key = 'console_pin'").pluck().get())) as string;
    } finally {
      db.close();
    }
    kiosk = await startKiosk(dataDir);
    ({ context, page } = await openPage(profileDir, kiosk.url));
  });

  afterAll(async () => {
    await context?.close();
    await stopKiosk(kiosk);
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
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
    expect(await page.getByTestId('console-reset').isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'console.png') });
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
