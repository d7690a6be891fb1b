// From a log row to the record the hub receives (checkin-wire.ts).
import type { CheckinRecord } from '../../common/sync/checkin-wire.js';
import type { ReasonCode } from '../../common/types/reasons.js';
import type { OutboxRow } from '../store/queries/outbox.js';
import { HPKE_SUITE } from './hpke.js';

export function checkinRecordOf(row: OutboxRow): CheckinRecord {
  return {
    nonce: row.id,
    kind: row.kind,
    venue: row.venue,
    lane: row.lane,
    at: row.at,
    monotonicMs: row.monotonic_ms,
    bootId: row.boot_id,
    outcome: row.outcome,
    readable: row.readable === 1,
    reasonCodes: JSON.parse(row.reason_codes) as ReasonCode[],
    credentialKind: row.credential_kind,
    source: row.source,
    subject:
      row.sealed_subject === null || row.seal_key_id === null
        ? null
        : { suite: HPKE_SUITE, keyId: row.seal_key_id, sealed: row.sealed_subject.toString('base64') },
    overrides: row.overrides,
    overrideReason: row.override_reason,
  };
}
