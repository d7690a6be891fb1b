// Reading check-ins is an audited act: only a registered operator, proving it with their private
// key (an Ed25519 signature over the query, the reason and the time), may read, and the read is
// recorded in the same transaction as it happens. Check-in subjects stay sealed here; only the
// authority's private sealing keys open them (open-subjects.ts), and a query that will open them
// says so (`subjects: true`), in the signed request and in the audit.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { HubReadableDB, HubWritableDB } from '../store/hub-database.js';
import { cachedStatement } from '../store/statement-cache.js';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const READ_CONTEXT = 'pccovid-checkin-read-v1';
/** A signed read request is good for this long: the operator's key signs each read afresh. */
export const READ_REQUEST_VALID_MS = 5 * 60_000;

export class CheckinAccessError extends Error {
  constructor(
    readonly code: 'operator_unknown' | 'bad_operator_signature' | 'request_stale' | 'reason_missing' | 'operator_key_invalid',
    message: string,
  ) {
    super(message);
    this.name = 'CheckinAccessError';
  }
}

export interface CheckinQuery {
  device: string | null;
  venue: string | null;
  from: number | null;
  to: number | null;
  /** The reader opens the subjects with the authority's sealing keys (recorded with the read). */
  subjects?: boolean;
}

export interface SignedReadRequest {
  operatorId: string;
  query: CheckinQuery;
  reason: string;
  at: number;
  signature: Buffer;
}

function operatorIdOf(raw: Buffer): string {
  return `op-${createHash('sha256').update(raw).digest().subarray(0, 8).toString('hex')}`;
}

function readMessage(request: Omit<SignedReadRequest, 'signature'>): Buffer {
  return Buffer.from([READ_CONTEXT, request.operatorId, JSON.stringify(request.query), request.reason, String(request.at)].join('\n'), 'utf8');
}

export function addOperator(db: HubWritableDB, name: string, publicKeyBase64: string, nowMs: number): string {
  const raw = Buffer.from(publicKeyBase64.trim(), 'base64');
  if (raw.length !== 32 || raw.toString('base64') !== publicKeyBase64.trim()) {
    throw new CheckinAccessError('operator_key_invalid', 'The operator public key must be the base64 of a raw 32-byte Ed25519 key.');
  }
  const operatorId = operatorIdOf(raw);
  cachedStatement(db, 'INSERT INTO operators (operator_id, name, public_key, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(operatorId, name, raw, nowMs);
  return operatorId;
}

/** What an operator's tool does with their private key. */
export function signReadRequest(privateKey: KeyObject, query: CheckinQuery, reason: string, at: number): SignedReadRequest {
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const operatorId = operatorIdOf(der.subarray(der.length - 32));
  const unsigned = { operatorId, query, reason, at };
  return { ...unsigned, signature: sign(null, readMessage(unsigned), privateKey) };
}

export interface CheckinRow {
  nonce: string;
  deviceId: string;
  venue: string;
  lane: string | null;
  at: number;
  kind: string;
  outcome: string;
  reasonCodes: string;
  credentialKind: string | null;
  /** The authority sealing key the subject was sealed to (null: no subject). */
  sealKeyId: string | null;
  /** Null unless the query asked for the subjects (`subjects: true`, recorded in the audit). */
  sealSuite: string | null;
  /** HPKE enc || ciphertext, as the kiosk sent it; null unless the query asked for the subjects. */
  sealedSubject: Buffer | null;
}

/** Verifies the operator's request, records the read, and returns the rows; all or nothing. */
export function readCheckins(db: HubWritableDB, request: SignedReadRequest, nowMs: number): CheckinRow[] {
  if (request.reason.trim().length < 10) {
    throw new CheckinAccessError('reason_missing', 'Give the reason for this read (at least 10 characters, e.g. the case number); it is recorded.');
  }
  const operator = cachedStatement(db, 'SELECT public_key FROM operators WHERE operator_id = ? AND revoked_at IS NULL').get(request.operatorId) as
    | { public_key: Buffer }
    | undefined;
  if (operator === undefined) throw new CheckinAccessError('operator_unknown', `Operator ${request.operatorId} may not read check-ins; an administrator adds operators with "pccovid-hub operator add".`);
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, operator.public_key]), format: 'der', type: 'spki' });
  const { signature, ...unsigned } = request;
  if (!verify(null, readMessage(unsigned), key, signature)) {
    throw new CheckinAccessError('bad_operator_signature', 'The read request is not signed by this operator\'s key; use your own key file.');
  }
  if (Math.abs(nowMs - request.at) > READ_REQUEST_VALID_MS) throw new CheckinAccessError('request_stale', 'The read request is older than 5 minutes; sign it again.');
  return db.transaction((): CheckinRow[] => {
    const q = request.query;
    const rows = cachedStatement(
      db,
      `SELECT nonce, device_id AS deviceId, venue, lane, at, kind, outcome, reason_codes AS reasonCodes, credential_kind AS credentialKind,
              seal_key_id AS sealKeyId,
              CASE WHEN @subjects = 1 THEN seal_suite END AS sealSuite, CASE WHEN @subjects = 1 THEN sealed_subject END AS sealedSubject
       FROM checkins WHERE (@device IS NULL OR device_id = @device) AND (@venue IS NULL OR venue = @venue) AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
       ORDER BY at, nonce`,
    ).all({ device: q.device, venue: q.venue, from: q.from, to: q.to, subjects: q.subjects === true ? 1 : 0 }) as CheckinRow[];
    cachedStatement(db, 'INSERT INTO checkin_reads (operator_id, read_at, reason, query, rows_returned) VALUES (?, ?, ?, ?, ?)').run(
      request.operatorId,
      nowMs,
      request.reason,
      JSON.stringify(q),
      rows.length,
    );
    return rows;
  })();
}

export function readAudit(db: HubReadableDB): { operatorId: string; name: string; readAt: number; reason: string; query: string; rowsReturned: number }[] {
  return cachedStatement(
    db,
    `SELECT r.operator_id AS operatorId, o.name, r.read_at AS readAt, r.reason, r.query, r.rows_returned AS rowsReturned
     FROM checkin_reads r JOIN operators o USING (operator_id) ORDER BY r.id`,
  ).all() as { operatorId: string; name: string; readAt: number; reason: string; query: string; rowsReturned: number }[];
}
