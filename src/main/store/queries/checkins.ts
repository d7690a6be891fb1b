// Check-in rows: one per verdict, written before the verdict is shown.
import type { CheckinSummary } from '../../../common/ipc/contract.js';
import type { ReasonCode } from '../../../common/types/reasons.js';
import type { Verdict } from '../../../common/types/verdict.js';
import type { ReadableDB, WritableDB } from '../database.js';
import { cachedStatement } from '../statement-cache.js';

export interface NewCheckin {
  id: string;
  verdict: Verdict;
  source: string;
  venue: string;
  /** Device id of the key that will sign its upload ("dev-…"). */
  device: string;
  lane: string | null;
  /** Monotonic clock at the decision (ms since boot) and that boot's id. */
  monotonicMs: number;
  bootId: string;
  /** The subject sealed to the health authority (HPKE enc || ciphertext); null when none was read. */
  sealedSubject: Buffer | null;
  sealKeyId: string | null;
  /** Keyed pseudonym of the subject for local duplicate detection; null when none was read. */
  pseudonym: Buffer | null;
}

/** A staff override of an earlier verdict (the override feature comes with the rules issue). */
export interface NewOverride {
  id: string;
  overrides: string;
  outcome: CheckinSummary['outcome'];
  reason: string;
  at: number;
  source: string;
  venue: string;
  device: string;
  lane: string | null;
  monotonicMs: number;
  bootId: string;
}

interface CheckinRow {
  id: string;
  at: number;
  outcome: CheckinSummary['outcome'];
  readable: number;
  reason_codes: string;
  credential_kind: CheckinSummary['credentialKind'];
  source: string;
}

export function insertCheckin(db: WritableDB, checkin: NewCheckin): void {
  cachedStatement(
    db,
    
    `INSERT INTO checkins (id, kind, at, outcome, readable, reason_codes, credential_kind, source, venue,
                           device, lane, monotonic_ms, boot_id, sealed_subject, seal_key_id, pseudonym)
     VALUES (?, 'verdict', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    checkin.id,
    checkin.verdict.decidedAt,
    checkin.verdict.outcome,
    checkin.verdict.readable ? 1 : 0,
    JSON.stringify(checkin.verdict.reasons.map((reason) => reason.code)),
    checkin.verdict.credentialKind,
    checkin.source,
    checkin.venue,
    checkin.device,
    checkin.lane,
    checkin.monotonicMs,
    checkin.bootId,
    checkin.sealedSubject,
    checkin.sealKeyId,
    checkin.pseudonym,
  );
}

export function insertOverride(db: WritableDB, override: NewOverride): void {
  db.prepare(
    `INSERT INTO checkins (id, kind, at, outcome, readable, reason_codes, credential_kind, source, venue,
                           device, lane, monotonic_ms, boot_id, overrides, override_reason)
     VALUES (?, 'override', ?, ?, 1, '[]', NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    override.id,
    override.at,
    override.outcome,
    override.source,
    override.venue,
    override.device,
    override.lane,
    override.monotonicMs,
    override.bootId,
    override.overrides,
    override.reason,
  );
}

/** What an override needs to know of a row: its kind, its outcome, and whether it was overridden already. */
export interface OverrideTarget {
  kind: 'verdict' | 'override';
  outcome: CheckinSummary['outcome'];
  overridden: boolean;
}

export function overrideTarget(db: ReadableDB, id: string): OverrideTarget | undefined {
  const row = cachedStatement(
    db,
    `SELECT kind, outcome,
            EXISTS (SELECT 1 FROM checkins AS o WHERE o.kind = 'override' AND o.overrides = c.id) AS overridden
     FROM checkins AS c WHERE c.id = ?`,
  ).get(id) as { kind: OverrideTarget['kind']; outcome: OverrideTarget['outcome']; overridden: number } | undefined;
  return row === undefined ? undefined : { kind: row.kind, outcome: row.outcome, overridden: row.overridden === 1 };
}

/** Verdict rows of one pseudonym since a time: the duplicate check of the rules issue. */
export function countCheckinsByPseudonym(db: ReadableDB, pseudonym: Buffer, sinceMs: number): number {
  return (
    db.prepare("SELECT count(*) AS n FROM checkins WHERE pseudonym = ? AND at >= ? AND kind = 'verdict'").get(pseudonym, sinceMs) as {
      n: number;
    }
  ).n;
}

export function recentCheckins(db: ReadableDB, limit: number): CheckinSummary[] {
  const rows = db
    .prepare(
      `SELECT id, at, outcome, readable, reason_codes, credential_kind, source
       FROM checkins ORDER BY id DESC LIMIT ?`,
    )
    .all(limit) as CheckinRow[];
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    outcome: row.outcome,
    readable: row.readable === 1,
    reasonCodes: JSON.parse(row.reason_codes) as ReasonCode[],
    credentialKind: row.credential_kind,
    source: row.source,
  }));
}

export function countCheckins(db: ReadableDB): number {
  return (db.prepare('SELECT count(*) AS n FROM checkins').get() as { n: number }).n;
}
