// What the screen tests share: the built kiosk started as `pccovid-kiosk start --shell web`,
// Debian's Chromium opened on it with playwright-core, demo passes, the settings provisioning
// would write, and axe-core run in the page. Used by screens.e2e.test.ts and camera.e2e.test.ts.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
// The tests set the kiosk's mode in its settings before it starts (what provisioning does) and
// read rows back: the log on disk is the assertion.
// eslint-disable-next-line pccovid/layering -- test setup and audit of the kiosk's own database
import Database from 'better-sqlite3';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'bin', 'pccovid-kiosk.js');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const CHROMIUM = process.env['PCCOVID_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const READY_PREFIX = 'Kiosk ready at ';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page. The page's CSP forbids inline scripts, so axe is evaluated through
 * the DevTools protocol (as an extension would), not added as a <script> element.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
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

export interface RunningKiosk {
  child: ChildProcess;
  url: string;
  dataDir: string;
}

export function cli(dataDir: string, ...args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args, '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8' });
}

export function issuePass(dataDir: string, status: 'green' | 'yellow' | 'red'): string {
  const pass = cli(dataDir, 'issue-demo-pass', '--status', status).split('\n').find((line) => line.startsWith('PC1:'));
  if (pass === undefined) throw new Error('issue-demo-pass printed no PC1: line');
  return pass.trim();
}

/** What provisioning would write: the screen mode, and a verdict hold long enough for axe to run. */
export function writeSettings(dataDir: string, mode: 'venue' | 'border'): void {
  const db = new Database(join(dataDir, 'kiosk.db'), { fileMustExist: true });
  try {
    const set = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    set.run('mode', JSON.stringify(mode));
    set.run('verdict_hold_ms', JSON.stringify(600_000));
  } finally {
    db.close();
  }
}

/** Starts the web shell on `dataDir`; `extraArgs` go to `pccovid-kiosk start` (e.g. --no-demo). */
export async function startKiosk(dataDir: string, extraArgs: readonly string[] = []): Promise<RunningKiosk> {
  const stderr: string[] = [];
  const child = spawn(process.execPath, [CLI, 'start', '--shell', 'web', '--no-open', '--data-dir', dataDir, ...extraArgs], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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

export async function stopKiosk(kiosk: RunningKiosk | undefined): Promise<void> {
  if (kiosk === undefined || kiosk.child.exitCode !== null) return;
  const child = kiosk.child;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(force);
}

export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    execFileSync(process.execPath, [join(ROOT, 'build', 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
}

/** The console PIN, set when the data directory was first opened (a technician reads it once). */
export function consolePin(dataDir: string): string {
  const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true, fileMustExist: true });
  try {
    return JSON.parse(String(db.prepare("SELECT value FROM settings WHERE key = 'console_pin'").pluck().get())) as string;
  } finally {
    db.close();
  }
}

/** A fresh data directory for one group of screen tests, the build and the screenshot folder ready. */
export function screenTestDataDir(name: string): string {
  ensureBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  return mkdtempSync(join(tmpdir(), `pccovid-${name}-`));
}

export interface OpenPageOptions {
  /** More Chromium switches (a fake camera, for instance). */
  args?: readonly string[];
}

export async function openPage(profileDir: string, url: string, options: OpenPageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    headless: true,
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  // The kiosk has its settings from main and takes scans as verdicts (main.ts sets data-ready).
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
  return { context, page };
}

export async function waitForOutcome(page: Page, outcome: 'admit' | 'deny' | 'review'): Promise<void> {
  await page.getByTestId('verdict-outcome').and(page.locator(`[data-outcome="${outcome}"]`)).waitFor({ state: 'visible' });
}

/** One web-shell kiosk in one Chromium page, for a describe block (see useScreenKiosk). */
export interface ScreenKiosk {
  readonly kiosk: RunningKiosk;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly dataDir: string;
}

/**
 * Registers the describe block's beforeAll and afterAll: a fresh data directory (`prepare` writes
 * passes and settings into it before the kiosk starts), the kiosk in the web shell, a Chromium
 * page on it ready for scans; afterwards all closed and deleted. Read the fields inside tests.
 */
export function useScreenKiosk(name: string, prepare: (dataDir: string) => void = () => undefined): ScreenKiosk {
  let kiosk: RunningKiosk | undefined;
  let opened: { context: BrowserContext; page: Page } | undefined;
  let dataDir = '';
  let profileDir = '';
  beforeAll(async () => {
    dataDir = screenTestDataDir(name);
    profileDir = mkdtempSync(join(tmpdir(), `pccovid-${name}-chromium-`));
    prepare(dataDir);
    kiosk = await startKiosk(dataDir);
    opened = await openPage(profileDir, kiosk.url);
  });
  afterAll(async () => {
    await opened?.context.close();
    await stopKiosk(kiosk);
    if (profileDir !== '') rmSync(profileDir, { recursive: true, force: true });
    if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`the ${name} kiosk did not start (see beforeAll)`);
    return value;
  };
  return {
    get kiosk() {
      return started(kiosk);
    },
    get context() {
      return started(opened).context;
    },
    get page() {
      return started(opened).page;
    },
    get dataDir() {
      return dataDir;
    },
  };
}
