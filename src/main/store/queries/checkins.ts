// Check-in rows: one per verdict, written before the verdict is shown.
import type { CheckinSummary } from '../../../common/ipc/contract.js';
import type { ReasonCode } from '../../../common/types/reasons.js';
import type { Verdict } from '../../../common/types/verdict.js';
import type { ReadableDB, WritableDB } from '../database.js';

export interface NewCheckin {
  id: string;
  verdict: Verdict;
  source: string;
  venue: string;
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
  db.prepare(
    `INSERT INTO checkins (id, at, outcome, readable, reason_codes, credential_kind, source, venue)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    checkin.id,
    checkin.verdict.decidedAt,
    checkin.verdict.outcome,
    checkin.verdict.readable ? 1 : 0,
    JSON.stringify(checkin.verdict.reasons.map((reason) => reason.code)),
    checkin.verdict.credentialKind,
    checkin.source,
    checkin.venue,
  );
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
