// Scanners end to end in real Chromium: the kiosk runs in-process on the web shell with the
// device manager attached (a serial scanner on a socat pty with the real serialport binding, a
// HID POS scanner as a fake device speaking its reports), and the page is driven with synthetic
// key events for the keyboard wedge. The renderer is built into a private folder so this file
// never races the other end-to-end file over dist/.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { pino } from 'pino';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKioskCore, type OpenedKiosk } from '../../src/main/core/open-kiosk-core.js';
import { issueDemoPass } from '../../src/main/demo/demo-authority.js';
import { attachHardware, type KioskHardware } from '../../src/main/devices/kiosk-hardware.js';
import { startWebShell, type WebShell } from '../../src/main/web/web-shell.js';
import { FakeHidDriver, FakeHidScanner, fakeHidInfo } from '../../hardware/hid-pos/fake-hid-pos.js';
import { loadProfiles } from '../../hardware/profiles/device-profiles.js';
import { serialPortDriver } from '../../hardware/serial/drivers/serialport-driver.js';
import { encodeSerialFrame } from '../../hardware/serial/serial-framer.js';
import { startPtyPair, type PtyPair } from '../../hardware/sim/socat-pty.js';
import { waitFor } from '../../hardware/testing/wait-for.js';
import type { DeviceChannel } from '../../hardware/types.js';
import { typeAsScanner } from './scanner-keys.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const CHROMIUM = process.env['PCCOVID_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function fail(): never {
  throw new Error('the HID scanner of the previous test is missing');
}

async function buildRenderer(into: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'src/renderer/main.ts')],
    outfile: join(into, 'renderer.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    logLevel: 'warning',
  });
  cpSync(join(ROOT, 'src/renderer/static'), into, { recursive: true });
}

// Generous per-test time: a loaded 2-core machine runs Chromium slowly; nothing here is timed.
describe('scanners in Chromium through the web shell', { timeout: 120_000 }, () => {
  const { profiles } = loadProfiles();
  const honeywell = profiles.find((profile) => profile.id === 'honeywell')?.hidPos ?? null;
  let folder: string;
  let kiosk: OpenedKiosk;
  let hardware: KioskHardware;
  let shell: WebShell;
  let context: BrowserContext | undefined;
  let page: Page;
  let pair: PtyPair | undefined;
  let scannerEnd: DeviceChannel | undefined;
  let devicePath: string;
  let kioskPath: string;
  const hid = new FakeHidDriver();
  let hidScanner: FakeHidScanner | undefined;

  async function plugSerialScanner(): Promise<DeviceChannel> {
    pair = await startPtyPair(devicePath, kioskPath);
    scannerEnd = await serialPortDriver.open(devicePath, { baudRate: 9600 });
    return scannerEnd;
  }

  function pass(name = 'Nguyễn Văn An'): string {
    return issueDemoPass(kiosk.demoAuthority, { nowMs: Date.now(), name });
  }

  function checkinCount(): number {
    return hardware.core.recentCheckins(200).length;
  }

  async function waitForOutcome(outcome: 'admit' | 'deny' | 'review'): Promise<void> {
    await page.getByTestId('verdict-outcome').and(page.locator(`[data-outcome="${outcome}"]`)).waitFor({ state: 'visible' });
  }

  async function waitForIdle(): Promise<void> {
    await page.getByTestId('idle-screen').waitFor({ state: 'visible' });
  }

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'pccovid-scanners-e2e-'));
    const rendererDir = join(folder, 'renderer');
    await buildRenderer(rendererDir);
    mkdirSync(SCREENSHOTS, { recursive: true });
    devicePath = join(folder, 'scanner-end');
    kioskPath = join(folder, 'kiosk-end');
    await plugSerialScanner();

    kiosk = openKioskCore({ dataDir: join(folder, 'data') });
    hardware = attachHardware(kiosk, {
      logger: pino({ level: 'silent' }),
      hid,
      serial: serialPortDriver,
      profiles,
      serialPorts: [{ path: kioskPath, baudRate: 9600, framing: 'auto' }],
      pollIntervalMs: 100,
      retryDelayMs: 100,
    });
    shell = await startWebShell({ core: hardware.core, logger: pino({ level: 'silent' }), rendererDir });
    context = await chromium.launchPersistentContext(join(folder, 'chromium'), {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(shell.url);
    await waitForIdle();
    await waitFor(() => hardware.core.devices().some((device) => device.path === kioskPath && device.connected), 'the serial scanner to connect');
  });

  afterAll(async () => {
    await context?.close();
    await shell?.close();
    await hardware?.stop();
    kiosk?.close();
    await scannerEnd?.close();
    await pair?.stop('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows the verdict of a pass read by a serial scanner (pushed from main)', async () => {
    await scannerEnd?.write(encodeSerialFrame('crlf', pass()));
    await waitForOutcome('admit');
    expect(await page.getByTestId('verdict-holder').isVisible()).toBe(true);
    expect(hardware.core.recentCheckins(1)[0]?.source).toBe('serial');
    await page.screenshot({ path: join(SCREENSHOTS, 'serial-admit.png') });
  });

  it('shows the verdict of a HID POS scan spanning several reports', async () => {
    if (honeywell === null) throw new Error('no Honeywell layout');
    const scanner = hid.plug(new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw9', vendorId: 0x0c2e, productId: 0x0b07, serialNumber: 'E2E' }), honeywell));
    hidScanner = scanner;
    await waitFor(() => scanner.channel !== null, 'the HID scanner to be opened');
    await waitForIdle();
    const before = checkinCount();
    scanner.scan(pass('Trần Thị Bích Ngọc'));
    await waitForOutcome('admit');
    expect(checkinCount()).toBe(before + 1);
    expect(hardware.core.recentCheckins(1)[0]?.source).toBe('hid-pos');
  });

  it('carries Vietnamese split across HID reports intact to the kiosk', async () => {
    await waitForIdle();
    // A citizen ID card QR holds the name in UTF-8; "Ễ" straddles the first report boundary.
    const cccd = `079190012345|025123456|${'N'.repeat(29)}GUYỄN THỊ ÁNH TUYẾT|15081990|Nữ|Số 12 Lê Lợi, Bến Thành, Quận 1|01022021`;
    expect(Buffer.from(cccd).indexOf(Buffer.from('Ễ'))).toBe(55);
    const scanner = hidScanner ?? fail();
    expect(scanner.scan(cccd)).toBe(true);
    await page.getByTestId('verdict-screen').waitFor({ state: 'visible' });
    const view = hardware.core.devices().find((device) => device.id === 'hid-pos:0x0C2E:0x0B07:E2E');
    expect(view?.lastScan?.text).toBe(cccd);
    expect(hardware.core.recentCheckins(1)[0]?.source).toBe('hid-pos');
  });

  it('tells staff when the serial scanner is unplugged, and reconnects it when it is back', async () => {
    await waitForIdle();
    await pair?.stop('SIGKILL');
    scannerEnd = undefined;
    const banner = page.getByTestId('error-banner');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.textContent()).toContain('Máy quét chưa kết nối');
    await page.screenshot({ path: join(SCREENSHOTS, 'scanner-missing.png') });

    const scanner = await plugSerialScanner();
    await banner.waitFor({ state: 'hidden' });
    await scanner.write(encodeSerialFrame('stx-etx', pass('Lê Văn Hùng')));
    await waitForOutcome('admit');
  });

  it('does not take a held-down key (auto-repeat) for a scanner', async () => {
    await waitForIdle();
    const before = checkinCount();
    await page.keyboard.down('a');
    for (let i = 0; i < 15; i++) await page.keyboard.down('a');
    await page.keyboard.up('a');
    await page.keyboard.press('Enter');
    // A real scan right after is logged: had the held key been a scan, it would be too.
    await typeAsScanner(page, pass());
    await waitForOutcome('admit');
    expect(checkinCount()).toBe(before + 1);
  });

  it('does not take a quick key roll of a few letters for a scanner', async () => {
    await waitForIdle();
    const before = checkinCount();
    await page.keyboard.type('ok', { delay: 5 });
    await page.keyboard.press('Enter');
    await typeAsScanner(page, pass());
    await waitForOutcome('admit');
    expect(checkinCount()).toBe(before + 1);
  });

  it('reads a wedge scan with an AIM prefix and a Tab suffix, and shows it to the technician', async () => {
    await waitForIdle();
    const text = pass();
    await typeAsScanner(page, `]Q1${text}`, 'Tab');
    await waitForOutcome('admit');
    const window = hardware.core.devices().find((device) => device.id === 'keyboard:window');
    expect(window?.lastScan).toMatchObject({ symbology: ']Q1', text, frame: 'keys' });
  });

  it('does not take a person typing slowly for a scanner', async () => {
    await waitForIdle();
    const before = checkinCount();
    await page.keyboard.type('PC1:HANDTYPED', { delay: 250 });
    await page.keyboard.press('Enter');
    await typeAsScanner(page, pass());
    await waitForOutcome('admit');
    expect(checkinCount()).toBe(before + 1);
  });
});
