// The outbox: check-in rows the hub has not acknowledged yet, and what happens to them after
// (acknowledged, parked, purged). Rows leave the log only through purgeUploaded.
import type { CheckinKind } from '../../../common/sync/checkin-wire.js';
import type { CredentialKind } from '../../../common/types/credential.js';
import type { Outcome } from '../../../common/types/verdict.js';
import type { ReadableDB, WritableDB } from '../database.js';
import { cachedStatement } from '../statement-cache.js';

export interface OutboxRow {
  id: string;
  kind: CheckinKind;
  at: number;
  outcome: Outcome;
  readable: number;
  reason_codes: string;
  credential_kind: CredentialKind | null;
  source: string;
  venue: string;
  lane: string | null;
  monotonic_ms: number | null;
  boot_id: string | null;
  sealed_subject: Buffer | null;
  seal_key_id: string | null;
  overrides: string | null;
  override_reason: string | null;
}

/** The oldest rows waiting for upload, oldest first. */
export function pendingCheckins(db: ReadableDB, limit: number, afterId = ''): OutboxRow[] {
  return cachedStatement(
    db,
    `SELECT id, kind, at, outcome, readable, reason_codes, credential_kind, source, venue, lane, monotonic_ms,
            boot_id, sealed_subject, seal_key_id, overrides, override_reason
     FROM checkins INDEXED BY checkins_outbox
     WHERE uploaded_at IS NULL AND parked_at IS NULL AND id > ?
     ORDER BY id LIMIT ?`,
  ).all(afterId, limit) as OutboxRow[];
}

/** Marks rows the hub acknowledged (stored now or earlier); one transaction. */
export function markUploaded(db: WritableDB, ids: readonly string[], atMs: number): void {
  const update = cachedStatement(db, 'UPDATE checkins SET uploaded_at = ? WHERE id = ? AND uploaded_at IS NULL');
  db.transaction(() => {
    for (const id of ids) update.run(atMs, id);
  })();
}

export interface ParkedRecord {
  id: string;
  /** "code: sentence" as the hub gave it. */
  reason: string;
}

/**
 * Parks every check-in still waiting to upload, with one reason: what a kiosk logged before it
 * was provisioned (demo passes, decided with its own demo authority) stays on the kiosk, listed
 * for staff, and never reaches the real hub. Returns how many were parked.
 */
export function parkWaitingCheckins(db: WritableDB, reason: string, atMs: number): number {
  return cachedStatement(db, 'UPDATE checkins SET parked_at = ?, park_reason = ? WHERE uploaded_at IS NULL AND parked_at IS NULL').run(atMs, reason.slice(0, 500)).changes;
}

/** Rows the hub refused: kept with the reason, shown to staff, never resent by themselves. */
export function parkCheckins(db: WritableDB, parked: readonly ParkedRecord[], atMs: number): void {
  const update = cachedStatement(db, 'UPDATE checkins SET parked_at = ?, park_reason = ? WHERE id = ? AND uploaded_at IS NULL');
  db.transaction(() => {
    for (const record of parked) update.run(atMs, record.reason.slice(0, 500), record.id);
  })();
}

export interface OutboxSummary {
  pendingCount: number;
  oldestPendingAt: number | null;
  parkedCount: number;
  oldestParkedAt: number | null;
  /** Acknowledged by the hub, kept until the tracing window has passed. */
  uploadedCount: number;
}

export function outboxSummary(db: ReadableDB): OutboxSummary {
  const pending = cachedStatement(
    db,
    'SELECT count(*) AS n, min(at) AS oldest FROM checkins INDEXED BY checkins_outbox WHERE uploaded_at IS NULL AND parked_at IS NULL',
  ).get() as { n: number; oldest: number | null };
  const parked = cachedStatement(
    db,
    'SELECT count(*) AS n, min(at) AS oldest FROM checkins INDEXED BY checkins_parked WHERE parked_at IS NOT NULL',
  ).get() as { n: number; oldest: number | null };
  const uploaded = cachedStatement(db, 'SELECT count(*) AS n FROM checkins WHERE uploaded_at IS NOT NULL').get() as { n: number };
  return {
    pendingCount: pending.n,
    oldestPendingAt: pending.oldest,
    parkedCount: parked.n,
    oldestParkedAt: parked.oldest,
    uploadedCount: uploaded.n,
  };
}

/** The parked rows' reasons, newest first, for staff. */
export function parkedCheckins(db: ReadableDB, limit: number): { id: string; at: number; reason: string }[] {
  return cachedStatement(
    db,
    'SELECT id, at, park_reason AS reason FROM checkins INDEXED BY checkins_parked WHERE parked_at IS NOT NULL ORDER BY id DESC LIMIT ?',
  ).all(limit) as { id: string; at: number; reason: string }[];
}

/**
 * Deletes rows the hub acknowledged whose check-in is older than `beforeMs` (the tracing
 * window). Rows not uploaded (pending or parked) are never deleted here, or anywhere.
 */
export function purgeUploaded(db: WritableDB, beforeMs: number): number {
  return cachedStatement(db, 'DELETE FROM checkins WHERE uploaded_at IS NOT NULL AND at < ?').run(beforeMs).changes;
}

export type SyncStateKey = 'last_success_at' | 'last_attempt_at' | 'last_error' | 'last_purge_at';

export function getSyncState(db: ReadableDB, key: SyncStateKey): unknown {
  const row = cachedStatement(db, 'SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
}

export function setSyncState(db: WritableDB, key: SyncStateKey, value: unknown): void {
  cachedStatement(db, 'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(value ?? null),
  );
}

/** The pseudonym key of one UTC day, made on first use. */
export function pseudonymKeyFor(db: WritableDB, day: number, makeKey: () => Buffer): Buffer {
  const existing = cachedStatement(db, 'SELECT key FROM pseudonym_keys WHERE day = ?').get(day) as { key: Buffer } | undefined;
  if (existing !== undefined) return existing.key;
  cachedStatement(db, 'INSERT INTO pseudonym_keys (day, key) VALUES (?, ?) ON CONFLICT (day) DO NOTHING').run(day, makeKey());
  return (cachedStatement(db, 'SELECT key FROM pseudonym_keys WHERE day = ?').get(day) as { key: Buffer }).key;
}

export function deletePseudonymKeysBefore(db: WritableDB, day: number): number {
  return cachedStatement(db, 'DELETE FROM pseudonym_keys WHERE day < ?').run(day).changes;
}
