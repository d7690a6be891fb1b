// Scan-to-paint latency of the kiosk screen in Chromium, through the web shell: from the
// scanner's Enter reaching the renderer to the verdict painted (src/renderer/paint-timing.ts:
// a requestAnimationFrame callback, then a task posted from it once the frame is rendered).
// Includes the IPC round trip over the WebSocket, the pipeline and the durable check-in write.
//
// Each scan is a different person's pass (a new check-in, verified and written with its fsync),
// scanned on the idle screen as at a door: the verdict is held 50 ms (verdict_hold_ms), the idle
// screen comes back, and the scan comes --gap ms later plus a random part of two frames, so
// it is not in step with the 60 Hz frame clock. Options:
//   --scans N             scans (default 1,000, at least 1,000)
//   --gap MS              idle time before each scan (default 150: the screen has settled, as
//                         between two people; 0: right after the idle screen was drawn)
//   --back-to-back        no idle screen, no pause: each scan replaces the previous verdict right
//                         after it was painted (what this bench measured before)
//   --chromium-arg FLAG   extra Chromium switch (repeatable), for diagnosis only
// npm run bench -- ui [options]
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CDPSession, chromium, type Page } from 'playwright-core';
import { openKioskCore } from '../src/main/core/open-kiosk-core.js';
import { issueDemoPass } from '../src/main/demo/demo-authority.js';
import { setSetting } from '../src/main/store/queries/settings.js';
import { DRAWN_MARK, FRAME_MARK, PAINT_MEASURE, SCAN_MARK, VERDICT_MARK } from '../src/renderer/paint-timing.js';
import { printFigures, printTable, summarise } from './stats.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'pccovid-kiosk.js');
const CHROMIUM = process.env['PCCOVID_CHROMIUM'] ?? '/usr/bin/chromium';
/** Random part of the pause before a scan: up to two frames of the 60 Hz clock, so its phase is uniform. */
const MAX_PAUSE_MS = 2 * (1000 / 60);
/** How long the bench's kiosk holds a verdict before the idle screen returns (a door: 4 s). */
const BENCH_HOLD_MS = 50;

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
function makePasses(dataDir: string, count: number, holdMs: number): string[] {
  const kiosk = openKioskCore({ dataDir });
  try {
    setSetting(kiosk.db, 'verdict_hold_ms', holdMs);
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

/** The renderer's own counters (DevTools protocol Performance domain): where its main thread went. */
const RENDERER_METRICS = ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'RecalcStyleCount', 'LayoutCount'] as const;

async function rendererMetrics(session: CDPSession): Promise<Record<string, number>> {
  const { metrics } = (await session.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(metrics.filter((metric) => (RENDERER_METRICS as readonly string[]).includes(metric.name)).map((metric) => [metric.name, metric.value]));
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
      gap: { type: 'string', default: '150' },
      'back-to-back': { type: 'boolean', default: false },
      'chromium-arg': { type: 'string', multiple: true, default: [] },
    },
  });
  const scans = Number(values.scans);
  if (!Number.isInteger(scans) || scans < 1000) throw new Error('--scans must be an integer of at least 1000');
  const gapMs = Number(values.gap);
  if (!Number.isFinite(gapMs) || gapMs < 0) throw new Error('--gap must be a number of milliseconds');
  const backToBack = values['back-to-back'];

  execFileSync(process.execPath, [join(ROOT, 'build', 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'pccovid-bench-ui-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'pccovid-bench-ui-chromium-'));
  let kiosk: ChildProcess | undefined;
  try {
    // Back to back, the verdict must stay up between scans: the door's own hold time.
    const passes = makePasses(dataDir, scans, backToBack ? 4000 : BENCH_HOLD_MS);
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
      const session = await context.newCDPSession(page);
      await session.send('Performance.enable');
      const before = await rendererMetrics(session);
      const samples: ScanSample[] = [];
      for (let i = 0; i < scans; i++) {
        const pass = passes[i % passes.length] ?? '';
        if (!backToBack) await page.getByTestId('idle-screen').waitFor({ state: 'visible' });
        // The phase is deterministic and evenly spread (golden-ratio sequence), so two runs do the same.
        const phase = ((i * 0.618_033_988_75) % 1) * MAX_PAUSE_MS;
        samples.push(await scanOnce(page, pass, backToBack ? 0 : gapMs + phase));
      }
      const parts = (['total', 'ipc', 'dom', 'vsync', 'frame'] as const).map((part) => [part, summarise(samples.map((sample) => sample[part]))] as const);
      const after = await rendererMetrics(session);
      // Per scan: durations in ms (the counters are in seconds), counts as they are.
      const perScan = Object.fromEntries(
        RENDERER_METRICS.map((name) => [name, ((after[name] ?? 0) - (before[name] ?? 0)) * (name.endsWith('Duration') ? 1000 : 1) / scans]),
      );
      console.log(
        `renderer main thread per scan: tasks ${perScan['TaskDuration']?.toFixed(2) ?? '?'} ms, script ${perScan['ScriptDuration']?.toFixed(2) ?? '?'} ms, ` +
          `style ${perScan['RecalcStyleDuration']?.toFixed(2) ?? '?'} ms in ${perScan['RecalcStyleCount']?.toFixed(1) ?? '?'} recalcs, ` +
          `layout ${perScan['LayoutDuration']?.toFixed(2) ?? '?'} ms in ${perScan['LayoutCount']?.toFixed(1) ?? '?'} layouts (includes the bench's own key events)`,
      );
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
        start: backToBack ? 'back-to-back, over the previous verdict' : `idle screen, ${String(gapMs)} ms + random phase`,
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
        renderer_task_ms_per_scan: perScan['TaskDuration'] ?? Number.NaN,
        renderer_script_ms_per_scan: perScan['ScriptDuration'] ?? Number.NaN,
        renderer_style_ms_per_scan: perScan['RecalcStyleDuration'] ?? Number.NaN,
        renderer_layout_ms_per_scan: perScan['LayoutDuration'] ?? Number.NaN,
        renderer_style_recalcs_per_scan: perScan['RecalcStyleCount'] ?? Number.NaN,
        renderer_layouts_per_scan: perScan['LayoutCount'] ?? Number.NaN,
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
