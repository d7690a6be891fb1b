// Turns the earlier apps' records into unified subjects. Each record is matched to one subject
// (citizen id, else passport, else a phone number already on file, else it stands alone under
// its old id); its old id becomes an alias of that subject. A name or date of birth that differs
// from the subject's is recorded as a conflict and nothing is linked: never merged silently.
// Every write is keyed (alias, phone, conflict) so importing the same file again changes nothing.
import type { HealthStatus } from '../../common/types/credential.js';
import type { HubWritableDB } from '../store/hub-database.js';
import { cachedStatement } from '../store/statement-cache.js';
import { findSubject, RECORD_VALID_MS } from '../subjects/subjects.js';
import { readExport, type ImportApp, type ImportRecord } from './formats.js';

export type ImportOutcome = 'created' | 'linked' | 'unchanged' | 'conflict';

export interface ImportSummary {
  lines: number;
  created: number;
  linked: number;
  unchanged: number;
  conflicts: number;
  rejected: { line: number; problem: string }[];
}

/** Rows per transaction: bounded memory and a bounded loss on a crash (the import resumes by re-running). */
const BATCH_ROWS = 5_000;
/** At most this many rejected lines are kept for the report; the count goes on. */
const MAX_REJECTED_KEPT = 100;

function sameName(a: string, b: string): boolean {
  return a.normalize('NFC').toLocaleLowerCase('vi') === b.normalize('NFC').toLocaleLowerCase('vi');
}

function newEvent(db: HubWritableDB, subjectId: string, event: string, nowMs: number): number {
  return Number(
    cachedStatement(db, "INSERT INTO status_events (subject_id, event, event_date, recorded_at, operator) VALUES (?, ?, date(? / 1000, 'unixepoch'), ?, 'import')").run(
      subjectId,
      event,
      nowMs,
      nowMs,
    ).lastInsertRowid,
  );
}

function subjectIdOf(db: HubWritableDB, record: ImportRecord, alias: string): string {
  if (record.citizenId !== null) return `VN-ID:${record.citizenId}`;
  if (record.passport !== null) return `DOC:${record.passport.country}:${record.passport.number}`;
  const linked = cachedStatement(db, 'SELECT subject_id FROM subject_aliases WHERE alias = ?').pluck().get(alias) as string | undefined;
  if (linked !== undefined) return linked;
  if (record.phone !== null) {
    const byPhone = cachedStatement(db, 'SELECT subject_id FROM subject_phones WHERE phone = ?').pluck().get(record.phone) as string | undefined;
    if (byPhone !== undefined) return byPhone;
  }
  return alias;
}

export function applyImportRecord(db: HubWritableDB, record: ImportRecord, file: string, nowMs: number): ImportOutcome {
  const alias = `APP:${record.app}:${record.recordId}`;
  const subjectId = subjectIdOf(db, record, alias);
  const existing = findSubject(db, subjectId);
  let outcome: ImportOutcome = 'unchanged';
  if (existing !== undefined) {
    const clashes: { field: string; onFile: string; inImport: string }[] = [];
    if (record.name !== null && existing.name !== null && !sameName(record.name, existing.name)) {
      clashes.push({ field: 'name', onFile: existing.name, inImport: record.name });
    }
    if (record.dateOfBirth !== null && existing.dateOfBirth !== null && record.dateOfBirth !== existing.dateOfBirth) {
      clashes.push({ field: 'date_of_birth', onFile: existing.dateOfBirth, inImport: record.dateOfBirth });
    }
    if (clashes.length > 0) {
      for (const clash of clashes) {
        cachedStatement(
          db,
          `INSERT INTO import_conflicts (app, record_id, subject_id, field, on_file, in_import, file, line, found_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        ).run(record.app, record.recordId, subjectId, clash.field, clash.onFile, clash.inImport, file, record.line, nowMs);
      }
      return 'conflict';
    }
    if ((existing.name === null && record.name !== null) || (existing.dateOfBirth === null && record.dateOfBirth !== null)) {
      cachedStatement(db, 'UPDATE subjects SET name = coalesce(name, ?), date_of_birth = coalesce(date_of_birth, ?) WHERE subject_id = ?').run(
        record.name,
        record.dateOfBirth,
        subjectId,
      );
      outcome = 'linked';
    }
  } else {
    const seq = newEvent(db, subjectId, `import:${record.app}`, nowMs);
    cachedStatement(
      db,
      `INSERT INTO subjects (subject_id, name, date_of_birth, status, doses, last_dose_date, last_negative_test_at, recovery_date, valid_until, change_seq)
       VALUES (?, ?, ?, 'unknown', 0, NULL, NULL, NULL, ?, ?)`,
    ).run(subjectId, record.name, record.dateOfBirth, nowMs + RECORD_VALID_MS, seq);
    outcome = 'created';
  }
  const link = (from: string): void => {
    if (from === subjectId) return;
    const added = cachedStatement(db, 'INSERT INTO subject_aliases (alias, subject_id, app, imported_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      from,
      subjectId,
      record.app,
      nowMs,
    );
    if (added.changes === 1 && outcome === 'unchanged') outcome = 'linked';
  };
  link(alias);
  if (record.passport !== null && subjectId.startsWith('VN-ID:')) link(`DOC:${record.passport.country}:${record.passport.number}`);
  if (record.phone !== null) cachedStatement(db, 'INSERT INTO subject_phones (phone, subject_id) VALUES (?, ?) ON CONFLICT DO NOTHING').run(record.phone, subjectId);
  if (record.vaccination !== null) {
    const current = findSubject(db, subjectId);
    if (current !== undefined) {
      const doses = Math.max(current.record.doses, record.vaccination.doses);
      const last = record.vaccination.lastDoseDate;
      const lastDoseDate = last !== null && (current.record.lastDoseDate === null || last > current.record.lastDoseDate) ? last : current.record.lastDoseDate;
      if (doses !== current.record.doses || lastDoseDate !== current.record.lastDoseDate) {
        const status: HealthStatus = current.record.status === 'unknown' && doses >= 2 ? 'green' : current.record.status;
        const seq = newEvent(db, subjectId, `import-vaccination:${record.app}`, nowMs);
        cachedStatement(db, 'UPDATE subjects SET doses = ?, last_dose_date = ?, status = ?, valid_until = ?, change_seq = ? WHERE subject_id = ?').run(
          doses,
          lastDoseDate,
          status,
          nowMs + RECORD_VALID_MS,
          seq,
          subjectId,
        );
        if (outcome === 'unchanged') outcome = 'linked';
      }
    }
  }
  return outcome;
}

/** Imports one export, streaming; `onProgress` is called every few thousand lines. */
export async function importExport(
  db: HubWritableDB,
  app: ImportApp,
  path: string,
  options: { now?: () => number; onProgress?: (summary: ImportSummary) => void; input?: NodeJS.ReadableStream } = {},
): Promise<ImportSummary> {
  const now = options.now ?? Date.now;
  const summary: ImportSummary = { lines: 0, created: 0, linked: 0, unchanged: 0, conflicts: 0, rejected: [] };
  let rejectedCount = 0;
  let batch: ImportRecord[] = [];
  const flush = db.transaction((records: ImportRecord[]) => {
    const nowMs = now();
    for (const record of records) {
      const outcome = applyImportRecord(db, record, path, nowMs);
      switch (outcome) {
        case 'created':
          summary.created += 1;
          break;
        case 'linked':
          summary.linked += 1;
          break;
        case 'unchanged':
          summary.unchanged += 1;
          break;
        case 'conflict':
          summary.conflicts += 1;
          break;
        default: {
          const unreachable: never = outcome;
          throw new Error(`unknown outcome ${String(unreachable)}`);
        }
      }
    }
  });
  for await (const parsed of readExport(app, options.input ?? path)) {
    summary.lines += 1;
    if (parsed.ok) batch.push(parsed.record);
    else {
      rejectedCount += 1;
      if (summary.rejected.length < MAX_REJECTED_KEPT) summary.rejected.push({ line: parsed.line, problem: parsed.problem });
    }
    if (batch.length >= BATCH_ROWS) {
      flush(batch);
      batch = [];
      options.onProgress?.(summary);
    }
  }
  flush(batch);
  options.onProgress?.(summary);
  return { ...summary, rejected: summary.rejected.length < rejectedCount ? [...summary.rejected, { line: 0, problem: `${rejectedCount - summary.rejected.length} more lines rejected` }] : summary.rejected };
}
