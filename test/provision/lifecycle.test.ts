// Provisioning's refusals and a provisioned kiosk's lifecycle, against a real hub on loopback:
// a used token, a wrong fingerprint, no assignment, a wrong clock, an unreachable hub; key
// rotation; revocation at the hub wiping the kiosk at its next sync; factory reset over IPC.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleIpcRequest } from '../../src/main/ipc/handle-request.js';
import { moduleLogger } from '../../src/main/log.js';
import { openKioskCore, type OpenedKiosk } from '../../src/main/core/open-kiosk-core.js';
import { scanOf } from '../../src/main/pipeline/test-fixtures.js';
import { getSetting } from '../../src/main/store/queries/settings.js';
import { createNextSigningKey } from '../../src/main/provision/device-keys.js';
import { registerNextKey } from '../../src/main/provision/hub-config.js';
import { createHubTransport } from '../../src/main/sync/hub-transport.js';
import { hubNonces, tempRoot } from '../sync/harness.js';
import { eventually, FAST_SYNC, hubCli, kioskCli, startOperatorHub, type OperatorHub } from './harness.js';

const root = tempRoot('provision-life');
let operator: OperatorHub;
let counter = 0;
const freshDir = (): string => join(root, `kiosk-${++counter}`);

beforeAll(async () => {
  operator = await startOperatorHub(root);
});
afterAll(async () => {
  await operator.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A kiosk taken through the CLI to the self-test, then finished: ready. */
async function provisioned(venue = 'HN-01'): Promise<string> {
  const dir = freshDir();
  const done = await kioskCli('provision', '--enrol', await operator.ticket(venue), '--data-dir', dir, '--yes', '--skip-scanner-test');
  expect(done.state).toMatchObject({ step: 'ready', error: null });
  expect(done.code).toBe(0);
  return dir;
}

function checkinCount(kiosk: OpenedKiosk): number {
  return (kiosk.db.prepare('SELECT count(*) AS n FROM checkins').get() as { n: number }).n;
}

describe('provisioning refusals', () => {
  it('a ticket works once: a second kiosk with the same ticket is told it was used', async () => {
    const ticket = await operator.ticket('HN-01');
    expect((await kioskCli('provision', '--enrol', ticket, '--data-dir', freshDir())).code).toBe(2);
    const second = await kioskCli('provision', '--enrol', ticket, '--data-dir', freshDir());
    expect(second.code).toBe(1);
    expect(second.state).toMatchObject({ step: 'unprovisioned', error: { code: 'token_used' } });
    expect(second.stderr).toMatch(/already used once; ask the operator for a new QR code/);
  });

  it('an expired ticket is refused as expired', async () => {
    const ticket = await operator.ticket('HN-01', ['--ttl-hours', '0.00005']); // 180 ms
    await new Promise((resolve) => setTimeout(resolve, 400));
    const late = await kioskCli('provision', '--enrol', ticket, '--data-dir', freshDir());
    expect(late.code).toBe(1);
    expect(late.state).toMatchObject({ step: 'unprovisioned', error: { code: 'token_expired' } });
  });

  it('a fingerprint that is not the hub root key abandons the enrolment and wipes its keys', async () => {
    const dir = freshDir();
    const wrong = `0000${operator.rootFingerprint.replace(/\s+/g, '').slice(4)}`;
    const result = await kioskCli('provision', '--enrol', await operator.ticket('HN-01'), '--data-dir', dir, '--fingerprint', wrong);
    expect(result.code).toBe(1);
    expect(result.state).toMatchObject({ step: 'unprovisioned', error: { code: 'fingerprint_mismatch' } });
    expect(result.stderr).toMatch(/revoke dev-[0-9a-f]{32}/);
    expect(existsSync(join(dir, 'provisioning.json'))).toBe(false);
    expect(existsSync(join(dir, 'device-sealing-key.pem'))).toBe(false);
  });

  it('the wizard refuses a typed fingerprint that is not the one shown, and stays for another try', async () => {
    const kiosk = openKioskCore({ dataDir: freshDir() });
    try {
      kiosk.provisioning.enrol({ text: await operator.ticket('HN-01') });
      await kiosk.provisioning.idle();
      expect(kiosk.provisioning.confirmFingerprint({ answer: 'match', fingerprint: 'abcdabcd' })).toMatchObject({
        step: 'awaiting_fingerprint',
        error: { code: 'fingerprint_mismatch' },
      });
      expect(kiosk.provisioning.confirmFingerprint({ answer: 'match', fingerprint: operator.rootFingerprint.slice(0, 9) })).toMatchObject({ step: 'configuring', busy: true });
      await kiosk.provisioning.idle();
      expect(kiosk.provisioning.state()).toMatchObject({ step: 'self_test', error: null });
    } finally {
      await kiosk.shutdown();
    }
  });

  it('the scanner self-test lists each hardware reader on its own, two of one kind included', async () => {
    const dir = freshDir();
    const done = await kioskCli('provision', '--enrol', await operator.ticket('HN-01'), '--data-dir', dir, '--yes');
    expect(done.state).toMatchObject({ step: 'self_test', error: null });
    const kiosk = openKioskCore({ dataDir: dir, allowDemo: false });
    try {
      const at = Date.now();
      const scan = (text: string, device?: { id: string; name: string }) => ({
        source: 'hid-pos' as const,
        symbology: ']Q1',
        text,
        receivedAt: at,
        ...(device === undefined ? {} : { device }),
      });
      const left = { id: 'hid:0c2e:0b61:1-1', name: 'Honeywell Xenon (HID POS)' };
      const right = { id: 'hid:0c2e:0b61:1-2', name: 'Honeywell Xenon (HID POS)' };
      expect(kiosk.submitScan(scan('first lane scanner', left)).reasons).toEqual([{ code: 'self_test_scan' }]);
      expect(kiosk.submitScan(scan('second lane scanner', right)).reasons).toEqual([{ code: 'self_test_scan' }]);
      expect(kiosk.submitScan(scan('first again', left)).reasons).toEqual([{ code: 'self_test_scan' }]);
      // A scan with no device (a driver that does not say) is filed under its kind.
      kiosk.submitScan(scan('from somewhere'));
      const entries = kiosk.provisioning.state().selfTest;
      expect(entries.map(({ id, name, source, passed, lastText }) => ({ id, name, source, passed, lastText }))).toEqual([
        { id: right.id, name: right.name, source: 'hid-pos', passed: true, lastText: 'second lane scanner' },
        { id: left.id, name: left.name, source: 'hid-pos', passed: true, lastText: 'first again' },
        { id: 'hid-pos', name: 'HID POS scanner', source: 'hid-pos', passed: true, lastText: 'from somewhere' },
      ]);
      expect(kiosk.recentCheckins(10)).toEqual([]);
    } finally {
      await kiosk.shutdown();
    }
  });

  it('unreadable tickets, unassigned devices, an unreachable hub and a wrong clock each say what to do', async () => {
    const garbled = await kioskCli('provision', '--enrol', 'PC1:not-a-ticket', '--data-dir', freshDir());
    expect(garbled.state).toMatchObject({ error: { code: 'ticket_unreadable' } });

    const unassigned = await kioskCli('provision', '--enrol', await operator.ticket(), '--data-dir', freshDir(), '--yes');
    expect(unassigned.code).toBe(1);
    expect(unassigned.state).toMatchObject({ step: 'configuring', error: { code: 'not_assigned' } });
    expect(unassigned.stderr).toMatch(/enrol-token --venue/);

    const ticket = JSON.parse(await operator.ticket('HN-01')) as Record<string, unknown>;
    const offline = await kioskCli('provision', '--enrol', JSON.stringify({ ...ticket, hub: 'http://127.0.0.1:9/' }), '--data-dir', freshDir());
    expect(offline.state).toMatchObject({ step: 'unprovisioned', error: { code: 'hub_unreachable' } });
    expect(offline.stderr).toMatch(/the token is still good/);

    // Ten minutes fast: enrolment (unsigned) goes through and already warns; the signed configuration is refused.
    const skewed = openKioskCore({ dataDir: freshDir(), now: () => Date.now() + 10 * 60_000 });
    try {
      skewed.provisioning.enrol({ text: await operator.ticket('HN-01') });
      await skewed.provisioning.idle();
      expect(skewed.provisioning.state().clock).toMatchObject({ state: 'wrong', message: expect.stringMatching(/10 min ahead of the hub/) });
      skewed.provisioning.confirmFingerprint({ answer: 'match' });
      await skewed.provisioning.idle();
      expect(skewed.provisioning.state()).toMatchObject({ step: 'configuring', error: { code: 'clock_wrong' } });
    } finally {
      await skewed.shutdown();
    }
  });

  it('the lane of a border post is a border kiosk', async () => {
    const dir = await provisioned('HN-01-L1');
    const kiosk = openKioskCore({ dataDir: dir });
    try {
      expect(kiosk.info()).toMatchObject({ mode: 'border', venueName: 'Nội Bài T2 · Lane 1', provisioning: 'ready', demo: false });
    } finally {
      await kiosk.shutdown();
    }
  });
});

describe('a provisioned kiosk', () => {
  it('rotates its key: the hub accepts the new key signed by the old, and uploads go on', async () => {
    const dir = await provisioned();
    const kiosk = openKioskCore({ dataDir: dir });
    const before = { id: kiosk.deviceKey.deviceId, key: kiosk.deviceKey.publicKeyBase64 };
    await kiosk.shutdown();
    const rotated = await kioskCli('rotate-key', '--data-dir', dir);
    expect(rotated.code).toBe(0);
    expect(rotated.state).toMatchObject({ deviceId: before.id, previousPublicKey: before.key });
    expect(rotated.state?.['publicKey']).not.toBe(before.key);
    const again = openKioskCore({ dataDir: dir, backgroundSync: true, syncTuning: FAST_SYNC });
    try {
      expect(again.deviceKey).toMatchObject({ deviceId: before.id, publicKeyBase64: rotated.state?.['publicKey'] });
      again.provisioning.startBackgroundSync();
      const verdict = again.submitScan(scanOf('VHD1|not a real code'));
      await eventually(() => hubNonces(operator.db).includes(verdict.checkinId), 'an upload signed by the new key');
    } finally {
      await again.shutdown();
    }
  });

  it('a rotation the hub accepted but the kiosk never finished is completed at the next sync', async () => {
    const dir = await provisioned();
    const kiosk = openKioskCore({ dataDir: dir, backgroundSync: true, syncTuning: FAST_SYNC });
    try {
      // What a kiosk that stopped between the hub's acceptance and the rename leaves behind.
      const next = createNextSigningKey(dir, null);
      const transport = createHubTransport({ hubUrl: operator.hub.url, deviceKey: kiosk.deviceKey, keepAlive: false });
      await registerNextKey(transport, kiosk.deviceKey.deviceId, next);
      transport.close();
      kiosk.provisioning.startBackgroundSync();
      await eventually(() => kiosk.deviceKey.publicKeyBase64 === next.publicKeyBase64, 'the waiting key to be promoted');
      const verdict = kiosk.submitScan(scanOf('VHD1|after the recovery'));
      await eventually(() => hubNonces(operator.db).includes(verdict.checkinId), 'an upload signed by the recovered key');
      expect(existsSync(join(dir, 'device-key.next.pem'))).toBe(false);
    } finally {
      await kiosk.shutdown();
    }
  });

  it('pccovid-kiosk sync uploads to the hub it was provisioned with; an unknown venue gets no ticket', async () => {
    const dir = await provisioned();
    const kiosk = openKioskCore({ dataDir: dir });
    const verdict = kiosk.submitScan(scanOf('VHD1|synced by hand'));
    await kiosk.shutdown();
    const synced = await kioskCli('sync', '--data-dir', dir);
    expect(synced).toMatchObject({ code: 0, state: { pendingCount: 0 } });
    expect(hubNonces(operator.db)).toContain(verdict.checkinId);
    expect((await kioskCli('sync', '--data-dir', freshDir())).stderr).toMatch(/sync needs --hub URL .*not provisioned/);
    await expect(operator.ticket('NOPE')).rejects.toThrow(/no venue or lane "NOPE"/);
  });

  it('moved at the hub (device assign): the kiosk takes its new lane and mode at the next sync', async () => {
    const dir = await provisioned('HN-01');
    const kiosk = openKioskCore({ dataDir: dir, backgroundSync: true, syncTuning: FAST_SYNC });
    try {
      expect(kiosk.info()).toMatchObject({ mode: 'venue', venueName: 'Nội Bài T2' });
      await hubCli('device', 'assign', '--data-dir', operator.hubDir, '--device', kiosk.deviceKey.deviceId, '--venue', 'HN-01-L1');
      kiosk.provisioning.startBackgroundSync();
      await eventually(() => kiosk.info().mode === 'border', 'the new assignment');
      expect(kiosk.info().venueName).toBe('Nội Bài T2 · Lane 1');
      const verdict = kiosk.submitScan(scanOf('VHD1|in the lane'));
      await eventually(() => hubNonces(operator.db).includes(verdict.checkinId), 'the lane check-in');
      expect(operator.db.prepare('SELECT venue, lane FROM checkins WHERE nonce = ?').get(verdict.checkinId)).toEqual({ venue: 'HN-01', lane: 'HN-01-L1' });
    } finally {
      await kiosk.shutdown();
    }
  });

  it('revoked at the hub: the next sync wipes check-ins, outbox, keys and bundles; the kiosk is unprovisioned', async () => {
    const dir = await provisioned();
    const kiosk = openKioskCore({ dataDir: dir, backgroundSync: true, syncTuning: FAST_SYNC, allowDemo: false });
    try {
      const deviceId = kiosk.deviceKey.deviceId;
      kiosk.submitScan(scanOf('PC1:damaged'));
      expect(checkinCount(kiosk)).toBe(1);
      await hubCli('device', 'revoke', '--data-dir', operator.hubDir, '--device', deviceId, '--reason', 'stolen');
      kiosk.submitScan(scanOf('PC1:damaged-again'));
      kiosk.provisioning.startBackgroundSync();
      await eventually(() => kiosk.provisioning.state().step === 'unprovisioned', 'the wipe after revocation');
      expect(kiosk.provisioning.state()).toMatchObject({ error: { code: 'device_revoked' }, deviceId: null, demo: true });
      expect(checkinCount(kiosk)).toBe(0);
      for (const file of ['provisioning.json', 'device-sealing-key.pem', 'bundles']) expect(existsSync(join(dir, file))).toBe(false);
      // Still running, refusing to decide until provisioned again (no crash, no demo trust).
      expect(kiosk.info()).toMatchObject({ provisioning: 'unprovisioned', demo: false });
      expect(kiosk.submitScan(scanOf('PC1:anything')).reasons).toEqual([{ code: 'kiosk_not_provisioned' }]);
      expect(checkinCount(kiosk)).toBe(0);
    } finally {
      await kiosk.shutdown();
    }
  });

  it('factory reset over IPC needs the console PIN again and a fresh confirmation token', async () => {
    const dir = await provisioned();
    const kiosk = openKioskCore({ dataDir: dir });
    const logger = moduleLogger('test');
    const call = (channel: Parameters<typeof handleIpcRequest>[1], request: unknown): unknown => {
      const answer = handleIpcRequest(kiosk, channel, request, logger);
      if (!answer.ok) throw new Error(answer.error.message);
      return answer.value;
    };
    try {
      kiosk.submitScan(scanOf('PC1:damaged'));
      const pin = String(getSetting(kiosk.db, 'console_pin'));
      const wrongPin = pin === '000000' ? '111111' : '000000';
      const prepared = call('provision:reset-prepare', {}) as { token: string; pendingCheckins: number };
      expect(prepared.pendingCheckins).toBe(1);
      expect(call('provision:factory-reset', { pin: wrongPin, token: prepared.token })).toMatchObject({ result: 'refused', code: 'wrong_pin' });
      expect(call('provision:factory-reset', { pin, token: 'not-the-token' })).toMatchObject({ result: 'refused', code: 'bad_token' });
      // A token is good once: the refusal above used it up.
      expect(call('provision:factory-reset', { pin, token: prepared.token })).toMatchObject({ result: 'refused', code: 'bad_token' });
      const fresh = call('provision:reset-prepare', {}) as { token: string };
      expect(call('provision:factory-reset', { pin, token: fresh.token })).toMatchObject({ result: 'wiped' });
      await kiosk.provisioning.idle();
      expect(call('provision:state', {})).toMatchObject({ step: 'unprovisioned', error: null });
      expect(checkinCount(kiosk)).toBe(0);
      expect(existsSync(join(dir, 'provisioning.json'))).toBe(false);
    } finally {
      await kiosk.shutdown();
    }
  });

  // Last in this file: it publishes status data, after which every new kiosk needs its epoch key.
  it('a kiosk enrolled after the status key was sealed waits for the operator, then its first sync goes through', async () => {
    await hubCli('status', 'record', '--data-dir', operator.hubDir, '--id', 'VN-ID:079190009999', '--event', 'vaccination', '--date', '2021-09-01');
    await hubCli('publish-epoch-keys', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--epoch', '1');
    await hubCli('publish-status', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--epoch', '1');
    const dir = freshDir();
    const first = await kioskCli('provision', '--enrol', await operator.ticket('HN-01'), '--data-dir', dir, '--yes');
    expect(first.code).toBe(1);
    expect(first.state).toMatchObject({ step: 'first_sync', error: { code: 'bundle_refused' } });
    expect(first.stderr).toMatch(/publish-epoch-keys/);
    await hubCli('publish-epoch-keys', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--epoch', '1');
    const again = await kioskCli('provision', '--data-dir', dir, '--skip-scanner-test');
    expect(again.state).toMatchObject({ step: 'ready', error: null });
    expect(again.code).toBe(0);
  });
});
