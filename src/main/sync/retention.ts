// Retention: rows the hub acknowledged are deleted once the tracing window has passed (21 days
// unless the policy says otherwise); rows not uploaded are never deleted, only counted and shown.
// The pseudonym keys of past days are deleted too, so old pseudonyms link to no one.
import type { WritableDB } from '../store/database.js';
import { deletePseudonymKeysBefore, purgeUploaded, setSyncState } from '../store/queries/outbox.js';
import { dayOf } from './checkin-sealer.js';

export const DEFAULT_TRACING_WINDOW_DAYS = 21;
const DAY_MS = 86_400_000;

export interface PurgeResult {
  deletedCheckins: number;
  deletedPseudonymKeys: number;
}

export function applyRetention(db: WritableDB, nowMs: number, tracingWindowDays: number = DEFAULT_TRACING_WINDOW_DAYS): PurgeResult {
  if (!Number.isFinite(tracingWindowDays) || tracingWindowDays < 1) {
    throw new Error(`the tracing window must be at least one day, not ${tracingWindowDays}`);
  }
  return db.transaction(() => {
    const deletedCheckins = purgeUploaded(db, nowMs - tracingWindowDays * DAY_MS);
    // Yesterday's key stays: a person scanned at 23:59 and again at 00:01 is still one visit.
    const deletedPseudonymKeys = deletePseudonymKeysBefore(db, dayOf(nowMs) - 1);
    setSyncState(db, 'last_purge_at', nowMs);
    return { deletedCheckins, deletedPseudonymKeys };
  })();
}
