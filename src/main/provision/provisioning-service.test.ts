// The provisioning service without a hub: what it does with a damaged record, actions at the
// wrong step, and the factory reset's token (one use, two minutes).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openKioskCore } from '../core/open-kiosk-core.js';
import { getSetting } from '../store/queries/settings.js';
import { PROVISION_FILE } from './provision-record.js';

const root = mkdtempSync(join(tmpdir(), 'pccovid-provision-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = (): string => join(root, `kiosk-${++counter}`);

describe('provisioning service', () => {
  it('starts unprovisioned, saying why, when its record is damaged', async () => {
    const dir = freshDir();
    const first = openKioskCore({ dataDir: dir });
    await first.shutdown();
    writeFileSync(join(dir, PROVISION_FILE), '{"v":1,"step":"ready"');
    const kiosk = openKioskCore({ dataDir: dir, allowDemo: false });
    try {
      expect(kiosk.provisioning.state()).toMatchObject({ step: 'unprovisioned', error: { code: 'internal_error', message: expect.stringMatching(/damaged.*factory-reset/) } });
      expect(kiosk.info()).toMatchObject({ provisioning: 'unprovisioned', demo: false });
    } finally {
      await kiosk.shutdown();
    }
  });

  it('refuses actions at the wrong step without changing anything', async () => {
    const kiosk = openKioskCore({ dataDir: freshDir() });
    try {
      expect(kiosk.provisioning.confirmFingerprint({ answer: 'match' })).toMatchObject({ step: 'unprovisioned', error: { code: 'wrong_step' } });
      expect(kiosk.provisioning.sync()).toMatchObject({ step: 'unprovisioned', error: { code: 'wrong_step' } });
      expect(kiosk.provisioning.finish({ skipScanners: true })).toMatchObject({ step: 'unprovisioned', error: { code: 'wrong_step' } });
      expect(kiosk.provisioning.enrol({ text: '{"v":1,"hub":"x"}' })).toMatchObject({ step: 'unprovisioned', busy: false, error: { code: 'ticket_unreadable' } });
      await expect(kiosk.provisioning.rotateKey()).rejects.toThrow(/Only a provisioned kiosk/);
      // An unprovisioned kiosk with the demo allowed still decides (and says "demo").
      expect(kiosk.info()).toMatchObject({ demo: true, provisioning: 'unprovisioned' });
    } finally {
      await kiosk.shutdown();
    }
  });

  it('a reset token is good once and for two minutes', async () => {
    let now = Date.parse('2026-11-27T10:00:00Z');
    const kiosk = openKioskCore({ dataDir: freshDir(), now: () => now });
    try {
      const pin = String(getSetting(kiosk.db, 'console_pin'));
      const stale = kiosk.provisioning.resetPrepare();
      now += 121_000;
      expect(kiosk.provisioning.factoryReset({ pin, token: stale.token })).toMatchObject({ result: 'refused', code: 'bad_token' });
      const fresh = kiosk.provisioning.resetPrepare();
      const replaced = kiosk.provisioning.resetPrepare();
      expect(kiosk.provisioning.factoryReset({ pin, token: fresh.token })).toMatchObject({ result: 'refused', code: 'bad_token' });
      expect(kiosk.provisioning.factoryReset({ pin, token: replaced.token })).toMatchObject({ result: 'refused', code: 'bad_token' });
      const last = kiosk.provisioning.resetPrepare();
      expect(kiosk.provisioning.factoryReset({ pin, token: last.token })).toMatchObject({ result: 'wiped' });
    } finally {
      await kiosk.shutdown();
    }
  });
});
