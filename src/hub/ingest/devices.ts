// Devices the hub accepts requests from, known by their Ed25519 public key. Enrolment by
// one-time token comes later (issue 10); until then an operator adds a device's key with
// `pccovid-hub device add --data-dir D --public-key <base64>`.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { HubReadableDB, HubWritableDB } from '../store/hub-database.js';
import { HubStoreError } from '../store/hub-store-error.js';
import { cachedStatement } from '../store/statement-cache.js';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface HubDevice {
  deviceId: string;
  publicKey: KeyObject;
  label: string | null;
}

/** The same derivation as the kiosk's (checkin-wire.ts): "dev-" + 16 bytes of SHA-256, hex. */
export function deviceIdOfPublicKey(raw: Uint8Array): string {
  return `dev-${createHash('sha256').update(raw).digest().subarray(0, 16).toString('hex')}`;
}

export function parseDevicePublicKey(base64: string): Buffer {
  const raw = Buffer.from(base64.trim(), 'base64');
  if (raw.length !== 32 || raw.toString('base64') !== base64.trim()) {
    throw new HubStoreError(
      'device_key_invalid',
      'The device public key must be the base64 of a raw 32-byte Ed25519 key, as the kiosk prints it.',
    );
  }
  return raw;
}

export function addDevice(db: HubWritableDB, raw: Buffer, label: string | null, nowMs: number): string {
  const deviceId = deviceIdOfPublicKey(raw);
  cachedStatement(
    db,
    `INSERT INTO devices (device_id, public_key, label, added_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (device_id) DO UPDATE SET label = coalesce(excluded.label, devices.label), revoked_at = NULL`,
  ).run(deviceId, raw, label, nowMs);
  return deviceId;
}

export function findDevice(db: HubReadableDB, deviceId: string): HubDevice | undefined {
  const row = cachedStatement(db, 'SELECT device_id, public_key, label FROM devices WHERE device_id = ? AND revoked_at IS NULL').get(
    deviceId,
  ) as { device_id: string; public_key: Buffer; label: string | null } | undefined;
  if (row === undefined) return undefined;
  return {
    deviceId: row.device_id,
    publicKey: createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, row.public_key]), format: 'der', type: 'spki' }),
    label: row.label,
  };
}

export function listDevices(db: HubReadableDB): { deviceId: string; label: string | null; addedAt: number }[] {
  return db.prepare('SELECT device_id AS deviceId, label, added_at AS addedAt FROM devices WHERE revoked_at IS NULL ORDER BY added_at').all() as {
    deviceId: string;
    label: string | null;
    addedAt: number;
  }[];
}
