// Enrolment by one-time token, revocation and key rotation, against the real hub on loopback.
import { generateKeyPairSync, sign } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_TIME_PATH } from '../../src/common/sync/checkin-wire.js';
import { ROTATE_KEY_PATH, enrolmentTicketSchema, rotateProofMessage } from '../../src/common/sync/enrolment-wire.js';
import { runHubCli } from '../../src/hub/cli/main.js';
import { createSqliteDeviceRegistry } from '../../src/hub/enrolment/device-registry.js';
import { rawPublicKey } from '../../src/hub/publisher/signing-key.js';
import { startHubServer, type RunningHub } from '../../src/hub/server.js';
import { openHubDataDir, type HubWritableDB } from '../../src/hub/store/hub-database.js';
import { tempRoot } from '../sync/harness.js';
import { enrolDevice, makeTestDevice, signedRequest } from './signed-client.js';
import { captureIo } from '../../src/common/cli/cli-io.js';

describe('device enrolment', () => {
  const root = tempRoot('enrol');
  const dataDir = join(root, 'hub');
  const publisherDir = join(root, 'publisher');
  let db: HubWritableDB;
  let hub: RunningHub;

  beforeAll(async () => {
    expect(await runHubCli(['init', '--dir', publisherDir], captureIo())).toBe(0);
    db = openHubDataDir(dataDir);
    hub = await startHubServer({ db });
  });
  afterAll(async () => {
    await hub.close();
    db.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function issueTicket(): Promise<{ token: string; hub: string; root: string }> {
    const io = captureIo();
    expect(await runHubCli(['enrol-token', '--data-dir', dataDir, '--hub-url', hub.url, '--dir', publisherDir, '--label', 'Lane 3'], io)).toBe(0);
    const first = JSON.parse(io.lines.out[0] ?? '{}') as { ticket: string };
    const ticket = enrolmentTicketSchema.parse(JSON.parse(first.ticket));
    // The QR code for the technician follows the JSON on the terminal.
    expect(io.lines.out[1]).toMatch(/[▀▄█]/);
    return ticket;
  }

  it('issues a ticket with the hub URL, a token and the root fingerprint; the token enrols one device once', async () => {
    const ticket = await issueTicket();
    expect(ticket.hub).toBe(hub.url);
    expect(ticket.root).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){15}$/);
    const kiosk = makeTestDevice();
    const enrolled = await enrolDevice(hub.url, kiosk, ticket.token);
    expect(enrolled.status).toBe(200);
    expect(kiosk.deviceId).toMatch(/^dev-[0-9a-f]{32}$/);
    expect((await signedRequest(hub.url, kiosk, 'GET', HUB_TIME_PATH)).status).toBe(200);
    expect(createSqliteDeviceRegistry(db).sealingKey(kiosk.deviceId ?? '')?.toString('hex')).toBe(kiosk.sealingPublicKeyHex);

    const other = makeTestDevice();
    const again = await enrolDevice(hub.url, other, ticket.token);
    expect(again.status).toBe(401);
    expect(again.json).toMatchObject({ error: { code: 'token_used' } });
    expect((await signedRequest(hub.url, other, 'GET', HUB_TIME_PATH)).json).toMatchObject({ error: { code: 'unknown_device' } });
  });

  it('refuses an expired token, an unknown one and a proof not made by the key', async () => {
    const registry = createSqliteDeviceRegistry(db);
    const expired = registry.issueToken(null, 1000, Date.now() - 5000);
    expect((await enrolDevice(hub.url, makeTestDevice(), expired.token)).json).toMatchObject({ error: { code: 'token_expired' } });
    expect((await enrolDevice(hub.url, makeTestDevice(), 'A'.repeat(43))).json).toMatchObject({ error: { code: 'token_unknown' } });
    const fresh = registry.issueToken(null, 60_000, Date.now());
    const forged = await enrolDevice(hub.url, makeTestDevice(), fresh.token, generateKeyPairSync('ed25519').privateKey);
    expect(forged.status).toBe(401);
    expect(forged.json).toMatchObject({ error: { code: 'bad_proof' } });
    // A refused attempt does not use the token up.
    expect((await enrolDevice(hub.url, makeTestDevice(), fresh.token)).status).toBe(200);
  });

  it('answers a revoked device 401 device_revoked on its next request', async () => {
    const kiosk = makeTestDevice();
    expect((await enrolDevice(hub.url, kiosk, (await issueTicket()).token)).status).toBe(200);
    const io = captureIo();
    expect(await runHubCli(['device', 'revoke', '--data-dir', dataDir, '--device', kiosk.deviceId ?? '', '--reason', 'stolen'], io)).toBe(0);
    const refused = await signedRequest(hub.url, kiosk, 'GET', HUB_TIME_PATH);
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: { code: 'device_revoked', message: expect.stringMatching(/wiped and enrolled again/) } });
    const twice = captureIo();
    expect(await runHubCli(['device', 'revoke', '--data-dir', dataDir, '--device', kiosk.deviceId ?? ''], twice)).toBe(1);
    expect(twice.stderr).toMatch(/nothing was changed/);
  });

  it('rotates a device key by a request signed with the old key; the old key stops working', async () => {
    const kiosk = makeTestDevice();
    expect((await enrolDevice(hub.url, kiosk, (await issueTicket()).token)).status).toBe(200);
    const deviceId = kiosk.deviceId ?? '';
    const next = generateKeyPairSync('ed25519');
    const nextPublic = Buffer.from(rawPublicKey(next.publicKey, 'Ed25519')).toString('base64');
    const badProof = sign(null, Buffer.from(rotateProofMessage(deviceId, nextPublic)), kiosk.signingKey).toString('base64');
    expect((await signedRequest(hub.url, kiosk, 'POST', ROTATE_KEY_PATH, { body: { newSigningPublicKey: nextPublic, proof: badProof } })).json).toMatchObject({
      error: { code: 'bad_proof' },
    });
    const proof = sign(null, Buffer.from(rotateProofMessage(deviceId, nextPublic)), next.privateKey).toString('base64');
    const rotated = await signedRequest(hub.url, kiosk, 'POST', ROTATE_KEY_PATH, { body: { newSigningPublicKey: nextPublic, proof } });
    expect(rotated.status).toBe(200);
    expect((await signedRequest(hub.url, kiosk, 'GET', HUB_TIME_PATH)).json).toMatchObject({ error: { code: 'bad_signature' } });
    expect((await signedRequest(hub.url, { deviceId, signingKey: next.privateKey }, 'GET', HUB_TIME_PATH)).status).toBe(200);
  });
});
