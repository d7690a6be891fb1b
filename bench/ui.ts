// Scan-to-paint latency of the kiosk screen in Chromium, through the web shell: from the
// scanner's Enter reaching the renderer to the verdict painted (src/renderer/paint-timing.ts:
// a requestAnimationFrame callback, then a task posted from it once the frame is rendered).
// Includes the IPC round trip over the WebSocket, the pipeline and the durable check-in write.
//
// Each scan is a different person's pass (a new check-in, verified and written with its fsync),
// made at a random moment: a door's scanner is not in step with the display, so each scan waits
// for the 60 Hz frame clock's next tick from a random phase. Options:
//   --scans N             scans (default 1,000, at least 1,000)
//   --back-to-back        no random pause: each scan starts right after the previous paint
//   --chromium-arg FLAG   extra Chromium switch (repeatable), for diagnosis only
// npm run bench -- ui [options]
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { openKioskCore } from '../src/main/core/open-kiosk-core.js';
import { issueDemoPass } from '../src/main/demo/demo-authority.js';
import { DRAWN_MARK, FRAME_MARK, PAINT_MEASURE, SCAN_MARK, VERDICT_MARK } from '../src/renderer/paint-timing.js';
import { printFigures, printTable, summarise } from './stats.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'pccovid-kiosk.js');
const CHROMIUM = process.env['PCCOVID_CHROMIUM'] ?? '/usr/bin/chromium';
/** Random pause before a scan: up to two frames of the 60 Hz clock, so its phase is uniform. */
const MAX_PAUSE_MS = 2 * (1000 / 60);

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

/** Distinct demo passes (one subject each), signed by the data directory's demo authority. */
function makePasses(dataDir: string, count: number): string[] {
  const kiosk = openKioskCore({ dataDir });
  try {
    const nowMs = Date.now();
    return Array.from({ length: count }, (_, i) =>
      issueDemoPass(kiosk.demoAuthority, { nowMs, subjectId: `VN-ID:0791${String(900_000 + i).padStart(8, '0')}` }),
    );
  } finally {
    kiosk.close();
  }
}

/** The page's frame clock: intervals between 240 consecutive requestAnimationFrame ticks. */
async function frameIntervals(page: Page): Promise<number[]> {
  // No named functions inside evaluate: tsx would wrap them in a helper the page lacks.
  return page.evaluate(async () => {
    const stamps: number[] = [];
    for (let i = 0; i <= 240; i++) stamps.push(await new Promise<number>((resolve) => requestAnimationFrame(resolve)));
    return stamps.slice(1).map((stamp, i) => stamp - (stamps[i] ?? stamp));
  });
}

interface ScanSample {
  total: number;
  /** verdict-received − scan-received: WebSocket round trip, validation, pipeline, durable write. */
  ipc: number;
  /** verdict-drawn − verdict-received: DOM update and sound start. */
  dom: number;
  /** verdict-frame − verdict-drawn: waiting for the frame clock's next tick. */
  vsync: number;
  /** paint − verdict-frame: the frame's rAF, style, layout, paint, and the posted task. */
  frame: number;
}

/** One scanner burst after `pauseMs`, then the marks and the scan-to-paint measure main.ts records. */
async function scanOnce(page: Page, text: string, pauseMs: number): Promise<ScanSample> {
  return page.evaluate(
    ({ keys, pause, names }) =>
      new Promise<ScanSample>((resolve) => {
        const observer = new PerformanceObserver((list) => {
          const measure = list.getEntriesByName(names.measure)[0];
          if (measure === undefined) return;
          observer.disconnect();
          const [scan = Number.NaN, verdict = Number.NaN, drawn = Number.NaN, frame = Number.NaN] = [names.scan, names.verdict, names.drawn, names.frame].map(
            (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? Number.NaN,
          );
          resolve({ total: measure.duration, ipc: verdict - scan, dom: drawn - verdict, vsync: frame - drawn, frame: scan + measure.duration - frame });
        });
        observer.observe({ type: 'measure' });
        setTimeout(() => {
          for (const key of keys) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
        }, pause);
      }),
    {
      keys: [...Array.from(text), 'Enter'],
      pause: pauseMs,
      names: { measure: PAINT_MEASURE, scan: SCAN_MARK, verdict: VERDICT_MARK, drawn: DRAWN_MARK, frame: FRAME_MARK },
    },
  );
}

function histogram(samples: readonly number[], bucketMs: number): string[][] {
  const counts = new Map<number, number>();
  for (const sample of samples) {
    const bucket = Math.floor(sample / bucketMs);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bucket, count]) => [`${(bucket * bucketMs).toFixed(0)}–${((bucket + 1) * bucketMs).toFixed(0)} ms`, String(count), '#'.repeat(Math.ceil((60 * count) / samples.length))]);
}

export async function runUiBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scans: { type: 'string', default: '1000' },
      'back-to-back': { type: 'boolean', default: false },
      'chromium-arg': { type: 'string', multiple: true, default: [] },
    },
  });
  const scans = Number(values.scans);
  if (!Number.isInteger(scans) || scans < 1000) throw new Error('--scans must be an integer of at least 1000');

  execFileSync(process.execPath, [join(ROOT, 'build', 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'pccovid-bench-ui-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'pccovid-bench-ui-chromium-'));
  let kiosk: ChildProcess | undefined;
  try {
    const passes = makePasses(dataDir, scans);
    const started = await startKiosk(dataDir);
    kiosk = started.child;
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', ...values['chromium-arg']],
      headless: true,
      viewport: { width: 1280, height: 800 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(started.url);
      await page.getByTestId('idle-screen').waitFor({ state: 'visible' });
      const intervals = summarise(await frameIntervals(page));
      const samples: ScanSample[] = [];
      for (let i = 0; i < scans; i++) {
        const pass = passes[i % passes.length] ?? '';
        samples.push(await scanOnce(page, pass, values['back-to-back'] ? 0 : Math.random() * MAX_PAUSE_MS));
      }
      const parts = (['total', 'ipc', 'dom', 'vsync', 'frame'] as const).map((part) => [part, summarise(samples.map((sample) => sample[part]))] as const);
      console.log(`frame clock: rAF interval p50 ${intervals.p50.toFixed(2)} ms (p1–p99 over 240 frames up to ${intervals.p99.toFixed(2)} ms)`);
      printTable([['part', 'p50 ms', 'p99 ms', 'max ms', 'mean ms'], ...parts.map(([part, s]) => [part, s.p50, s.p99, s.max, s.mean])]);
      console.log('scan-to-paint distribution:');
      printTable(histogram(samples.map((sample) => sample.total), 2));
      const total = summarise(samples.map((sample) => sample.total));
      const figure = (name: string): number => parts.find(([part]) => part === name)?.[1].p50 ?? Number.NaN;
      const p99Of = (name: string): number => parts.find(([part]) => part === name)?.[1].p99 ?? Number.NaN;
      printFigures({
        bench: 'ui',
        scans: total.count,
        phase: values['back-to-back'] ? 'back-to-back' : 'random',
        chromium_args: values['chromium-arg'].join(' '),
        frame_interval_p50_ms: intervals.p50,
        p50_ms: total.p50,
        p99_ms: total.p99,
        max_ms: total.max,
        mean_ms: total.mean,
        ipc_p50_ms: figure('ipc'),
        ipc_p99_ms: p99Of('ipc'),
        dom_p50_ms: figure('dom'),
        dom_p99_ms: p99Of('dom'),
        vsync_wait_p50_ms: figure('vsync'),
        vsync_wait_p99_ms: p99Of('vsync'),
        frame_p50_ms: figure('frame'),
        frame_p99_ms: p99Of('frame'),
      });
    } finally {
      await context.close();
    }
  } finally {
    kiosk?.kill('SIGTERM');
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
