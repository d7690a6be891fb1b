// End to end on loopback, no mocks: an operator enrols a kiosk with a one-time token; the kiosk
// pulls the signed bundles; a status change recorded at the hub changes the kiosk's verdict after
// the next sync; the kiosk's check-ins reach the hub exactly once.
import { generateKeyPairSync } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHexString } from '../../src/common/bundle/bundle-types.js';
import { runHubCli } from '../../src/hub/cli/main.js';
import { rawPublicKey } from '../../src/hub/publisher/signing-key.js';
import { startHubServer } from '../../src/hub/server.js';
import { openHubDataDir } from '../../src/hub/store/hub-database.js';
import { BundleStore } from '../../src/main/bundles/bundle-store.js';
import { openKioskCore } from '../../src/main/core/open-kiosk-core.js';
import { issueDemoPass } from '../../src/main/demo/demo-authority.js';
import { scanOf } from '../../src/main/pipeline/test-fixtures.js';
import { createBundleDownloadTask } from '../../src/main/sync/bundle-download.js';
import { enrolDevice, EnrolmentError, parseEnrolmentTicket } from '../../src/main/sync/enrol.js';
import { createSyncClient } from '../../src/main/sync/sync-client.js';
import { FAST_BACKOFF, hubNonces, tempRoot } from '../sync/harness.js';

async function hubCli(...argv: string[]): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  let errors = '';
  const code = await runHubCli(argv, { out: (t) => void lines.push(t), err: (t) => void (errors += t) });
  if (code !== 0) throw new Error(`pccovid-hub ${argv[0]} exited ${code}: ${errors}`);
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const root = tempRoot('hub-e2e');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('hub and kiosk, end to end', () => {
  it('enrol → pull bundles → status change at the hub flips the verdict → check-ins stored once', async () => {
    const hubDir = join(root, 'hub');
    const publisherDir = join(root, 'publisher');
    const person = 'VN-ID:079190001234';
    const [init] = await hubCli('init', '--dir', publisherDir);
    const db = openHubDataDir(hubDir);
    const hub = await startHubServer({ db, dataDir: hubDir });
    // The kiosk: its X25519 key (epoch keys are sealed to it), its bundle store, its core.
    const sealing = generateKeyPairSync('x25519');
    const store = BundleStore.open({
      dir: join(root, 'kiosk', 'bundles'),
      rootKeys: [{ kid: fromHexString(String(init?.['rootKid'])) ?? new Uint8Array(), publicKey: fromHexString(String(init?.['rootPublicKey'])) ?? new Uint8Array() }],
      deviceKey: sealing.privateKey,
    });
    let clockOffsetMs = 0;
    const kiosk = openKioskCore({ dataDir: join(root, 'kiosk', 'data'), authorityKeyDir: hubDir, bundles: store, now: () => Date.now() + clockOffsetMs });
    const client = createSyncClient({ db: kiosk.db, deviceKey: kiosk.deviceKey, hubUrl: hub.url, backoff: FAST_BACKOFF, keepAlive: false });
    const download = createBundleDownloadTask({ store });
    const signal = new AbortController().signal;
    try {
      // 1. Enrolment: the operator's ticket, the kiosk's keys and proof.
      const [issued] = await hubCli('enrol-token', '--data-dir', hubDir, '--hub-url', hub.url, '--dir', publisherDir, '--no-qr');
      const ticket = parseEnrolmentTicket(String(issued?.['ticket']));
      const sealingHex = Buffer.from(rawPublicKey(sealing.publicKey, 'X25519')).toString('hex');
      const enrolment = await enrolDevice(ticket, kiosk.deviceKey, sealingHex, { label: 'e2e' });
      expect(enrolment.deviceId).toBe(kiosk.deviceKey.deviceId);
      // The root key to pin comes with the answer, checked against the ticket's fingerprint.
      expect(enrolment.rootPublicKey?.toString('hex')).toBe(String(init?.['rootPublicKey']));
      const again = await enrolDevice(ticket, kiosk.deviceKey, sealingHex).catch((error: unknown) => error);
      expect(again).toBeInstanceOf(EnrolmentError);
      expect(again).toMatchObject({ code: 'token_used' });
      expect(() => parseEnrolmentTicket('VHD1|x')).toThrow(/not an enrolment ticket/);

      // 2. The hub's records and first publication.
      await hubCli('status', 'record', '--data-dir', hubDir, '--id', person, '--event', 'vaccination', '--date', '2021-09-01', '--name', 'Trần Thị Bích Ngọc', '--dob', '1990-04-12');
      await hubCli('status', 'record', '--data-dir', hubDir, '--id', person, '--event', 'vaccination', '--date', '2021-10-01');
      const policyFile = join(root, 'policy.json');
      writeFileSync(policyFile, JSON.stringify({ id: 'e2e', outcomes: { green: 'admit', yellow: 'review', red: 'deny', unknown: 'review' } }));
      await hubCli('key-list', '--dir', publisherDir, '--out', join(root, 'keys.bundle'));
      await hubCli('policy', '--dir', publisherDir, '--policy', policyFile, '--out', join(root, 'policy.bundle'));
      await hubCli('publish', '--data-dir', hubDir, join(root, 'keys.bundle'), join(root, 'policy.bundle'));
      await hubCli('publish-epoch-keys', '--data-dir', hubDir, '--dir', publisherDir, '--epoch', '1');
      const [snapshot] = await hubCli('publish-status', '--data-dir', hubDir, '--dir', publisherDir, '--epoch', '1');
      expect(snapshot).toMatchObject({ type: 'status-snapshot', entries: 1 });

      // 3. The kiosk pulls; the hub's record (green) decides.
      expect(await download.run(client.downloadTransport, signal)).toBe('installed');
      expect(store.status.lookup([person])).toMatchObject({ status: 'green', doses: 2 });
      const pass = issueDemoPass(kiosk.demoAuthority, { nowMs: Date.now(), subjectId: person, status: 'green' });
      const first = kiosk.submitScan(scanOf(pass));
      expect(first.outcome).toBe('admit');

      // 4. A positive test at the hub, published as a delta; after the next sync the verdict flips.
      await hubCli('status', 'record', '--data-dir', hubDir, '--id', person, '--event', 'positive-test', '--operator', 'lab-7');
      const [delta] = await hubCli('publish-status', '--data-dir', hubDir, '--dir', publisherDir, '--epoch', '1');
      expect(delta).toMatchObject({ type: 'status-delta', entries: 1 });
      expect(kiosk.submitScan(scanOf(pass, 'serial')).outcome).toBe('admit'); // not synced yet: shown again, old data
      expect(await download.run(client.downloadTransport, signal)).toBe('installed');
      expect(await download.run(client.downloadTransport, signal)).toBe('up-to-date');
      clockOffsetMs = 30 * 60_000; // past the duplicate window: a new check-in
      const second = kiosk.submitScan(scanOf(pass));
      expect(second.outcome).toBe('deny');

      // 5. Check-ins reach the hub exactly once, even when the upload runs twice.
      expect(await client.drainOnce()).toEqual({ kind: 'idle' });
      expect(await client.drainOnce()).toEqual({ kind: 'idle' });
      const stored = hubNonces(db);
      expect(stored).toContain(first.checkinId);
      expect(stored).toContain(second.checkinId);
      expect(new Set(stored).size).toBe(stored.length);
      expect(kiosk.syncStatus()).toMatchObject({ pendingCount: 0, parkedCount: 0 });
    } finally {
      await client.stop();
      kiosk.close();
      await hub.close();
      db.close();
    }
  });
});
