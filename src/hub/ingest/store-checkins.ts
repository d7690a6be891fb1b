// Ingest of one batch: each record checked on its own and stored at most once, keyed by its
// nonce, in one transaction with the batch's delivery count. The answer lists every record:
// stored now, stored before (duplicate: the device may forget it), or rejected with a reason.
import { checkinRecordSchema, type CheckinRecord, type RecordResult } from '../../common/sync/checkin-wire.js';
import type { HubReadableDB, HubWritableDB } from '../store/hub-database.js';
import { cachedStatement } from '../store/statement-cache.js';

export interface IngestInput {
  deviceId: string;
  batchId: string;
  records: readonly unknown[];
  receivedAt: number;
}

function nonceOf(record: unknown): string {
  if (typeof record === 'object' && record !== null && 'nonce' in record && typeof record.nonce === 'string') {
    return record.nonce.slice(0, 64);
  }
  return '';
}

function insertValues(record: CheckinRecord, input: IngestInput): unknown[] {
  return [
    record.nonce,
    input.deviceId,
    input.batchId,
    input.receivedAt,
    record.kind,
    record.venue,
    record.lane,
    record.at,
    record.monotonicMs,
    record.bootId,
    record.outcome,
    record.readable ? 1 : 0,
    JSON.stringify(record.reasonCodes),
    record.credentialKind,
    record.source,
    record.subject?.suite ?? null,
    record.subject?.keyId ?? null,
    record.subject === null ? null : Buffer.from(record.subject.sealed, 'base64'),
    record.overrides,
    record.overrideReason,
  ];
}

export function ingestCheckins(db: HubWritableDB, input: IngestInput): RecordResult[] {
  const insert = cachedStatement(
    db,
    `INSERT INTO checkins (nonce, device_id, batch_id, received_at, kind, venue, lane, at, monotonic_ms, boot_id, outcome,
                           readable, reason_codes, credential_kind, source, seal_suite, seal_key_id, sealed_subject,
                           overrides, override_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (nonce) DO NOTHING`,
  );
  const ownerOf = cachedStatement(db, 'SELECT device_id FROM checkins WHERE nonce = ?').pluck();
  const noteBatch = cachedStatement(
    db,
    `INSERT INTO checkin_batches (device_id, batch_id, first_seen_at, last_seen_at, deliveries, records) VALUES (?, ?, ?, ?, 1, ?)
     ON CONFLICT (device_id, batch_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, deliveries = deliveries + 1`,
  );
  return db.transaction(() => {
    noteBatch.run(input.deviceId, input.batchId, input.receivedAt, input.receivedAt, input.records.length);
    const results: RecordResult[] = [];
    for (const raw of input.records) {
      const parsed = checkinRecordSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        results.push({
          nonce: nonceOf(raw),
          result: 'rejected',
          code: 'malformed_record',
          message: `The record does not match the check-in format (${issue === undefined ? 'unknown' : `${issue.path.join('.')}: ${issue.message}`}).`,
        });
        continue;
      }
      const record = parsed.data;
      if (insert.run(...insertValues(record, input)).changes === 1) {
        results.push({ nonce: record.nonce, result: 'stored' });
        continue;
      }
      const owner = ownerOf.get(record.nonce);
      if (owner === input.deviceId) {
        results.push({ nonce: record.nonce, result: 'duplicate' });
      } else {
        results.push({
          nonce: record.nonce,
          result: 'rejected',
          code: 'nonce_taken',
          message: 'Another device already sent a check-in with this nonce; this one is kept apart on the kiosk.',
        });
      }
    }
    return results;
  })();
}

export function countStoredCheckins(db: HubReadableDB): number {
  return (db.prepare('SELECT count(*) AS n FROM checkins').get() as { n: number }).n;
}
