// End to end: the camera fallback in Debian's Chromium through the web shell. Chromium plays a
// Y4M file as its camera (--use-fake-device-for-media-stream, --use-file-for-fake-video-capture):
// a demo pass drawn as a QR code at test time. Pressing "use the camera" reads it, logs a
// check-in from the camera and shows the verdict; a camera with no code shows the preview and
// gives the camera back when stopped; a refused permission and a missing camera each say what
// to do. Each browser is launched with its own camera, so each case has its own context.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The test reads the check-in's source back from the kiosk's own log.
// eslint-disable-next-line pccovid/layering -- audit of the kiosk's own database
import Database from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeNoCodeY4m, writeQrY4m } from './fake-camera.js';
import {
  issuePass,
  openPage,
  type RunningKiosk,
  SCREENSHOTS,
  screenTestDataDir,
  seriousViolations,
  startKiosk,
  stopKiosk,
  waitForOutcome,
  writeSettings,
} from './kiosk-harness.js';

const FAKE_CAMERA = '--use-fake-device-for-media-stream';

/** Whether the preview still holds a live camera track (false once the camera is given back). */
async function cameraLive(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const video = document.getElementById('camera-video');
    if (!(video instanceof HTMLVideoElement) || !(video.srcObject instanceof MediaStream)) return false;
    return video.srcObject.getTracks().some((track) => track.readyState === 'live');
  });
}

async function panelData(page: Page): Promise<Record<string, string>> {
  return page.getByTestId('camera-panel').evaluate((panel) => ({ ...(panel as HTMLElement).dataset }) as Record<string, string>);
}

/** Waits for the camera to look; if it does not, fails with what the screen says instead. */
async function waitForCameraRunning(page: Page): Promise<void> {
  try {
    await page.locator('[data-testid="camera-panel"][data-state="running"]').waitFor({ state: 'visible', timeout: 15_000 });
  } catch (error) {
    const problem = await page.getByTestId('camera-message').getAttribute('data-problem');
    throw new Error(`the camera did not start: problem ${String(problem)}, panel ${JSON.stringify(await panelData(page))}`, { cause: error });
  }
}

describe('camera fallback in Chromium', { timeout: 120_000 }, () => {
  let kiosk: RunningKiosk | undefined;
  let context: BrowserContext | undefined;
  let dataDir: string;
  let work: string;
  let green: string;
  const profiles: string[] = [];

  beforeAll(async () => {
    dataDir = screenTestDataDir('camera-kiosk');
    work = mkdtempSync(join(tmpdir(), 'pccovid-camera-files-'));
    green = issuePass(dataDir, 'green');
    writeSettings(dataDir, 'venue');
    kiosk = await startKiosk(dataDir);
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    await stopKiosk(kiosk);
    for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(args: string[]): Promise<Page> {
    if (kiosk === undefined) throw new Error('the kiosk did not start');
    const profile = mkdtempSync(join(tmpdir(), 'pccovid-camera-chromium-'));
    profiles.push(profile);
    const opened = await openPage(profile, kiosk.url, { args });
    context = opened.context;
    return opened.page;
  }

  function cameraSources(): { source: string; outcome: string }[] {
    const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT source, outcome FROM checkins WHERE source = 'camera' ORDER BY at").all() as { source: string; outcome: string }[];
    } finally {
      db.close();
    }
  }

  it('reads a pass shown to the camera: admit, logged with source camera, decoded in the worker, camera given back', async () => {
    const video = join(work, 'green-pass.y4m');
    const modules = writeQrY4m(video, green);
    expect(modules).toBeGreaterThan(21);
    const page = await open(['--use-fake-ui-for-media-stream', FAKE_CAMERA, `--use-file-for-fake-video-capture=${video}`]);
    await page.getByTestId('camera-button').click();
    await waitForOutcome(page, 'admit');
    expect(cameraSources()).toEqual([{ source: 'camera', outcome: 'admit' }]);
    const data = await panelData(page);
    expect(data['state']).toBe('off');
    expect(data['decoder']).toBe('worker');
    expect(Number(data['frames'])).toBeGreaterThanOrEqual(1);
    expect(await cameraLive(page)).toBe(false);
    expect(await page.getByTestId('camera-panel').isVisible()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'camera-admit.png') });
  });

  it('still reads the pass when the decoding worker cannot load (decoded on the page)', async () => {
    const video = join(work, 'green-pass.y4m');
    const page = await open(['--use-fake-ui-for-media-stream', FAKE_CAMERA, `--use-file-for-fake-video-capture=${video}`]);
    await page.route('**/camera-worker.js', (route) => route.abort());
    await page.getByTestId('camera-button').click();
    await waitForOutcome(page, 'admit');
    expect((await panelData(page))['decoder']).toBe('page');
    expect(cameraSources()).toHaveLength(2);
  });

  it('shows the preview while it looks, in both languages, and gives the camera back when stopped', async () => {
    const video = join(work, 'no-code.y4m');
    writeNoCodeY4m(video);
    const page = await open(['--use-fake-ui-for-media-stream', FAKE_CAMERA, `--use-file-for-fake-video-capture=${video}`]);
    await page.getByTestId('camera-button').click();
    await waitForCameraRunning(page);
    expect(await page.getByTestId('camera-status').textContent()).toBe('Đưa mã QR vào trước camera, giữ yên.');
    expect(await page.getByTestId('camera-button').isVisible()).toBe(false);
    // Everything fits under the top bar: the venue's name is not covered by it.
    const venueTop = await page.getByTestId('venue-name').evaluate((el) => el.getBoundingClientRect().top);
    const barBottom = await page.locator('.topbar').evaluate((el) => el.getBoundingClientRect().bottom);
    expect(venueTop).toBeGreaterThanOrEqual(barBottom);
    expect(await cameraLive(page)).toBe(true);
    // The preview plays: frames are decoded, one at a time at least 120 ms apart, nothing read.
    const before = Number((await panelData(page))['frames']);
    await page.waitForTimeout(1000);
    const decoded = Number((await panelData(page))['frames']) - before;
    expect(decoded).toBeGreaterThanOrEqual(1);
    expect(decoded).toBeLessThanOrEqual(Math.ceil(1000 / 120) + 1);
    expect(await page.getByTestId('idle-screen').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'camera-preview.png') });
    await page.getByTestId('locale-button').click();
    expect(await page.getByTestId('camera-stop').textContent()).toBe('Stop the camera');
    await page.getByTestId('camera-stop').click();
    await page.locator('[data-testid="camera-panel"][data-state="off"]').waitFor({ state: 'hidden' });
    expect(await cameraLive(page)).toBe(false);
    expect(await page.getByTestId('camera-message').isVisible()).toBe(false);
    expect(await page.getByTestId('camera-button').isVisible()).toBe(true);
    // Opening the technician console over the door screen stops the camera too.
    await page.getByTestId('camera-button').click();
    await waitForCameraRunning(page);
    await page.getByTestId('console-button').click();
    await page.locator('[data-testid="camera-panel"][data-state="off"]').waitFor({ state: 'hidden' });
    expect(await cameraLive(page)).toBe(false);
    await page.getByTestId('console-close').click();
  });

  it('says what to do when the camera permission is refused', async () => {
    const page = await open(['--deny-permission-prompts', FAKE_CAMERA]);
    await page.getByTestId('camera-button').click();
    const message = page.locator('[data-testid="camera-message"][data-problem="cameraDenied"]');
    await message.waitFor({ state: 'visible' });
    expect(await message.textContent()).toContain('Máy chưa được phép dùng camera. Hãy dùng đầu đọc mã');
    expect(await message.textContent()).toContain('The kiosk is not allowed to use the camera. Use the scanner');
    expect(await page.getByTestId('camera-panel').isVisible()).toBe(false);
    expect(await page.getByTestId('camera-button').isEnabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'camera-denied.png') });
  });

  it('says what to do when there is no camera', async () => {
    const page = await open(['--use-fake-ui-for-media-stream', `${FAKE_CAMERA}=device-count=0`]);
    await page.getByTestId('camera-button').click();
    const message = page.locator('[data-testid="camera-message"][data-problem="cameraMissing"]');
    await message.waitFor({ state: 'visible' });
    expect(await message.textContent()).toContain('No camera found. Use the scanner; staff: check the camera cable.');
    expect(await page.getByTestId('camera-panel').isVisible()).toBe(false);
  });
});
