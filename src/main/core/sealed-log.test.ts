import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncStatusSchema } from '../../common/ipc/contract.js';
import { handleIpcRequest } from '../ipc/handle-request.js';
import { moduleLogger } from '../log.js';
import { issueDemoPass } from '../demo/demo-authority.js';
import { FIXED_NOW_MS, scanOf } from '../pipeline/test-fixtures.js';
import { countCheckinsByPseudonym } from '../store/queries/checkins.js';
import { SUBJECT_SEAL_INFO } from '../sync/checkin-sealer.js';
import { DEVICE_KEY_FILE } from '../sync/device-key.js';
import { hpkeOpen, HPKE_ENC_LENGTH } from '../sync/hpke.js';
import { authoritySealingKeyFile } from '../../common/sync/sealed-subject.js';
import { openKioskCore } from './open-kiosk-core.js';

interface Row {
  id: string;
  device: string;
  sealed_subject: Buffer | null;
  seal_key_id: string | null;
  pseudonym: Buffer | null;
  monotonic_ms: number | null;
  boot_id: string | null;
}

function setup(): { dataDir: string; authorityDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'pccovid-sealed-'));
  return { dataDir: join(root, 'kiosk'), authorityDir: join(root, 'authority') };
}

describe('sealed check-in log', () => {
  it('seals the subject to the authority: only its private key, kept off the kiosk, opens it', () => {
    const { dataDir, authorityDir } = setup();
    const kiosk = openKioskCore({ dataDir, authorityKeyDir: authorityDir, now: () => FIXED_NOW_MS });
    const pass = issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS, subjectId: 'VN-ID:079190001234' });
    const view = kiosk.submitScan(scanOf(pass));
    const row = kiosk.db.prepare('SELECT * FROM checkins WHERE id = ?').get(view.checkinId) as Row;
    kiosk.close();

    expect(row.device).toBe(kiosk.deviceKey.deviceId);
    expect(row.boot_id).not.toBeNull();
    expect(row.monotonic_ms).toBeGreaterThan(0);
    expect(row.seal_key_id).toBe(kiosk.sealingKey?.keyId);
    const sealed = row.sealed_subject ?? Buffer.alloc(0);
    // The plaintext id appears nowhere in the database file.
    expect(readFileSync(join(dataDir, 'kiosk.db')).includes('079190001234')).toBe(false);

    const authorityKey = createPrivateKey(readFileSync(join(authorityDir, authoritySealingKeyFile(kiosk.sealingKey?.keyId ?? '')), 'utf8'));
    const open = (aad: string): Buffer =>
      hpkeOpen({
        recipientPrivateKey: authorityKey,
        enc: sealed.subarray(0, HPKE_ENC_LENGTH),
        ciphertext: sealed.subarray(HPKE_ENC_LENGTH),
        info: SUBJECT_SEAL_INFO,
        aad: Buffer.from(aad),
      });
    expect(JSON.parse(open(view.checkinId).toString('utf8'))).toEqual({ v: 1, subjectIds: ['VN-ID:079190001234'] });
    // Bound to its row: the same bytes under another row's nonce do not open.
    expect(() => open('01J00000000000000000000000')).toThrow();
  });

  it('keeps no key on the kiosk that opens its own log', () => {
    const { dataDir, authorityDir } = setup();
    openKioskCore({ dataDir, authorityKeyDir: authorityDir, now: () => FIXED_NOW_MS }).close();
    for (const name of readdirSync(dataDir)) {
      const text = readFileSync(join(dataDir, name)).toString('utf8');
      if (!text.includes('PRIVATE KEY')) continue;
      // The only private keys are Ed25519 signing keys (device, demo pass issuer): none is X25519.
      expect(createPrivateKey(text).asymmetricKeyType).toBe('ed25519');
    }
    expect(statSync(join(dataDir, DEVICE_KEY_FILE)).mode & 0o077).toBe(0);
    expect(readdirSync(authorityDir)).toHaveLength(1);
  });

  it('gives one person one pseudonym per day, and an unreadable scan none', () => {
    const { dataDir, authorityDir } = setup();
    const kiosk = openKioskCore({ dataDir, authorityKeyDir: authorityDir, now: () => FIXED_NOW_MS });
    const ngoc = issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS, subjectId: 'VN-ID:079190001234' });
    const an = issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS, subjectId: 'VN-ID:079190009999' });
    const ids = [kiosk.submitScan(scanOf(ngoc)), kiosk.submitScan(scanOf(ngoc)), kiosk.submitScan(scanOf(an)), kiosk.submitScan(scanOf('junk'))].map(
      (v) => v.checkinId,
    );
    const rows = ids.map((id) => kiosk.db.prepare('SELECT pseudonym, sealed_subject FROM checkins WHERE id = ?').get(id) as Row);
    expect(rows[0]?.pseudonym).toEqual(rows[1]?.pseudonym);
    expect(rows[0]?.pseudonym).not.toEqual(rows[2]?.pseudonym);
    expect(rows[3]).toEqual({ pseudonym: null, sealed_subject: null });
    expect(countCheckinsByPseudonym(kiosk.db, rows[0]?.pseudonym ?? Buffer.alloc(0), FIXED_NOW_MS - 60_000)).toBe(2);
    expect(kiosk.syncStatus()).toMatchObject({ pendingCount: 4, parkedCount: 0, uploadedCount: 0, oldestPendingAgeMs: 0 });
    // Staff see it through the IPC contract.
    const answer = handleIpcRequest(kiosk, 'sync:status', {}, moduleLogger('test'));
    expect(answer.ok).toBe(true);
    expect(answer.ok && syncStatusSchema.parse(answer.value)).toMatchObject({ pendingCount: 4, deviceId: kiosk.deviceKey.deviceId });
    expect(handleIpcRequest(kiosk, 'sync:status', { extra: 1 }, moduleLogger('test')).ok).toBe(false);
    kiosk.close();
  });
});
