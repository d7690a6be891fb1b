// The fleet's update settings travel from the operator (pccovid-hub updates) through the hub's
// device configuration to each provisioned kiosk's update.json, which the Electron updater reads.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/common/cli/cli-io.js';
import { runHubCli } from '../../src/hub/cli/main.js';
import { openKioskCore } from '../../src/main/core/open-kiosk-core.js';
import { parseUpdateSettings } from '../../src/main/electron/update-settings.js';
import { tempRoot } from '../sync/harness.js';
import { eventually, FAST_SYNC, hubCli, kioskCli, startOperatorHub } from './harness.js';

const root = tempRoot('fleet-updates');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const URL = 'https://updates.example.gov.vn/pccovid-kiosk/';

describe('fleet update settings', () => {
  it('reach a kiosk at provisioning as update.json, and leave it when the operator clears them', async () => {
    const operator = await startOperatorHub(root);
    const kioskDir = join(root, 'kiosk');
    try {
      const [set] = await hubCli('updates', '--data-dir', operator.hubDir, '--url', URL, '--night-window', '02:00-04:30', '--min-idle-minutes', '15');
      expect(set).toEqual({ updates: { url: URL, nightWindow: { start: '02:00', end: '04:30' }, minIdleMinutes: 15 } });

      const provisioned = await kioskCli('provision', '--enrol', await operator.ticket('HN-01'), '--data-dir', kioskDir, '--yes', '--skip-scanner-test');
      expect(provisioned.code).toBe(0);
      const path = join(kioskDir, 'update.json');
      const read = parseUpdateSettings(readFileSync(path, 'utf8'), path);
      expect(read).toMatchObject({ kind: 'ok', settings: { url: URL, policy: { window: { startMinute: 120, endMinute: 270 }, minIdleMs: 15 * 60_000 } } });

      // Damaged settings at the hub: the kiosks still get their configuration (the clock is
      // checked again) and keep the update.json they have.
      operator.db.prepare("UPDATE fleet_settings SET value = '{damaged'").run();
      const kiosk = openKioskCore({ dataDir: kioskDir, backgroundSync: true, syncTuning: FAST_SYNC, allowDemo: false });
      try {
        const checkedBefore = kiosk.provisioning.state().clock.checkedAt ?? 0;
        await eventually(() => (kiosk.health().hubClock?.checkedAt ?? 0) > checkedBefore, 'a configuration check with damaged settings');
        expect(existsSync(path)).toBe(true);

        // Cleared at the hub: the next configuration check (background sync) removes the file.
        await hubCli('updates', '--data-dir', operator.hubDir, '--clear');
        await eventually(() => !existsSync(path), 'update.json to be removed');
      } finally {
        await kiosk.shutdown();
      }
    } finally {
      await operator.stop();
    }
  }, 60_000);

  it.each([
    [['--url', 'http://updates.example.gov.vn/'], 65, /https/u],
    [['--url', URL, '--night-window', '03:00-03:00'], 65, /same time/u],
    [['--url', URL, '--night-window', '3am-5am'], 65, /24-hour time/u],
    [['--night-window', '01:00-05:00'], 64, /needs --url/u],
    [['--url', URL, '--clear'], 64, /--clear alone/u],
    [['--url', URL, '--min-idle-minutes', '0'], 64, /above 0/u],
  ])('refuses %j with a sentence and changes nothing', async (args, exit, message) => {
    const hubDir = join(root, `hub-${String(exit)}-${args.join('').replace(/\W/gu, '')}`);
    const io = captureIo();
    expect(await runHubCli(['updates', '--data-dir', hubDir, ...args], io)).toBe(exit);
    expect(io.stderr).toMatch(message);
    const [after] = await hubCli('updates', '--data-dir', hubDir);
    expect(after).toEqual({ updates: null });
  });
});
