// The camera fallback in Chromium, through the web shell, with Chromium's fake camera playing a
// Y4M file (test/e2e/fake-camera.ts):
// - passes read and time to a verdict: camera opened, code read, over --runs presses of "use
//   the camera", each with another demo pass in view;
// - decode time per frame and frames decoded per second with no code in view (what the kiosk
//   does while a person fumbles for their phone), in the worker and on the page;
// - how the page's own frames fare meanwhile: requestAnimationFrame gaps (p99, max) and long
//   tasks, decoding in the worker / on the page (worker blocked). The preview video makes
//   Chromium draw every frame, so a gap above 16.7 ms is a frame the page missed.
// - in Node, without a browser: how many generated pass-sized codes (351 characters, as a demo
//   pass) the decoder misses at each scale of CAMERA_SCALE_CYCLE and at all of them, for two
//   frame sizes and three code sizes (bilinear scaling, as a canvas does).
// Options: --runs N (default 20), --seconds S of no-code looking per mode (default 10),
//          --width W --height H of the fake camera (default 1280×720), --codes N generated
//          codes per frame and code size (default 100; 0 skips that part).
// npm run bench -- camera [options]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { CAMERA_ATTEMPTS, decodeQrFromLuminance, type LuminanceImage } from '../src/common/camera/qr-decoder.js';
import { CAMERA_DECODE_MAX_SIDE, CAMERA_SCALE_CYCLE } from '../src/renderer/camera-browser.js';
import { qrFrame, writeNoCodeY4m, writeQrY4m } from '../test/e2e/fake-camera.js';
import { issuePass, openPage, type RunningKiosk, startKiosk, stopKiosk, writeSettings } from '../test/e2e/kiosk-harness.js';
import { printFigures, printTable, summarise } from './stats.js';

const CAMERA_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

async function panel(page: Page): Promise<Record<string, string>> {
  return page.getByTestId('camera-panel').evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);
}

/**
 * Watches the page's frames for `ms`: gaps between requestAnimationFrame ticks and long tasks.
 * Sent as source text: tsx would wrap a function's inner helpers in a `__name` call the page
 * does not have.
 */
async function watchFrames(page: Page, ms: number): Promise<{ gaps: number[]; longTasks: number[] }> {
  return page.evaluate(`new Promise((resolve) => {
    const gaps = [];
    const longTasks = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask' });
    const start = performance.now();
    let last = start;
    function tick(now) {
      gaps.push(now - last);
      last = now;
      if (now - start < ${ms}) requestAnimationFrame(tick);
      else {
        observer.disconnect();
        resolve({ gaps: gaps.slice(1), longTasks });
      }
    }
    requestAnimationFrame(tick);
  })`);
}

/** Bilinear resampling of a grey image by `scale` (pixel centres aligned), as a canvas draws. */
function resample(image: LuminanceImage, scale: number): LuminanceImage {
  const width = Math.round(image.width * scale);
  const height = Math.round(image.height * scale);
  const luminance = new Uint8ClampedArray(width * height);
  const at = (x: number, y: number): number => image.luminance[Math.min(image.height - 1, y) * image.width + Math.min(image.width - 1, x)] ?? 0;
  for (let y = 0; y < height; y++) {
    const sy = Math.max(0, (y + 0.5) / scale - 0.5);
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.max(0, (x + 0.5) / scale - 0.5);
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      luminance[y * width + x] =
        (1 - fx) * (1 - fy) * at(x0, y0) + fx * (1 - fy) * at(x0 + 1, y0) + (1 - fx) * fy * at(x0, y0 + 1) + fx * fy * at(x0 + 1, y0 + 1);
    }
  }
  return { width, height, luminance };
}

/** A random text as long as a demo pass, in the QR alphanumeric alphabet as base45 is. */
function passLikeText(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  let text = 'PC1:';
  while (text.length < 351) text += alphabet[Math.floor(Math.random() * alphabet.length)] ?? '0';
  return text;
}

/** Generated codes the decoder misses at each scale of the camera's cycle, and at all of them. */
function missesPerScale(codes: number): Record<string, number> {
  if (codes <= 0) return {};
  const rows: (string | number)[][] = [['frame', 'code height', ...CAMERA_SCALE_CYCLE.map((scale) => `missed at ${scale}`), 'missed at all']];
  let allMissed = 0;
  let worstSingle = 0;
  for (const [width, height] of [
    [640, 480],
    [1280, 720],
  ] as const) {
    const base = Math.min(1, CAMERA_DECODE_MAX_SIDE / Math.max(width, height));
    for (const share of [0.85, 0.5, 0.3]) {
      const missed = CAMERA_SCALE_CYCLE.map(() => 0);
      let missedAll = 0;
      for (let i = 0; i < codes; i++) {
        const text = passLikeText();
        const moduleSize = Math.max(2, Math.floor((height * share) / 69));
        const frame = qrFrame(text, { width, height, moduleSize });
        const image: LuminanceImage = { width, height, luminance: new Uint8ClampedArray(frame.luma) };
        const read = CAMERA_SCALE_CYCLE.map((scale, k) => {
          const result = decodeQrFromLuminance(resample(image, base * scale), { attempts: CAMERA_ATTEMPTS });
          const ok = result.ok && result.text === text;
          if (!ok) missed[k] = (missed[k] ?? 0) + 1;
          return ok;
        });
        if (!read.some(Boolean)) missedAll++;
      }
      // A scale whose modules come out under ~2.5 px never reads: not a miss of the scale cycle.
      worstSingle = Math.max(worstSingle, ...missed.filter((count) => count < codes));
      allMissed += missedAll;
      rows.push([`${width}×${height}`, `${share * 100} %`, ...missed.map(String), String(missedAll)]);
    }
  }
  console.log(`generated pass-sized codes, ${codes} per row, decoded in Node at each scale of the camera's cycle:`);
  printTable(rows);
  return { codes_generated: codes * 6, codes_missed_at_all_scales: allMissed, codes_missed_worst_single_scale: worstSingle };
}

export async function runCameraBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      runs: { type: 'string', default: '20' },
      seconds: { type: 'string', default: '10' },
      width: { type: 'string', default: '1280' },
      height: { type: 'string', default: '720' },
      codes: { type: 'string', default: '100' },
    },
  });
  const runs = Number(values.runs);
  const seconds = Number(values.seconds);
  const width = Number(values.width);
  const height = Number(values.height);
  const scaleFigures = missesPerScale(Number(values.codes));
  const dataDir = mkdtempSync(join(tmpdir(), 'pccovid-bench-camera-'));
  const work = mkdtempSync(join(tmpdir(), 'pccovid-bench-camera-files-'));
  let kiosk: RunningKiosk | undefined;
  let context: BrowserContext | undefined;
  const open = async (video: string): Promise<Page> => {
    if (kiosk === undefined) throw new Error('the kiosk did not start');
    await context?.close();
    const profile = mkdtempSync(join(work, 'profile-'));
    const opened = await openPage(profile, kiosk.url, { args: [...CAMERA_ARGS, `--use-file-for-fake-video-capture=${video}`] });
    context = opened.context;
    return opened.page;
  };
  try {
    // A different pass each run (green and red in turn, so each verdict shows the file was
    // read afresh): a code zxing misses at one scale must not be measured over and over.
    const passes = Array.from({ length: runs }, (_, i) => ({ text: issuePass(dataDir, i % 2 === 0 ? 'green' : 'red'), outcome: i % 2 === 0 ? 'admit' : 'deny' }));
    writeSettings(dataDir, 'venue');
    kiosk = await startKiosk(dataDir);
    const passVideo = join(work, 'pass.y4m');
    let modules = 0;
    const blankVideo = join(work, 'no-code.y4m');
    writeNoCodeY4m(blankVideo, width, height);

    // Time to a verdict with a pass in view. Chromium reads the fake camera's file each time
    // the camera is opened, so the next pass is written before each press.
    modules = writeQrY4m(passVideo, passes[0]?.text ?? '', { width, height });
    let page = await open(passVideo);
    const openMs: number[] = [];
    const readMs: number[] = [];
    const framesToCode: number[] = [];
    const decodeWithCode: number[] = [];
    let unread = 0;
    for (const pass of passes) {
      writeQrY4m(passVideo, pass.text, { width, height });
      await page.reload();
      await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
      await page.getByTestId('camera-button').click();
      try {
        await page.locator(`[data-testid="verdict-outcome"][data-outcome="${pass.outcome}"]`).waitFor({ state: 'visible', timeout: 10_000 });
      } catch {
        unread++;
        continue;
      }
      const data = await panel(page);
      openMs.push(Number(data['openMs']));
      readMs.push(Number(data['runMs']));
      framesToCode.push(Number(data['frames']));
      decodeWithCode.push(Number(data['decodeMeanMs']));
    }

    // No code in view: decode rate and the page's frames, decoding in the worker / on the page.
    page = await open(blankVideo);
    const looking: Record<string, { frames: number; runMs: number; meanMs: number; maxMs: number; gaps: number[]; longTasks: number[] }> = {};
    for (const place of ['worker', 'page'] as const) {
      if (place === 'page') {
        page = await open(blankVideo);
        await page.route('**/camera-worker.js', (route) => route.abort());
      }
      await page.getByTestId('camera-button').click();
      await page.locator('[data-testid="camera-panel"][data-state="running"]').waitFor({ state: 'visible' });
      const watched = await watchFrames(page, seconds * 1000);
      await page.getByTestId('camera-stop').click();
      await page.locator('[data-testid="camera-panel"][data-state="off"]').waitFor({ state: 'hidden' });
      const data = await panel(page);
      if (data['decoder'] !== place) throw new Error(`expected decoding in the ${place}, the page says ${String(data['decoder'])}`);
      looking[place] = { frames: Number(data['frames']), runMs: Number(data['runMs']), meanMs: Number(data['decodeMeanMs']), maxMs: Number(data['decodeMaxMs']), ...watched };
    }

    const open_ = summarise(openMs);
    const read = summarise(readMs);
    console.log(`camera ${width}×${height} (decoded at up to 960 px a side), pass QR ${modules} modules, ${runs} passes (${unread} not read within 10 s), ${seconds} s looking per mode`);
    printTable([
      ['', 'p50', 'p99', 'max'],
      ['camera open ms', open_.p50, open_.p99, open_.max],
      ['open to code read ms', read.p50, read.p99, read.max],
    ]);
    const rows: (string | number)[][] = [['no code in view', 'frames/s', 'decode mean ms', 'decode max ms', 'rAF gap p99 ms', 'rAF gap max ms', 'long tasks']];
    for (const [place, row] of Object.entries(looking)) {
      const gaps = summarise(row.gaps);
      rows.push([`decoding in ${place}`, (row.frames * 1000) / Math.max(1, row.runMs), row.meanMs, row.maxMs, gaps.p99, gaps.max, row.longTasks.length]);
    }
    printTable(rows);
    const worker = looking['worker'];
    const onPage = looking['page'];
    printFigures({
      camera_passes_read: runs - unread,
      camera_passes_unread: unread,
      camera_open_p50_ms: Math.round(open_.p50),
      camera_code_read_p50_ms: Math.round(read.p50),
      camera_code_read_p99_ms: Math.round(read.p99),
      camera_frames_to_code_mean: Number(summarise(framesToCode).mean.toFixed(2)),
      camera_frames_to_code_max: summarise(framesToCode).max,
      camera_decode_with_code_mean_ms: Number(summarise(decodeWithCode).mean.toFixed(2)),
      camera_worker_decode_no_code_mean_ms: worker?.meanMs ?? 0,
      camera_worker_frames_per_s: worker === undefined ? 0 : Number(((worker.frames * 1000) / worker.runMs).toFixed(2)),
      camera_page_decode_no_code_mean_ms: onPage?.meanMs ?? 0,
      raf_gap_p99_ms_worker: Number(summarise(worker?.gaps ?? [0]).p99.toFixed(2)),
      raf_gap_p99_ms_page: Number(summarise(onPage?.gaps ?? [0]).p99.toFixed(2)),
      long_tasks_worker: worker?.longTasks.length ?? 0,
      long_tasks_page: onPage?.longTasks.length ?? 0,
      ...scaleFigures,
    });
  } finally {
    await context?.close();
    await stopKiosk(kiosk);
    rmSync(work, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
