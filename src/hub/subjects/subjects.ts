// Venues, unified subjects and their status events, as plain query functions over the hub's
// database. A status event updates the subject's record by fixed rules (below) and is kept with
// who recorded it; publishing turns the records changed since the last publication into a delta.
import type { HealthStatus } from '../../common/types/credential.js';
import type { StatusRecord } from '../../common/bundle/status-record.js';
import type { HubReadableDB, HubWritableDB } from '../store/hub-database.js';
import { cachedStatement } from '../store/statement-cache.js';

export const STATUS_EVENTS = ['positive-test', 'negative-test', 'quarantine', 'vaccination', 'recovery'] as const;
export type StatusEvent = (typeof STATUS_EVENTS)[number];

/** How long a record holds after its last change: kiosks treat it as unknown afterwards. */
export const RECORD_VALID_MS = 30 * 86_400_000;

export class SubjectError extends Error {
  constructor(
    readonly code: 'venue_exists' | 'venue_unknown' | 'subject_unknown' | 'subject_conflict',
    message: string,
  ) {
    super(message);
    this.name = 'SubjectError';
  }
}

export interface SubjectRow {
  subjectId: string;
  name: string | null;
  dateOfBirth: string | null;
  record: StatusRecord;
  changeSeq: number;
}

interface RawSubject {
  subject_id: string;
  name: string | null;
  date_of_birth: string | null;
  status: HealthStatus;
  doses: number;
  last_dose_date: string | null;
  last_negative_test_at: number | null;
  recovery_date: string | null;
  valid_until: number;
  change_seq: number;
}

function rowOf(raw: RawSubject): SubjectRow {
  return {
    subjectId: raw.subject_id,
    name: raw.name,
    dateOfBirth: raw.date_of_birth,
    record: {
      status: raw.status,
      doses: raw.doses,
      lastDoseDate: raw.last_dose_date,
      lastNegativeTestAt: raw.last_negative_test_at,
      recoveryDate: raw.recovery_date,
      validUntil: raw.valid_until,
    },
    changeSeq: raw.change_seq,
  };
}

export function addVenue(db: HubWritableDB, venue: { id: string; name: string; laneOf: string | null }, nowMs: number): void {
  if (venue.laneOf !== null && cachedStatement(db, "SELECT 1 FROM venues WHERE venue_id = ? AND kind = 'venue'").get(venue.laneOf) === undefined) {
    throw new SubjectError('venue_unknown', `There is no venue "${venue.laneOf}" to add a lane to; create it first (pccovid-hub venue add).`);
  }
  const inserted = cachedStatement(
    db,
    'INSERT INTO venues (venue_id, name, kind, parent_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  ).run(venue.id, venue.name, venue.laneOf === null ? 'venue' : 'lane', venue.laneOf, nowMs);
  if (inserted.changes === 0) throw new SubjectError('venue_exists', `"${venue.id}" already exists; pick another id.`);
}

export function listVenues(db: HubReadableDB): { id: string; name: string; kind: string; laneOf: string | null }[] {
  return cachedStatement(db, 'SELECT venue_id AS id, name, kind, parent_id AS laneOf FROM venues ORDER BY venue_id').all() as {
    id: string;
    name: string;
    kind: string;
    laneOf: string | null;
  }[];
}

export function findSubject(db: HubReadableDB, subjectId: string): SubjectRow | undefined {
  const raw = cachedStatement(db, 'SELECT * FROM subjects WHERE subject_id = ?').get(subjectId) as RawSubject | undefined;
  return raw === undefined ? undefined : rowOf(raw);
}

function applyEvent(record: StatusRecord, event: StatusEvent, date: string, nowMs: number): StatusRecord {
  const validUntil = nowMs + RECORD_VALID_MS;
  switch (event) {
    case 'positive-test':
      return { ...record, status: 'red', recoveryDate: null, validUntil };
    case 'quarantine':
      return { ...record, status: record.status === 'red' ? 'red' : 'yellow', validUntil };
    case 'negative-test':
      return { ...record, lastNegativeTestAt: Date.parse(`${date}T00:00:00Z`), validUntil };
    case 'vaccination': {
      const doses = Math.min(255, record.doses + 1);
      const status: HealthStatus = record.status === 'unknown' && doses >= 2 ? 'green' : record.status;
      return { ...record, doses, lastDoseDate: date, status, validUntil };
    }
    case 'recovery':
      return { ...record, status: 'green', recoveryDate: date, validUntil };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/**
 * Records a status event. A new subject is created (name and date of birth optional); a name or
 * date of birth that differs from the one on file is refused, never overwritten.
 */
export function recordStatusEvent(
  db: HubWritableDB,
  input: { subjectId: string; event: StatusEvent; date: string; name?: string; dateOfBirth?: string; operator: string | null },
  nowMs: number,
): SubjectRow {
  return db.transaction((): SubjectRow => {
    const existing = findSubject(db, input.subjectId);
    if (existing !== undefined) {
      const clash =
        (input.name !== undefined && existing.name !== null && existing.name !== input.name.normalize('NFC')) ||
        (input.dateOfBirth !== undefined && existing.dateOfBirth !== null && existing.dateOfBirth !== input.dateOfBirth);
      if (clash) {
        throw new SubjectError('subject_conflict', `The name or date of birth given differs from the record of ${input.subjectId}; check the person's papers. Nothing was recorded.`);
      }
    }
    const before: StatusRecord = existing?.record ?? {
      status: 'unknown',
      doses: 0,
      lastDoseDate: null,
      lastNegativeTestAt: null,
      recoveryDate: null,
      validUntil: nowMs,
    };
    const record = applyEvent(before, input.event, input.date, nowMs);
    const seq = Number(
      cachedStatement(db, 'INSERT INTO status_events (subject_id, event, event_date, recorded_at, operator) VALUES (?, ?, ?, ?, ?)').run(
        input.subjectId,
        input.event,
        input.date,
        nowMs,
        input.operator,
      ).lastInsertRowid,
    );
    cachedStatement(
      db,
      `INSERT INTO subjects (subject_id, name, date_of_birth, status, doses, last_dose_date, last_negative_test_at, recovery_date, valid_until, change_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (subject_id) DO UPDATE SET
         name = coalesce(subjects.name, excluded.name), date_of_birth = coalesce(subjects.date_of_birth, excluded.date_of_birth),
         status = excluded.status, doses = excluded.doses, last_dose_date = excluded.last_dose_date,
         last_negative_test_at = excluded.last_negative_test_at, recovery_date = excluded.recovery_date,
         valid_until = excluded.valid_until, change_seq = excluded.change_seq`,
    ).run(
      input.subjectId,
      input.name?.normalize('NFC') ?? null,
      input.dateOfBirth ?? null,
      record.status,
      record.doses,
      record.lastDoseDate,
      record.lastNegativeTestAt,
      record.recoveryDate,
      record.validUntil,
      seq,
    );
    const after = findSubject(db, input.subjectId);
    if (after === undefined) throw new Error('the subject vanished inside its own transaction');
    return after;
  })();
}

/** The last event published, or null when no status snapshot was published yet. */
export function lastPublishedEvent(db: HubReadableDB): number | null {
  const value = cachedStatement(db, 'SELECT last_event_seq FROM status_publication WHERE id = 1').pluck().get() as number | undefined;
  return value ?? null;
}

export function markStatusPublished(db: HubWritableDB, lastEventSeq: number, nowMs: number): void {
  cachedStatement(
    db,
    'INSERT INTO status_publication (id, last_event_seq, published_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET last_event_seq = excluded.last_event_seq, published_at = excluded.published_at',
  ).run(lastEventSeq, nowMs);
}

/** Subjects changed after event `afterSeq` (all when null), in change order; streamed. */
export function* subjectsChangedAfter(db: HubReadableDB, afterSeq: number | null): Generator<SubjectRow> {
  for (const raw of cachedStatement(db, 'SELECT * FROM subjects WHERE change_seq > ? ORDER BY change_seq').iterate(afterSeq ?? -1)) {
    yield rowOf(raw as RawSubject);
  }
}

export function lastEventSeq(db: HubReadableDB): number {
  return (cachedStatement(db, 'SELECT coalesce(max(seq), 0) FROM status_events').pluck().get() as number | null) ?? 0;
}
