// Scan-to-paint latency of the kiosk screen in Chromium: from the scanner's Enter reaching the
// renderer (keydown) to the frame after the verdict is drawn (performance mark + measure in
// src/renderer/main.ts, two requestAnimationFrame callbacks). Includes the IPC round trip over
// the web shell's WebSocket, the pipeline and the durable check-in write.
// npm run bench -- ui [--scans N] (default 1,000).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { printFigures, printTable, summarise } from './stats.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'pccovid-kiosk.js');
const CHROMIUM = process.env['PCCOVID_CHROMIUM'] ?? '/usr/bin/chromium';

async function startKiosk(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'start', '--shell', 'web', '--no-open', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    if (child.stdout === null) {
      reject(new Error('the kiosk process has no stdout'));
      return;
    }
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('Kiosk ready at ')) resolve(line.slice('Kiosk ready at '.length).trim());
    });
    child.once('exit', (code) => reject(new Error(`the kiosk exited with ${String(code)}`)));
  });
  return { child, url };
}

export async function runUiBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { scans: { type: 'string', default: '1000' } } });
  const scans = Number(values.scans);
  if (!Number.isInteger(scans) || scans < 1000) throw new Error('--scans must be an integer of at least 1000');

  execFileSync(process.execPath, [join(ROOT, 'build', 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'pccovid-bench-ui-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'pccovid-bench-ui-chromium-'));
  let kiosk: ChildProcess | undefined;
  try {
    const pass = execFileSync(process.execPath, [CLI, 'issue-demo-pass', '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .find((line) => line.startsWith('PC1:'))
      ?.trim();
    if (pass === undefined) throw new Error('issue-demo-pass printed no pass');
    const started = await startKiosk(dataDir);
    kiosk = started.child;
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      headless: true,
      viewport: { width: 1280, height: 800 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(started.url);
      await page.getByTestId('idle-screen').waitFor({ state: 'visible' });
      const samples: number[] = [];
      for (let i = 0; i < scans; i++) {
        // One scanner burst, then the scan-to-paint measure main.ts records for it.
        const duration = await page.evaluate(
          (keys) =>
            new Promise<number>((resolve) => {
              const observer = new PerformanceObserver((list) => {
                const entry = list.getEntriesByName('scan-to-paint')[0];
                if (entry === undefined) return;
                observer.disconnect();
                resolve(entry.duration);
              });
              observer.observe({ type: 'measure' });
              for (const key of keys) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
            }),
          [...Array.from(pass), 'Enter'],
        );
        samples.push(duration);
      }
      const summary = summarise(samples);
      printTable([
        ['scans', 'p50 ms', 'p99 ms', 'max ms', 'mean ms'],
        [String(summary.count), summary.p50, summary.p99, summary.max, summary.mean],
      ]);
      printFigures({ bench: 'ui', scans: summary.count, p50_ms: summary.p50, p99_ms: summary.p99, max_ms: summary.max, mean_ms: summary.mean });
    } finally {
      await context.close();
    }
  } finally {
    kiosk?.kill('SIGTERM');
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
