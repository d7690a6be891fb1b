// Devices and their enrolment, behind an interface so a PostgreSQL store can replace the SQLite
// one: one-time tokens (issued by an operator, redeemed once before they expire), registration of
// a kiosk's keys, revocation and key rotation. Only token hashes are stored.
import { createHash, randomBytes } from 'node:crypto';
import type { HubReadableDB, HubWritableDB } from '../store/hub-database.js';
import { cachedStatement } from '../store/statement-cache.js';
import { deviceIdOfPublicKey } from '../ingest/devices.js';
import type { DeviceAssignment, DeviceMode } from '../../common/sync/enrolment-wire.js';

export const DEFAULT_TOKEN_TTL_MS = 24 * 3_600_000;

export interface IssuedToken {
  token: string;
  expiresAt: number;
}

export type DeviceKeyLookup =
  | { state: 'active'; publicKey: Buffer }
  | { state: 'revoked'; revokedAt: number; reason: string | null }
  | { state: 'unknown' };

export type RedeemResult =
  | { ok: true; deviceId: string; rootPublicKey: Buffer | null }
  | { ok: false; code: 'token_unknown' | 'token_used' | 'token_expired' | 'device_already_enrolled' };

export interface DeviceRecord {
  deviceId: string;
  label: string | null;
  addedAt: number;
  revokedAt: number | null;
  keyRotatedAt: number | null;
}

/** Where a token's device will stand: a venue or a lane (venues table), and how it decides. */
export interface TokenAssignment {
  venueId: string;
  mode: DeviceMode;
}

export interface DeviceRegistry {
  /**
   * rootPublicKey: the raw root key the kiosk will pin, handed to it when it enrols; assignment:
   * the venue or lane and mode the device takes over when it redeems the token.
   */
  issueToken(label: string | null, ttlMs: number, nowMs: number, rootPublicKey?: Uint8Array, assignment?: TokenAssignment): IssuedToken;
  /** The device's venue or lane and mode (GET /v1/devices/config); null when none was given. */
  assignment(deviceId: string): DeviceAssignment | null;
  /** Moves an active device; false when there is none with this id. */
  assign(deviceId: string, assignment: TokenAssignment): boolean;
  /** Registers the device's keys against a token, atomically: a token works once. */
  redeemToken(token: string, keys: { signing: Buffer; sealing: Buffer }, label: string | null, nowMs: number): RedeemResult;
  lookupKey(deviceId: string): DeviceKeyLookup;
  sealingKey(deviceId: string): Buffer | undefined;
  /** Every active device's X25519 sealing key (the hub seals each epoch key to each). */
  activeSealingKeys(): { deviceId: string; sealing: Buffer }[];
  /** Returns false when no such device is active. */
  revoke(deviceId: string, reason: string | null, nowMs: number): boolean;
  /** Replaces the signing key; the device keeps its id. False when the key is already someone's. */
  rotateKey(deviceId: string, newSigning: Buffer, nowMs: number): boolean;
  list(): DeviceRecord[];
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function createSqliteDeviceRegistry(db: HubWritableDB): DeviceRegistry {
  const reader: HubReadableDB = db;
  const redeem = db.transaction(
    (token: string, keys: { signing: Buffer; sealing: Buffer }, label: string | null, nowMs: number): RedeemResult => {
      const hash = tokenHash(token);
      const row = cachedStatement(db, 'SELECT label, expires_at, used_at, root_public_key, venue_id, mode FROM enrolment_tokens WHERE token_sha256 = ?').get(
        hash,
      ) as
        | { label: string | null; expires_at: number; used_at: number | null; root_public_key: Buffer | null; venue_id: string | null; mode: string | null }
        | undefined;
      if (row === undefined) return { ok: false, code: 'token_unknown' };
      if (row.used_at !== null) return { ok: false, code: 'token_used' };
      if (row.expires_at <= nowMs) return { ok: false, code: 'token_expired' };
      const deviceId = deviceIdOfPublicKey(keys.signing);
      const taken = cachedStatement(db, 'SELECT 1 FROM devices WHERE device_id = ? OR public_key = ?').get(deviceId, keys.signing);
      if (taken !== undefined) return { ok: false, code: 'device_already_enrolled' };
      cachedStatement(
        db,
        'INSERT INTO devices (device_id, public_key, label, added_at, sealing_public_key, venue_id, mode) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(deviceId, keys.signing, label ?? row.label, nowMs, keys.sealing, row.venue_id, row.mode);
      cachedStatement(db, 'UPDATE enrolment_tokens SET used_at = ?, device_id = ? WHERE token_sha256 = ?').run(nowMs, deviceId, hash);
      return { ok: true, deviceId, rootPublicKey: row.root_public_key };
    },
  );
  return {
    issueToken(label, ttlMs, nowMs, rootPublicKey, assignment) {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = nowMs + ttlMs;
      cachedStatement(
        db,
        'INSERT INTO enrolment_tokens (token_sha256, label, issued_at, expires_at, root_public_key, venue_id, mode) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        tokenHash(token),
        label,
        nowMs,
        expiresAt,
        rootPublicKey === undefined ? null : Buffer.from(rootPublicKey),
        assignment?.venueId ?? null,
        assignment?.mode ?? null,
      );
      return { token, expiresAt };
    },
    assign(deviceId, assignment) {
      return (
        cachedStatement(db, 'UPDATE devices SET venue_id = ?, mode = ? WHERE device_id = ? AND revoked_at IS NULL').run(assignment.venueId, assignment.mode, deviceId)
          .changes === 1
      );
    },
    assignment(deviceId) {
      const row = cachedStatement(
        reader,
        `SELECT d.mode, v.venue_id, v.name, v.kind, p.venue_id AS parent_id, p.name AS parent_name
         FROM devices d JOIN venues v ON v.venue_id = d.venue_id LEFT JOIN venues p ON p.venue_id = v.parent_id
         WHERE d.device_id = ? AND d.revoked_at IS NULL`,
      ).get(deviceId) as
        | { mode: string | null; venue_id: string; name: string; kind: string; parent_id: string | null; parent_name: string | null }
        | undefined;
      if (row === undefined) return null;
      const lane = row.kind === 'lane' && row.parent_id !== null;
      return {
        venueId: lane ? (row.parent_id ?? row.venue_id) : row.venue_id,
        venueName: lane ? (row.parent_name ?? row.name) : row.name,
        laneId: lane ? row.venue_id : null,
        laneName: lane ? row.name : null,
        mode: row.mode === 'border' || (row.mode === null && lane) ? 'border' : 'venue',
      };
    },
    redeemToken: (token, keys, label, nowMs) => redeem.immediate(token, keys, label, nowMs),
    lookupKey(deviceId) {
      const row = cachedStatement(reader, 'SELECT public_key, revoked_at, revoked_reason FROM devices WHERE device_id = ?').get(deviceId) as
        | { public_key: Buffer; revoked_at: number | null; revoked_reason: string | null }
        | undefined;
      if (row === undefined) return { state: 'unknown' };
      if (row.revoked_at !== null) return { state: 'revoked', revokedAt: row.revoked_at, reason: row.revoked_reason };
      return { state: 'active', publicKey: row.public_key };
    },
    sealingKey(deviceId) {
      const row = cachedStatement(reader, 'SELECT sealing_public_key FROM devices WHERE device_id = ? AND revoked_at IS NULL').get(deviceId) as
        | { sealing_public_key: Buffer | null }
        | undefined;
      return row?.sealing_public_key ?? undefined;
    },
    activeSealingKeys() {
      return cachedStatement(
        reader,
        'SELECT device_id AS deviceId, sealing_public_key AS sealing FROM devices WHERE revoked_at IS NULL AND sealing_public_key IS NOT NULL ORDER BY device_id',
      ).all() as { deviceId: string; sealing: Buffer }[];
    },
    revoke(deviceId, reason, nowMs) {
      return (
        cachedStatement(db, 'UPDATE devices SET revoked_at = ?, revoked_reason = ? WHERE device_id = ? AND revoked_at IS NULL').run(
          nowMs,
          reason,
          deviceId,
        ).changes === 1
      );
    },
    rotateKey(deviceId, newSigning, nowMs) {
      const taken = cachedStatement(db, 'SELECT 1 FROM devices WHERE public_key = ?').get(newSigning);
      if (taken !== undefined) return false;
      return (
        cachedStatement(db, 'UPDATE devices SET public_key = ?, key_rotated_at = ? WHERE device_id = ? AND revoked_at IS NULL').run(
          newSigning,
          nowMs,
          deviceId,
        ).changes === 1
      );
    },
    list() {
      return cachedStatement(
        reader,
        `SELECT device_id AS deviceId, label, added_at AS addedAt, revoked_at AS revokedAt, key_rotated_at AS keyRotatedAt
         FROM devices ORDER BY added_at, device_id`,
      ).all() as DeviceRecord[];
    },
  };
}
