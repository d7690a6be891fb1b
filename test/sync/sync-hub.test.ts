// The sync client against the real hub on loopback: upload, per-record answers, duplicates,
// parking, authentication, clock skew, batch bounds and retention.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKIN_UPLOAD_PATH } from '../../src/common/sync/checkin-wire.js';
import { countStoredCheckins } from '../../src/hub/ingest/store-checkins.js';
import type { OpenedKiosk } from '../../src/main/core/open-kiosk-core.js';
import { issueDemoPass } from '../../src/main/demo/demo-authority.js';
import { scanOf } from '../../src/main/pipeline/test-fixtures.js';
import { insertOverride } from '../../src/main/store/queries/checkins.js';
import { createHubTransport } from '../../src/main/sync/hub-transport.js';
import { applyRetention } from '../../src/main/sync/retention.js';
import { createSyncClient, type SyncClient } from '../../src/main/sync/sync-client.js';
import type { UploadRound } from '../../src/main/sync/upload-queue.js';
import { authorityKeyIn, FAST_BACKOFF, hubNonces, openStoredSubject, openTestKiosk, startTestHub, tempRoot, type TestHub } from './harness.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { register?: boolean; now?: () => number; hubNow?: () => number; bodyLimitBytes?: number } = {}): Promise<{
  hub: TestHub;
  kiosk: OpenedKiosk;
  client(extra?: Parameters<typeof createSyncClient>[0] extends infer O ? Partial<O> : never): SyncClient;
}> {
  const hub = await startTestHub({
    ...(options.hubNow === undefined ? {} : { now: options.hubNow }),
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
  });
  cleanups.push(() => hub.stop());
  const kiosk = openTestKiosk(hub, join(tempRoot('kiosk'), 'data'), options.now === undefined ? {} : { now: options.now });
  cleanups.push(() => kiosk.close());
  if (options.register !== false) hub.register(kiosk);
  return {
    hub,
    kiosk,
    client(extra = {}) {
      const client = createSyncClient({ db: kiosk.db, deviceKey: kiosk.deviceKey, hubUrl: hub.url, backoff: FAST_BACKOFF, ...extra });
      cleanups.push(() => client.stop());
      return client;
    },
  };
}

function scanPeople(kiosk: OpenedKiosk, count: number, nowMs = Date.now()): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const pass = issueDemoPass(kiosk.demoAuthority, { nowMs, subjectId: `VN-ID:0791900${String(i).padStart(5, '0')}` });
    ids.push(kiosk.submitScan(scanOf(pass)).checkinId);
  }
  return ids;
}

describe('check-in upload to the hub', () => {
  it('stores every check-in once, sealed; only the authority key opens it at the hub', async () => {
    const { hub, kiosk, client } = await setup();
    const ids = scanPeople(kiosk, 5);
    const round = await client().drainOnce();
    expect(round).toEqual({ kind: 'idle' });
    expect(hubNonces(hub.db)).toEqual([...ids].sort());
    expect(kiosk.syncStatus()).toMatchObject({ pendingCount: 0, uploadedCount: 5, parkedCount: 0, lastError: null });
    const row = hub.db.prepare('SELECT device_id, sealed_subject FROM checkins WHERE nonce = ?').get(ids[2]) as {
      device_id: string;
      sealed_subject: Buffer;
    };
    expect(row.device_id).toBe(kiosk.deviceKey.deviceId);
    expect(openStoredSubject(authorityKeyIn(hub.dataDir, kiosk.sealingKey?.keyId ?? ''), ids[2] ?? '', row.sealed_subject)).toEqual({
      v: 1,
      subjectIds: ['VN-ID:079190000002'],
    });
  });

  it('uploads an override row with the verdict it overrides and the reason', async () => {
    const { hub, kiosk, client } = await setup();
    const [verdictId] = scanPeople(kiosk, 1);
    insertOverride(kiosk.db, {
      id: '01KB0000000000000000000000',
      overrides: verdictId ?? '',
      outcome: 'admit',
      reason: 'medical exemption certificate seen',
      at: Date.now(),
      source: 'staff',
      venue: 'Chợ Bến Thành (demo)',
      device: kiosk.deviceKey.deviceId,
      lane: null,
      monotonicMs: 1,
      bootId: 'boot',
    });
    await client().drainOnce();
    expect(hub.db.prepare("SELECT kind, overrides, override_reason, sealed_subject FROM checkins WHERE kind = 'override'").all()).toEqual([
      { kind: 'override', overrides: verdictId, override_reason: 'medical exemption certificate seen', sealed_subject: null },
    ]);
  });

  it('acknowledges a record the hub already has as a duplicate and stores it no second time', async () => {
    const { hub, kiosk, client } = await setup();
    scanPeople(kiosk, 4);
    const sync = client();
    await sync.drainOnce();
    // As if the kiosk lost power after the hub stored the batch but before it noted the answer.
    kiosk.db.prepare('UPDATE checkins SET uploaded_at = NULL').run();
    const rounds: UploadRound[] = [];
    rounds.push(await sync.drainOnce());
    expect(countStoredCheckins(hub.db)).toBe(4);
    expect(kiosk.syncStatus()).toMatchObject({ pendingCount: 0, uploadedCount: 4 });
    expect(hub.db.prepare('SELECT deliveries FROM checkin_batches').pluck().all()).toEqual([1, 1]);
  });

  it('parks a record the hub refuses, with its reason, and never sends it again', async () => {
    const { hub, kiosk, client } = await setup();
    const [good, bad] = scanPeople(kiosk, 2);
    // A credential kind this hub does not know (as from a newer kiosk): the hub refuses the record.
    kiosk.db.prepare("UPDATE checkins SET credential_kind = 'shc' WHERE id = ?").run(bad);
    const sync = client();
    expect(await sync.drainOnce()).toEqual({ kind: 'idle' });
    expect(hubNonces(hub.db)).toEqual([good]);
    const status = kiosk.syncStatus();
    expect(status).toMatchObject({ pendingCount: 0, parkedCount: 1, uploadedCount: 1 });
    expect(status.lastError?.code).toBe('records_parked');
    const parked = kiosk.db.prepare('SELECT park_reason FROM checkins WHERE id = ?').pluck().get(bad) as string;
    expect(parked).toMatch(/^malformed_record: .*credentialKind/);
    expect(await sync.drainOnce()).toEqual({ kind: 'idle' });
  });

  it('parks a record whose nonce another device already used', async () => {
    const { hub, kiosk, client } = await setup();
    const other = openTestKiosk(hub, join(tempRoot('kiosk'), 'other'));
    cleanups.push(() => other.close());
    hub.register(other);
    const [shared] = scanPeople(other, 1);
    const otherSync = createSyncClient({ db: other.db, deviceKey: other.deviceKey, hubUrl: hub.url, backoff: FAST_BACKOFF });
    cleanups.push(() => otherSync.stop());
    await otherSync.drainOnce();
    const [mine] = scanPeople(kiosk, 1);
    kiosk.db.prepare('UPDATE checkins SET id = ? WHERE id = ?').run(shared, mine);
    await client().drainOnce();
    expect(kiosk.syncStatus()).toMatchObject({ parkedCount: 1, pendingCount: 0 });
    expect(hub.db.prepare('SELECT device_id FROM checkins WHERE nonce = ?').pluck().get(shared)).toBe(other.deviceKey.deviceId);
  });

  it('keeps everything queued while the device is unknown to the hub, and says so', async () => {
    const { hub, kiosk, client } = await setup({ register: false });
    scanPeople(kiosk, 3);
    const round = await client().drainOnce();
    expect(round).toMatchObject({ kind: 'failed', code: 'unknown_device' });
    expect(kiosk.syncStatus()).toMatchObject({ pendingCount: 3, uploadedCount: 0, lastError: { code: 'unknown_device' } });
    hub.register(kiosk);
    expect(await client().drainOnce()).toEqual({ kind: 'idle' });
    expect(countStoredCheckins(hub.db)).toBe(3);
  });

  it('refuses a replayed request, a forged signature and a request without signature', async () => {
    const { hub, kiosk } = await setup();
    const transport = createHubTransport({ hubUrl: hub.url, deviceKey: kiosk.deviceKey });
    cleanups.push(() => transport.close());
    const ok = await transport.request({ method: 'GET', path: '/v1/time', timeoutMs: 5000 });
    expect(ok.status).toBe(200);

    // Replay: capture the headers of one signed request and send them twice.
    const body = Buffer.from(JSON.stringify({ batchId: '01J00000000000000000000000', records: [{}] }));
    const captured: Record<string, string> = {};
    const capturing = createHubTransport({
      hubUrl: hub.url,
      deviceKey: { ...kiosk.deviceKey, sign: (message) => { captured['m'] = Buffer.from(message).toString('base64'); return kiosk.deviceKey.sign(message); } },
    });
    cleanups.push(() => capturing.close());
    const first = await capturing.request({ method: 'POST', path: CHECKIN_UPLOAD_PATH, body, timeoutMs: 5000 });
    expect(first.status).toBe(200);
    const canonical = Buffer.from(captured['m'] ?? '', 'base64').toString('utf8').split('\n');
    const headers = {
      'content-type': 'application/json',
      'x-pccovid-device': kiosk.deviceKey.deviceId,
      'x-pccovid-timestamp': canonical[4] ?? '',
      'x-pccovid-nonce': canonical[5] ?? '',
      'x-pccovid-signature': kiosk.deviceKey.sign(Buffer.from(canonical.join('\n'))).toString('base64'),
    };
    const replay = await fetch(`${hub.url}${CHECKIN_UPLOAD_PATH}`, { method: 'POST', headers, body });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('replayed_request');

    const forged = await fetch(`${hub.url}${CHECKIN_UPLOAD_PATH}`, {
      method: 'POST',
      headers: { ...headers, 'x-pccovid-nonce': randomBytes(16).toString('hex') },
      body,
    });
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('bad_signature');
    const unsigned = await fetch(`${hub.url}${CHECKIN_UPLOAD_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
  });

  it('corrects its signing clock after the hub refuses a skewed timestamp', async () => {
    const hourAhead = (): number => Date.now() + 3_600_000;
    const { hub, kiosk, client } = await setup({ now: hourAhead });
    scanPeople(kiosk, 2, hourAhead());
    const sync = client({ now: hourAhead });
    const first = await sync.drainOnce();
    expect(first).toMatchObject({ kind: 'failed', code: 'clock_skew', retryNow: true });
    expect(await sync.drainOnce()).toEqual({ kind: 'idle' });
    expect(countStoredCheckins(hub.db)).toBe(2);
  });

  it('bounds batches by records and bytes, and halves a batch the hub finds too large', async () => {
    const { hub, kiosk, client } = await setup({ bodyLimitBytes: 4_000 });
    scanPeople(kiosk, 23);
    const rounds: UploadRound[] = [];
    const sync = client({ upload: { maxRecords: 10, maxBytes: 1_000_000, maxBatchAgeMs: 0 }, onUploadRound: (r) => rounds.push(r) });
    for (let i = 0; i < 40 && kiosk.syncStatus().pendingCount > 0; i++) rounds.push(await sync.drainOnce());
    expect(countStoredCheckins(hub.db)).toBe(23);
    expect(rounds.some((r) => r.kind === 'failed' && r.code === 'too_large')).toBe(true);
    const sizes = hub.db.prepare('SELECT records FROM checkin_batches').pluck().all() as number[];
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  });

  it('waits for a small batch to age before sending it', async () => {
    const { kiosk, client } = await setup();
    scanPeople(kiosk, 2);
    const sync = client({ upload: { maxRecords: 100, maxBatchAgeMs: 60_000 } });
    sync.start();
    const rounds: UploadRound[] = [];
    const watcher = client({ upload: { maxRecords: 100, maxBatchAgeMs: 60_000 }, onUploadRound: (r) => rounds.push(r), idlePollMs: 5 });
    watcher.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await watcher.stop();
    expect(rounds.every((r) => r.kind === 'waiting')).toBe(true);
    expect(kiosk.syncStatus().pendingCount).toBe(2);
  });
});

describe('retention', () => {
  it('purges acknowledged rows after the tracing window and never rows still waiting', async () => {
    const { kiosk, client } = await setup();
    const day = 86_400_000;
    const now = Date.now();
    const [oldUploaded, oldPending, recentUploaded] = scanPeople(kiosk, 3);
    await client().drainOnce();
    kiosk.db.prepare('UPDATE checkins SET at = ? WHERE id IN (?, ?)').run(now - 22 * day, oldUploaded, oldPending);
    kiosk.db.prepare('UPDATE checkins SET uploaded_at = NULL WHERE id = ?').run(oldPending);
    kiosk.db.prepare('UPDATE checkins SET at = ? WHERE id = ?').run(now - 20 * day, recentUploaded);
    expect(applyRetention(kiosk.db, now, 21).deletedCheckins).toBe(1);
    const left = kiosk.db.prepare('SELECT id FROM checkins ORDER BY id').pluck().all();
    expect(left).toEqual([oldPending, recentUploaded].sort());
    const status = kiosk.syncStatus();
    expect(status.pendingCount).toBe(1);
    expect(status.oldestPendingAgeMs).toBeGreaterThanOrEqual(22 * day);
  });

  it('deletes the pseudonym keys of days before yesterday', async () => {
    const { kiosk } = await setup();
    const day = 86_400_000;
    const now = Date.now();
    const insert = kiosk.db.prepare('INSERT OR IGNORE INTO pseudonym_keys (day, key) VALUES (?, ?)');
    for (const d of [0, 1, 2, 5]) insert.run(Math.floor((now - d * day) / day), randomBytes(32));
    applyRetention(kiosk.db, now);
    expect(kiosk.db.prepare('SELECT count(*) FROM pseudonym_keys').pluck().get()).toBe(2);
  });
});
