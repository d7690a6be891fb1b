// The health authority's sealing key, end to end on loopback: the operator's `init` makes it, the
// root-signed key list carries it, a provisioned kiosk seals each check-in to it, and at the hub
// only the authority's private key opens the subject (`checkins read --authority-key`), not the
// demo key the same kiosk had before it was provisioned. Rotation: a newer key list with a new key
// seals the next rows to it, rows already sealed keep theirs. A key list without one: rows are
// still logged (the verdict was seen) without the subject, kiosk:health says so, and a new
// kiosk's first sync refuses it.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/common/cli/cli-io.js';
import { runCli } from '../../src/main/cli/main.js';
import { openKioskCore, type OpenedKiosk } from '../../src/main/core/open-kiosk-core.js';
import { scanOf } from '../../src/main/pipeline/test-fixtures.js';
import { hubNonces, tempRoot } from '../sync/harness.js';
import { eventually, FAST_SYNC, hubCli, kioskCli, startOperatorHub, type OperatorHub } from './harness.js';

const root = tempRoot('authority-seal');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('check-ins sealed to the health authority key from the hub', () => {
  it('opens with the authority key, not the demo key; rotates; never falls back when the key list has none', async () => {
    const operator: OperatorHub = await startOperatorHub(root);
    const authorityDir = join(operator.publisherDir, 'authority');
    const kioskDir = join(root, 'kiosk');
    const demoAuthorityDir = join(root, 'demo-authority');
    let kiosk: OpenedKiosk | null = null;
    try {
      // The operator's authority key: private half 0600 beside the publisher's keys, nothing in the hub's data dir.
      const [firstKey] = await hubCli('authority-key', '--dir', operator.publisherDir);
      const firstKeyId = String(firstKey?.['sealingKeyId']);
      await hubCli('key-list', '--dir', operator.publisherDir, '--out', join(root, 'keys-2.bundle'));
      await hubCli('publish', '--data-dir', operator.hubDir, join(root, 'keys-2.bundle'));
      expect(statSync(join(authorityDir, `sealing-key-${firstKeyId}.pem`)).mode & 0o777).toBe(0o600);
      expect(filesUnder(operator.hubDir).filter((file) => file.endsWith('.pem'))).toEqual([]);

      // The kiosk ran as a demo first: it has a demo authority key of its own.
      const demo = openKioskCore({ dataDir: kioskDir, authorityKeyDir: demoAuthorityDir });
      const demoKeyId = demo.sealingKey?.keyId;
      expect(demo.health().sealing).toMatchObject({ state: 'demo', keyId: demoKeyId });
      // ...and logged a demo pass, which must never reach the real hub.
      const issued = captureIo();
      expect([await runCli(['issue-demo-pass', '--data-dir', kioskDir], issued), issued.stderr]).toEqual([0, '']);
      const demoCheckin = demo.submitScan(scanOf(issued.lines.out.find((line) => line.startsWith('PC1:')) ?? '')).checkinId;
      expect(demoCheckin).not.toBe('');
      demo.close();
      expect(demoKeyId).toMatch(/^[0-9a-f]{16}$/);

      const done = await kioskCli('provision', '--enrol', await operator.ticket('HN-01'), '--data-dir', kioskDir, '--yes', '--skip-scanner-test');
      expect(done.state).toMatchObject({ step: 'ready', error: null });
      const opened = openKioskCore({ dataDir: kioskDir, backgroundSync: true, syncTuning: FAST_SYNC, allowDemo: false });
      kiosk = opened;
      expect(opened.health().sealing).toEqual({ state: 'authority', keyId: firstKeyId, message: null });

      const checkIn = async (id: string): Promise<string> => {
        await hubCli('status', 'record', '--data-dir', operator.hubDir, '--id', id, '--event', 'negative-test', '--date', '2026-11-20', '--name', 'Nguyễn Văn An', '--dob', '1990-04-12');
        const [issued] = await hubCli('pass', 'issue', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--id', id);
        const verdict = opened.submitScan(scanOf(String(issued?.['pass'])));
        expect(verdict.readable).toBe(true);
        await eventually(() => hubNonces(operator.db).includes(verdict.checkinId), 'the check-in to reach the hub');
        return verdict.checkinId;
      };
      const sealKeyAtHub = (nonce: string): unknown => operator.db.prepare('SELECT seal_key_id FROM checkins WHERE nonce = ?').pluck().get(nonce);
      const first = await checkIn('VN-ID:079190001234');
      expect(sealKeyAtHub(first)).toBe(firstKeyId);
      // The demo check-in stayed on the kiosk, parked (listed for staff), and never uploaded.
      expect(hubNonces(operator.db)).not.toContain(demoCheckin);
      expect(opened.syncStatus()).toMatchObject({ parkedCount: 1 });

      // The tracing tool: an operator's audited read, opening subjects with the authority's keys.
      const operatorKey = join(root, 'tracer.pem');
      const [made] = await hubCli('operator', 'key', '--out', operatorKey);
      await hubCli('operator', 'add', '--data-dir', operator.hubDir, '--name', 'CDC tracer', '--public-key', String(made?.['publicKey']));
      const trace = async (...keys: string[]): Promise<Map<string, Record<string, unknown>>> => {
        const rows = await hubCli('checkins', 'read', '--data-dir', operator.hubDir, '--operator-key', operatorKey, '--reason', 'case HN-2026-0042 contact tracing', ...keys.flatMap((k) => ['--authority-key', k]));
        return new Map(rows.map((row) => [String(row['nonce']), row]));
      };
      expect((await trace(authorityDir)).get(first)).toMatchObject({ sealKeyId: firstKeyId, subjectIds: ['VN-ID:079190001234'] });
      // The demo key the kiosk made for itself opens nothing of a provisioned kiosk.
      expect((await trace(demoAuthorityDir)).get(first)).toEqual(expect.objectContaining({ closed: 'no_key' }));
      expect((await trace(demoAuthorityDir)).get(first)).not.toHaveProperty('subjectIds');
      const [audit] = (await hubCli('checkins', 'audit', '--data-dir', operator.hubDir)).slice(-1);
      expect(JSON.parse(String(audit?.['query']))).toMatchObject({ subjects: true });

      // Rotation: a new authority key in a newer key list; the next row is sealed to it.
      const [secondKey] = await hubCli('authority-key', '--dir', operator.publisherDir);
      const secondKeyId = String(secondKey?.['sealingKeyId']);
      await hubCli('key-list', '--dir', operator.publisherDir, '--out', join(root, 'keys-3.bundle'));
      await hubCli('publish', '--data-dir', operator.hubDir, join(root, 'keys-3.bundle'));
      await eventually(() => opened.health().sealing?.keyId === secondKeyId, 'the kiosk to take the new authority key');
      const second = await checkIn('VN-ID:079190005678');
      expect(sealKeyAtHub(second)).toBe(secondKeyId);
      expect(sealKeyAtHub(first)).toBe(firstKeyId);
      const onlyNew = await trace(join(authorityDir, `sealing-key-${secondKeyId}.pem`));
      expect(onlyNew.get(second)).toMatchObject({ subjectIds: ['VN-ID:079190005678'] });
      expect(onlyNew.get(first)).toMatchObject({ closed: 'no_key' });
      const both = await trace(authorityDir);
      expect(both.get(first)).toMatchObject({ subjectIds: ['VN-ID:079190001234'] });
      expect(both.get(second)).toMatchObject({ subjectIds: ['VN-ID:079190005678'] });

      // A key list without an authority key: the verdict is still logged, without the person.
      rmSync(join(operator.publisherDir, 'authority-sealing-key.pub'));
      await hubCli('key-list', '--dir', operator.publisherDir, '--out', join(root, 'keys-4.bundle'));
      await hubCli('publish', '--data-dir', operator.hubDir, join(root, 'keys-4.bundle'));
      await eventually(() => opened.health().sealing?.state === 'missing', 'the kiosk to notice the key list has no authority key');
      expect(opened.health().sealing?.message).toMatch(/no health-authority sealing key/);
      expect(opened.sealingKey).toBeNull();
      const third = await checkIn('VN-ID:079190009012');
      expect(opened.db.prepare('SELECT sealed_subject, seal_key_id FROM checkins WHERE id = ?').get(third)).toEqual({ sealed_subject: null, seal_key_id: null });
      expect((await trace(authorityDir)).get(third)).toMatchObject({ sealKeyId: null, closed: 'none' });
      // Nothing was sealed to the demo key by the provisioned kiosk: the one such row is the demo
      // check-in from before provisioning, parked.
      expect(opened.db.prepare('SELECT id FROM checkins WHERE seal_key_id = ?').pluck().all(demoKeyId)).toEqual([demoCheckin]);
      expect(opened.db.prepare('SELECT parked_at IS NOT NULL FROM checkins WHERE id = ?').pluck().get(demoCheckin)).toBe(1);

      // And a new kiosk will not go live on such a key list.
      const refused = await kioskCli('provision', '--enrol', await operator.ticket('HN-01'), '--data-dir', join(root, 'kiosk-2'), '--yes', '--skip-scanner-test');
      expect(refused.code).toBe(1);
      expect(refused.state).toMatchObject({ step: 'first_sync', error: { code: 'bundle_refused' } });
      expect(String((refused.state?.['error'] as { message?: unknown } | undefined)?.message)).toMatch(/no health-authority sealing key.*pccovid-hub authority-key/);
      // Provisioning by CLI never made a demo sealing pair for that kiosk either.
      expect(existsSync(join(root, 'kiosk-2'))).toBe(true);
      expect(existsSync(join(root, 'kiosk-2-health-authority'))).toBe(false);
    } finally {
      await kiosk?.shutdown();
      await operator.stop();
    }
  }, 90_000);
});
