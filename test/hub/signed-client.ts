// A device's side of the hub protocol for the hub tests: Ed25519 request signing as the kiosk
// does it (checkin-wire.ts) and enrolment with a ticket, over real HTTP on loopback.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AUTH_HEADERS, canonicalRequestString } from '../../src/common/sync/checkin-wire.js';
import { ENROL_PATH, enrolProofMessage } from '../../src/common/sync/enrolment-wire.js';
import { rawPublicKey } from '../../src/hub/publisher/signing-key.js';

export interface TestDevice {
  signingKey: KeyObject;
  signingPublicKey: string;
  sealingPrivateKey: KeyObject;
  sealingPublicKeyHex: string;
  deviceId: string | null;
}

export function makeTestDevice(): TestDevice {
  const signing = generateKeyPairSync('ed25519');
  const sealing = generateKeyPairSync('x25519');
  return {
    signingKey: signing.privateKey,
    signingPublicKey: Buffer.from(rawPublicKey(signing.publicKey, 'Ed25519')).toString('base64'),
    sealingPrivateKey: sealing.privateKey,
    sealingPublicKeyHex: Buffer.from(rawPublicKey(sealing.publicKey, 'X25519')).toString('hex'),
    deviceId: null,
  };
}

export interface HubAnswer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> | null;
  bytes: Buffer;
}

async function answer(response: Response): Promise<HubAnswer> {
  const bytes = Buffer.from(await response.arrayBuffer());
  let json: Record<string, unknown> | null = null;
  if ((response.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  return { status: response.status, headers: response.headers, json, bytes };
}

export async function enrolDevice(hubUrl: string, device: TestDevice, token: string, proofKey: KeyObject = device.signingKey): Promise<HubAnswer> {
  const proof = sign(null, Buffer.from(enrolProofMessage(token, device.signingPublicKey, device.sealingPublicKeyHex), 'utf8'), proofKey);
  const body = JSON.stringify({
    token,
    signingPublicKey: device.signingPublicKey,
    sealingPublicKey: device.sealingPublicKeyHex,
    proof: proof.toString('base64'),
  });
  const result = await answer(await fetch(`${hubUrl}${ENROL_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
  const deviceId = result.json?.['deviceId'];
  if (result.status === 200 && typeof deviceId === 'string') device.deviceId = deviceId;
  return result;
}

export async function signedRequest(
  hubUrl: string,
  device: { deviceId: string | null; signingKey: KeyObject },
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<HubAnswer> {
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(options.body), 'utf8');
  const timestamp = Date.now();
  const nonce = randomBytes(16).toString('hex');
  const canonical = canonicalRequestString({ method, path, bodySha256Hex: createHash('sha256').update(body).digest('hex'), timestamp, nonce });
  const headers: Record<string, string> = {
    [AUTH_HEADERS.device]: device.deviceId ?? 'dev-00000000000000000000000000000000',
    [AUTH_HEADERS.timestamp]: String(timestamp),
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.signature]: sign(null, Buffer.from(canonical, 'utf8'), device.signingKey).toString('base64'),
    ...options.headers,
  };
  if (method === 'POST') headers['content-type'] = 'application/json';
  return answer(await fetch(`${hubUrl}${path}`, { method, headers, ...(method === 'POST' ? { body } : {}) }));
}
