// The technician's wizard end to end, in Debian's Chromium through the web shell, against a
// real hub on loopback: a fresh kiosk started as a packaged one would be (--no-demo) opens the
// wizard by itself; the enrolment ticket is read by the keyboard-wedge scanner; the technician
// types the first digits of the fingerprint and confirms; the kiosk takes its venue and first
// sync from the hub; a test scan passes the self-test; the door screen then runs with the hub's
// venue and admits a pass issued by the hub, whose check-in reaches the hub. Then a used ticket
// is refused with its fix, and the console's factory reset (PIN again) wipes the kiosk back to
// the wizard. A serial reader on a socat pty (the real serialport binding) is plugged in from the
// start: the self-test lists it as waiting until it has read, apart from the keyboard scanner.
// Each screen is checked with axe and kept as a screenshot.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
// eslint-disable-next-line pccovid/layering -- the test reads the kiosk's PIN from its own settings
import Database from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubNonces, tempRoot } from '../sync/harness.js';
import { hubCli, startOperatorHub, type OperatorHub } from '../provision/harness.js';
import { consolePin, ensureBuilt, openPage, ROOT, SCREENSHOTS, seriousViolations, startKiosk, stopKiosk, waitForOutcome, type RunningKiosk } from './kiosk-harness.js';
import { typeAsScanner } from './scanner-keys.js';
import { serialPortDriver } from '../../hardware/serial/drivers/serialport-driver.js';
import { encodeSerialFrame } from '../../hardware/serial/serial-framer.js';
import { startPtyPair, type PtyPair } from '../../hardware/sim/socat-pty.js';
import type { DeviceChannel } from '../../hardware/types.js';

const run = promisify(execFile);
const CLI = join(ROOT, 'bin', 'pccovid-kiosk.js');
const PERSON = 'VN-ID:079190004321';

async function step(page: Page, name: string): Promise<void> {
  await page.locator(`[data-testid="provision-screen"][data-step="${name}"][data-busy="false"]`).waitFor({ state: 'visible', timeout: 30_000 });
}

describe('provisioning wizard in Chromium against a real hub', { timeout: 180_000 }, () => {
  let operator: OperatorHub;
  let kiosk: RunningKiosk | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let root: string;
  let dataDir: string;
  let ticket: string;
  let pair: PtyPair | undefined;
  let serialScanner: DeviceChannel | undefined;

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    root = tempRoot('wizard-e2e');
    dataDir = join(root, 'kiosk');
    operator = await startOperatorHub(root);
    // The hub's status for one person, sealed to enrolled devices at publication time (below).
    await hubCli('status', 'record', '--data-dir', operator.hubDir, '--id', PERSON, '--event', 'vaccination', '--date', '2021-09-01', '--name', 'Lê Văn Tám', '--dob', '1985-02-03');
    await hubCli('status', 'record', '--data-dir', operator.hubDir, '--id', PERSON, '--event', 'vaccination', '--date', '2021-10-01');
    ticket = await operator.ticket('HN-01');
    // The lane's serial reader: the kiosk opens its end of the pty by path, as a configured port.
    const kioskTty = join(root, 'kiosk-tty');
    pair = await startPtyPair(join(root, 'scanner-tty'), kioskTty);
    serialScanner = await serialPortDriver.open(join(root, 'scanner-tty'), { baudRate: 9600 });
    kiosk = await startKiosk(dataDir, ['--no-demo', '--serial', `${kioskTty}@9600`]);
    ({ context, page } = await openPage(join(root, 'chromium'), kiosk.url));
  });

  afterAll(async () => {
    await context?.close();
    await stopKiosk(kiosk);
    await serialScanner?.close();
    await pair?.stop('SIGKILL');
    await operator.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('opens by itself on a kiosk that is not provisioned, with no way to close it', async () => {
    await step(page, 'unprovisioned');
    expect(await page.getByTestId('provision-close').isVisible()).toBe(false);
    expect(await page.getByTestId('demo-badge').isVisible()).toBe(false);
    expect(await page.locator('.provision-steps li[aria-current="step"]').textContent()).toBe('Quét mã QR đăng ký thiết bị');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'provision-ticket.png') });
    // The language button stays in reach above the wizard.
    await page.getByTestId('locale-button').click();
    expect(await page.getByTestId('provision-step-title').textContent()).toBe('Scan the enrolment QR code');
    await page.getByTestId('locale-button').click();
  });

  it('reads the ticket from the scanner, enrols, and shows the root key fingerprint to compare', async () => {
    await typeAsScanner(page, ticket);
    await step(page, 'awaiting_fingerprint');
    expect(await page.getByTestId('provision-fingerprint').textContent()).toBe(operator.rootFingerprint);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'provision-fingerprint.png') });
  });

  it('refuses first digits that are not the fingerprint, then goes on with the right ones', async () => {
    const digits = operator.rootFingerprint.replace(/\s/g, '');
    const wrong = `${digits[0] === '0' ? '1' : '0'}${digits.slice(1, 8)}`;
    await page.getByTestId('provision-fingerprint-input').fill(wrong);
    await page.getByTestId('provision-match').click();
    await page.locator('[data-testid="provision-error"][data-code="fingerprint_mismatch"]').waitFor({ state: 'visible' });
    // The typed digits were wrong, not the hub: the technician may type them again.
    await step(page, 'awaiting_fingerprint');
    await page.getByTestId('provision-fingerprint-input').fill(digits.slice(0, 8));
    await page.getByTestId('provision-match').click();
    // Configuration and the first sync run on their own; the self-test waits for a scan.
    await step(page, 'self_test');
    expect(await page.getByTestId('provision-finish').isDisabled()).toBe(true);
  });

  it('passes the scanner self-test with a test scan, then is ready at the hub venue', async () => {
    const scanners = page.getByTestId('provision-scanners');
    // The serial reader plugged in is listed as waiting before it has read anything.
    const serialLine = scanners.locator('li', { hasText: '(serial)' });
    await serialLine.and(page.locator('[data-passed="false"]')).waitFor({ state: 'visible', timeout: 15_000 });
    await typeAsScanner(page, 'TEST-SCAN-123');
    await scanners.locator('li[data-scanner="keyboard-wedge"][data-passed="true"]').waitFor({ state: 'visible' });
    // The keyboard scanner passing does not pass the serial reader: it still waits, on its own line.
    expect(await serialLine.getAttribute('data-passed')).toBe('false');
    await serialScanner?.write(encodeSerialFrame('crlf', 'SERIAL-TEST-7'));
    await serialLine.and(page.locator('[data-passed="true"]')).waitFor({ state: 'visible', timeout: 15_000 });
    expect(await serialLine.textContent()).toContain('“SERIAL-TEST-7”');
    expect(await scanners.locator('li').count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'provision-self-test.png') });
    // Status data sealed to the enrolled device (it was not enrolled at the first sync): the
    // background sync that starts when the kiosk is ready fetches it.
    await hubCli('publish-epoch-keys', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--epoch', '1');
    await hubCli('publish-status', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--epoch', '1');
    await page.getByTestId('provision-finish').click();
    await step(page, 'ready');
    expect(await page.locator('[data-fact="venue"]').textContent()).toBe('Nội Bài T2');
    expect(await page.locator('[data-fact="mode"]').textContent()).toBe('Cửa vào địa điểm');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'provision-ready.png') });
  });

  it('then the door screen runs with the hub venue and admits a hub-issued pass whose check-in reaches the hub', async () => {
    await page.getByTestId('provision-open-kiosk').click();
    await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
    await page.getByTestId('idle-screen').waitFor({ state: 'visible' });
    expect(await page.getByTestId('provision-screen').isVisible()).toBe(false);
    expect(await page.getByTestId('venue-name').textContent()).toBe('Nội Bài T2');
    expect(await page.getByTestId('demo-badge').isVisible()).toBe(false);
    const [issued] = await hubCli('pass', 'issue', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--id', PERSON);
    // Scan until the status data has arrived (the kiosk's download loop runs on its own clock).
    const deadline = Date.now() + 90_000;
    for (;;) {
      await typeAsScanner(page, String(issued?.['pass']));
      await page.getByTestId('verdict-outcome').waitFor({ state: 'visible' });
      const outcome = await page.getByTestId('verdict-outcome').getAttribute('data-outcome');
      if (outcome === 'admit' || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    await waitForOutcome(page, 'admit');
    // Upload now rather than wait for the background loop's batch: the CLI syncs with the provisioned hub.
    await run(process.execPath, [CLI, 'sync', '--data-dir', dataDir], { cwd: ROOT });
    expect(hubNonces(operator.db).length).toBeGreaterThanOrEqual(1);
    const venues = operator.db.prepare('SELECT DISTINCT venue FROM checkins').pluck().all();
    expect(venues).toEqual(['HN-01']);
  });

  it('factory reset from the console needs the PIN again, wipes the kiosk and brings the wizard back', async () => {
    const pin = consolePin(dataDir);
    await page.getByTestId('console-button').click();
    await page.getByTestId('console-pin-input').fill(pin);
    await page.getByTestId('console-pin-input').press('Enter');
    await page.getByTestId('console-body').waitFor({ state: 'visible' });
    // The status data the hub published reached the kiosk: the console shows its age in hours.
    const deadline = Date.now() + 30_000;
    while (!/^\d+$/u.test((await page.locator('[data-fact="consoleDataAge"]').textContent()) ?? '') && Date.now() < deadline) {
      await page.getByTestId('console-close').click();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await page.getByTestId('console-button').click();
      await page.getByTestId('console-pin-input').fill(pin);
      await page.getByTestId('console-pin-input').press('Enter');
      await page.getByTestId('console-body').waitFor({ state: 'visible' });
    }
    expect(await page.locator('[data-fact="consoleDataAge"]').textContent()).toMatch(/^\d+$/u);
    // Each installed bundle with its age in hours: the key list and the policy at least.
    expect(await page.locator('[data-bundle="key-list"]').first().textContent()).toMatch(/^\d+/u);
    expect(await page.locator('[data-bundle="policy"]').first().textContent()).toMatch(/^\d+/u);
    // Check-ins' identities are sealed to the health authority's key from the hub's key list.
    expect(await page.locator('[data-fact="consoleSealing"]').textContent()).toMatch(/^Khóa cơ quan y tế [0-9a-f]{16}$/u);
    // A provisioned kiosk does not offer the wizard in the console.
    expect(await page.getByTestId('console-provision').isVisible()).toBe(false);
    await page.getByTestId('console-reset').click();
    await page.getByTestId('console-reset-confirm').waitFor({ state: 'visible' });
    expect(await page.getByTestId('console-reset-warning').textContent()).toMatch(/\d+ lượt kiểm tra chưa gửi/u);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-reset.png') });
    await page.getByTestId('console-reset-pin').fill(pin === '000000' ? '111111' : '000000');
    await page.getByTestId('console-reset-go').click();
    await page.getByTestId('console-reset-message').and(page.getByText('Sai mã PIN.')).waitFor({ state: 'visible' });
    await page.getByTestId('console-reset-pin').fill(pin);
    await page.getByTestId('console-reset-go').click();
    // The page starts again, unprovisioned: the wizard, and no check-in log left on the kiosk.
    await step(page, 'unprovisioned');
    const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM checkins').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('a used ticket is refused with what to do, and the ticket can be scanned again', async () => {
    await typeAsScanner(page, ticket);
    await page.locator('[data-testid="provision-error"][data-code="token_used"]').waitFor({ state: 'visible' });
    expect(await page.locator('#provision-error-fix').textContent()).toBe('Mỗi mã chỉ đăng ký một máy. Xin người vận hành mã QR mới.');
    await step(page, 'unprovisioned');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'provision-token-used.png') });
  });
});
