// End to end: the built kiosk (`pccovid-kiosk start --shell web`) in real Chromium driven by
// Playwright, scanning as a keyboard-wedge scanner does, and the check-in log on disk.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
// The test audits the check-in log on disk, read-only, as the authority would; it writes nothing.
// eslint-disable-next-line pccovid/layering -- reading the kiosk's own log file is the assertion
import Database from 'better-sqlite3';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { KioskInfo } from '../../src/common/ipc/contract.js';
import { base45Decode, base45Encode } from '../../src/common/formats/base45.js';
import { typeAsScanner } from './scanner-keys.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'bin', 'pccovid-kiosk.js');
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const CHROMIUM = process.env['PCCOVID_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const READY_PREFIX = 'Kiosk ready at ';

/** Starts the kiosk and resolves with the URL it prints once it listens. */
function startKiosk(dataDir: string, stderr: string[]): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, [CLI, 'start', '--shell', 'web', '--no-open', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => stderr.push(chunk));
  const ready = new Promise<string>((resolve, reject) => {
    if (child.stdout === null) {
      reject(new Error('the kiosk process has no stdout'));
      return;
    }
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith(READY_PREFIX)) resolve(line.slice(READY_PREFIX.length).trim());
    });
    child.once('exit', (code) => reject(new Error(`the kiosk exited with ${String(code)} before it was ready:\n${stderr.join('')}`)));
    child.once('error', reject);
  });
  return { child, ready };
}

function issueDemoPass(dataDir: string): string {
  const output = execFileSync(process.execPath, [CLI, 'issue-demo-pass', '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8' });
  const pass = output.split('\n').find((line) => line.startsWith('PC1:'));
  if (pass === undefined) throw new Error(`issue-demo-pass printed no PC1: line:\n${output}`);
  return pass.trim();
}

/**
 * The same pass with one bit of its signature flipped, re-packed so that it still decodes:
 * the kiosk must read it and refuse it for its signature, not for damage.
 */
function tamperSignature(pass: string): string {
  const decoded = base45Decode(pass.slice('PC1:'.length));
  if (!decoded.ok) throw new Error(`the issued pass is not base45: ${decoded.reason.code}`);
  const cose = Buffer.from(inflateSync(decoded.value));
  // COSE_Sign1 is [protected, unprotected, payload, signature]: the last byte is the signature's.
  const last = cose.length - 1;
  cose.writeUInt8((cose.readUInt8(last) ^ 0x01) & 0xff, last);
  return `PC1:${base45Encode(deflateSync(cose))}`;
}

/** kiosk:info over the shell's own protocol, as the page would ask it. */
async function fetchInfo(pageUrl: string): Promise<KioskInfo> {
  const page = new URL(pageUrl);
  const token = new URLSearchParams(page.hash.slice(1)).get('token') ?? '';
  const socket = new WebSocket(`ws://${page.host}/ipc?token=${encodeURIComponent(token)}`, { origin: page.origin });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const reply = new Promise<string>((resolve) => socket.once('message', (data: Buffer) => resolve(data.toString('utf8'))));
    socket.send(JSON.stringify({ id: 1, channel: 'kiosk:info', request: {} }));
    const parsed = JSON.parse(await reply) as { result: { ok: true; value: KioskInfo } | { ok: false } };
    if (!parsed.result.ok) throw new Error('kiosk:info failed');
    return parsed.result.value;
  } finally {
    socket.close();
  }
}

interface CheckinRow {
  outcome: string;
  readable: number;
  reason_codes: string;
  source: string;
}

// Generous per-test time: a loaded 2-core machine runs Chromium slowly; nothing here is timed.
describe('kiosk in Chromium through the web shell', { timeout: 120_000 }, () => {
  const kioskStderr: string[] = [];
  let dataDir: string;
  let profileDir: string;
  let kiosk: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let url: string;
  let pass: string;

  function checkins(): CheckinRow[] {
    const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT outcome, readable, reason_codes, source FROM checkins ORDER BY at, id').all() as CheckinRow[];
    } finally {
      db.close();
    }
  }

  /** A scanner's burst by default; with a delay, a person typing key by key. */
  async function scan(text: string, delay?: number): Promise<void> {
    if (delay === undefined) {
      await typeAsScanner(page, text);
      return;
    }
    await page.keyboard.type(text, { delay });
    await page.keyboard.press('Enter');
  }

  async function waitForIdle(): Promise<void> {
    await page.getByTestId('idle-screen').waitFor({ state: 'visible' });
  }

  beforeAll(async () => {
    // npm test builds dist/ before any test runs; rebuilding here would delete it under other
    // test files that use it at the same time. Build only when run on its own without dist/.
    if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
      execFileSync(process.execPath, [join(ROOT, 'build', 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    }
    dataDir = mkdtempSync(join(tmpdir(), 'pccovid-e2e-data-'));
    profileDir = mkdtempSync(join(tmpdir(), 'pccovid-e2e-chromium-'));
    mkdirSync(SCREENSHOTS, { recursive: true });

    const started = startKiosk(dataDir, kioskStderr);
    kiosk = started.child;
    url = await started.ready;
    pass = issueDemoPass(dataDir);

    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
  });

  afterAll(async () => {
    await context?.close();
    if (kiosk !== undefined && kiosk.exitCode === null) {
      const child = kiosk;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      // A kiosk that ignores SIGTERM must not outlive the test run.
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    }
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the idle screen with the venue name', async () => {
    const info = await fetchInfo(url);
    await waitForIdle();
    await expect(page.getByTestId('venue-name').textContent()).resolves.toBe(info.venueName);
    await expect(page.getByTestId('scan-prompt').textContent()).resolves.toBe(info.defaultLocale === 'vi' ? 'Quét mã' : 'Scan your pass');
    expect(await page.getByTestId('demo-badge').isVisible()).toBe(info.demo);
    expect(await page.getByTestId('error-banner').isVisible()).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'idle.png') });
  });

  it('admits a valid pass scanned as a keyboard wedge', async () => {
    await scan(pass);
    const outcome = page.getByTestId('verdict-outcome');
    await outcome.and(page.locator('[data-outcome="admit"]')).waitFor({ state: 'visible' });
    expect(await outcome.getAttribute('data-outcome')).toBe('admit');
    expect(await page.getByTestId('verdict-holder').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'admit.png') });
  });

  it('denies a pass whose signature was changed, with the reason, then returns to idle', async () => {
    // A new scan replaces the admit verdict at once.
    await scan(tamperSignature(pass));
    const outcome = page.getByTestId('verdict-outcome');
    await outcome.and(page.locator('[data-outcome="deny"]')).waitFor({ state: 'visible' });
    const codes = await page.getByTestId('verdict-reason').evaluateAll((items) => items.map((item) => item.getAttribute('data-code')));
    expect(codes).toContain('signature_invalid');
    await page.screenshot({ path: join(SCREENSHOTS, 'deny.png') });
    await waitForIdle();
    expect(await page.getByTestId('verdict-screen').isVisible()).toBe(false);
  });

  it('logged both verdicts in the check-in log', () => {
    const rows = checkins();
    expect(rows.map((row) => row.outcome)).toEqual(['admit', 'deny']);
    const deny = rows[1];
    expect(deny?.readable).toBe(1);
    expect(JSON.parse(deny?.reason_codes ?? '[]')).toContain('signature_invalid');
    expect(rows.every((row) => row.source === 'keyboard-wedge')).toBe(true);
  });

  it('does not take a slow typist for a scanner', async () => {
    await waitForIdle();
    const before = checkins().length;
    await scan('PC1:TYPEDBYHAND', 300);
    // The next real scan is logged right after: had the typing been a scan, it would be too.
    await scan(pass);
    await page.getByTestId('verdict-outcome').and(page.locator('[data-outcome="admit"]')).waitFor({ state: 'visible' });
    const rows = checkins();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)?.outcome).toBe('admit');
  });

  it('takes a paste as a scan', async () => {
    await waitForIdle();
    const before = checkins().length;
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', `${text}\n`);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, pass);
    await page.getByTestId('verdict-outcome').and(page.locator('[data-outcome="admit"]')).waitFor({ state: 'visible' });
    const rows = checkins();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)?.source).toBe('paste');
  });

  it('switches the screen language with its button', async () => {
    await waitForIdle();
    const prompt = page.getByTestId('scan-prompt');
    const first = await prompt.textContent();
    await page.getByTestId('locale-button').click();
    const second = await prompt.textContent();
    expect(new Set([first, second])).toEqual(new Set(['Quét mã', 'Scan your pass']));
    await page.getByTestId('locale-button').click();
    await expect(prompt.textContent()).resolves.toBe(first);
  });
});
