// Every device request is signed (checkin-wire.ts, AUTH_HEADERS): the hub checks the device is
// known, the signature holds over method, path, body digest, timestamp and nonce, the timestamp
// is near its own clock, and the nonce is new for that device. The device row is read on every
// request (an indexed lookup), so a revocation or key rotation by another process counts at once;
// only the parsed key objects are cached, by their bytes.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import {
  AUTH_HEADERS,
  DEVICE_ID_PATTERN,
  REQUEST_CLOCK_TOLERANCE_MS,
  REQUEST_NONCE_PATTERN,
  canonicalRequestString,
  type HubErrorCode,
} from '../../common/sync/checkin-wire.js';
import type { HubWritableDB } from '../store/hub-database.js';
import { cachedStatement } from '../store/statement-cache.js';
import { createSqliteDeviceRegistry } from '../enrolment/device-registry.js';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const DEFAULT_MAX_CLOCK_SKEW_MS = REQUEST_CLOCK_TOLERANCE_MS;

export interface AuthRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type AuthResult =
  | { ok: true; deviceId: string }
  | { ok: false; status: 401; code: HubErrorCode; message: string; serverTime?: number };

export interface RequestAuthenticator {
  authenticate(request: AuthRequest): AuthResult;
}

function header(headers: AuthRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createRequestAuthenticator(db: HubWritableDB, now: () => number, maxSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS): RequestAuthenticator {
  const keys = new Map<string, KeyObject>();
  const registry = createSqliteDeviceRegistry(db);
  let lastNoncePurge = 0;

  function keyObjectOf(raw: Buffer): KeyObject {
    const hex = raw.toString('hex');
    const cached = keys.get(hex);
    if (cached !== undefined) return cached;
    if (keys.size > 10_000) keys.clear();
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    keys.set(hex, key);
    return key;
  }

  return {
    authenticate(request) {
      const deviceId = header(request.headers, AUTH_HEADERS.device);
      const timestampText = header(request.headers, AUTH_HEADERS.timestamp);
      const nonce = header(request.headers, AUTH_HEADERS.nonce);
      const signature = header(request.headers, AUTH_HEADERS.signature);
      if (deviceId === undefined || timestampText === undefined || nonce === undefined || signature === undefined) {
        return { ok: false, status: 401, code: 'missing_auth', message: 'The request is not signed by a device key.' };
      }
      if (!DEVICE_ID_PATTERN.test(deviceId) || !REQUEST_NONCE_PATTERN.test(nonce) || !/^\d{1,16}$/.test(timestampText)) {
        return { ok: false, status: 401, code: 'missing_auth', message: 'The request signature headers are malformed.' };
      }
      const lookup = registry.lookupKey(deviceId);
      if (lookup.state === 'unknown') {
        return {
          ok: false,
          status: 401,
          code: 'unknown_device',
          message: `Device ${deviceId} is not registered at this hub. Enrol it with a token (pccovid-hub enrol-token).`,
        };
      }
      if (lookup.state === 'revoked') {
        return {
          ok: false,
          status: 401,
          code: 'device_revoked',
          message: `Device ${deviceId} was revoked at this hub on ${new Date(lookup.revokedAt).toISOString()}; it must be wiped and enrolled again.`,
        };
      }
      const publicKey = keyObjectOf(lookup.publicKey);
      const timestamp = Number(timestampText);
      const serverTime = now();
      const bodySha256Hex = createHash('sha256').update(request.body).digest('hex');
      const canonical = canonicalRequestString({ method: request.method, path: request.url, bodySha256Hex, timestamp, nonce });
      if (!verify(null, Buffer.from(canonical, 'utf8'), publicKey, Buffer.from(signature, 'base64'))) {
        return { ok: false, status: 401, code: 'bad_signature', message: 'The request signature does not match the device key.' };
      }
      if (Math.abs(serverTime - timestamp) > maxSkewMs) {
        return {
          ok: false,
          status: 401,
          code: 'clock_skew',
          message: `The device clock is ${Math.round((timestamp - serverTime) / 1000)} s off the hub's; requests are accepted within ${maxSkewMs / 1000} s.`,
          serverTime,
        };
      }
      // Nonces older than twice the skew window can no longer pass the timestamp check.
      if (serverTime - lastNoncePurge > 60_000) {
        cachedStatement(db, 'DELETE FROM request_nonces WHERE seen_at < ?').run(serverTime - 2 * maxSkewMs);
        lastNoncePurge = serverTime;
      }
      const fresh = cachedStatement(db, 'INSERT INTO request_nonces (device_id, nonce, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(
        deviceId,
        nonce,
        serverTime,
      );
      if (fresh.changes === 0) {
        return { ok: false, status: 401, code: 'replayed_request', message: 'This request was already received once; it is not processed again.' };
      }
      return { ok: true, deviceId };
    },
  };
}
