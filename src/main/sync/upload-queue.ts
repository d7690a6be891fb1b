// The upload side of the sync client: one batch at a time from the outbox to the hub, bounded
// by records, bytes and age; per-record answers applied in one transaction. A batch that fails
// is resent as it was (same batch id) until the hub answers it; records the hub refuses are
// parked with the reason, never resent by themselves.
import { monotonicFactory } from 'ulid';
import {
  CHECKIN_UPLOAD_PATH,
  batchResponseSchema,
  hubErrorSchema,
  type BatchResponse,
  type HubErrorCode,
} from '../../common/sync/checkin-wire.js';
import type { Logger } from '../log.js';
import type { WritableDB } from '../store/database.js';
import { markUploaded, parkCheckins, pendingCheckins, setSyncState, type ParkedRecord } from '../store/queries/outbox.js';
import { checkinRecordOf } from './checkin-records.js';
import { HubUnreachableError, type HubTransport } from './hub-transport.js';

export interface UploadLimits {
  /** Most records in one batch. */
  maxRecords: number;
  /** Most bytes of JSON in one batch (at least one record is always sent). */
  maxBytes: number;
  /** A batch smaller than maxRecords waits until its oldest record is this old. */
  maxBatchAgeMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxRecords: 1000,
  maxBytes: 1024 * 1024,
  maxBatchAgeMs: 5_000,
  requestTimeoutMs: 30_000,
};

export type UploadRound =
  | { kind: 'idle' }
  | { kind: 'waiting'; waitMs: number }
  | { kind: 'uploaded'; batchId: string; acknowledged: number; parked: number; unanswered: number }
  /** Nothing applied; try again after a back-off (retryNow: at once, e.g. after fixing the clock). */
  | { kind: 'failed'; code: string; message: string; retryNow: boolean };

interface PreparedBatch {
  batchId: string;
  ids: string[];
  body: Buffer;
}

export interface UploadQueueOptions {
  db: WritableDB;
  transport: HubTransport;
  limits: UploadLimits;
  now: () => number;
  logger: Logger;
}

export interface UploadQueue {
  /** flush: send a small young batch now instead of waiting for it to fill or age. */
  round(signal: AbortSignal, flush?: boolean): Promise<UploadRound>;
}

function describeUnreachable(error: HubUnreachableError): string {
  return `The hub could not be reached (${error.code}: ${error.message}). Check the network; check-ins wait on this kiosk.`;
}

export function createUploadQueue(options: UploadQueueOptions): UploadQueue {
  const { db, transport, limits, now, logger } = options;
  const nextBatchId = monotonicFactory();
  /** The batch being delivered: resent unchanged (same batch id) until the hub answers it. */
  let inFlight: PreparedBatch | null = null;
  /** Shrinks when the hub finds a batch too large or malformed (to isolate a bad record). */
  let recordLimit = limits.maxRecords;

  function prepare(flush: boolean): PreparedBatch | { waitMs: number } | null {
    const rows = pendingCheckins(db, recordLimit);
    const first = rows[0];
    if (first === undefined) return null;
    const age = now() - first.at;
    if (!flush && rows.length < recordLimit && recordLimit === limits.maxRecords && age < limits.maxBatchAgeMs) {
      return { waitMs: limits.maxBatchAgeMs - age };
    }
    const batchId = nextBatchId();
    const parts: string[] = [];
    const ids: string[] = [];
    let bytes = 40;
    for (const row of rows) {
      const json = JSON.stringify(checkinRecordOf(row));
      if (ids.length > 0 && bytes + json.length + 1 > limits.maxBytes) break;
      parts.push(json);
      ids.push(row.id);
      bytes += json.length + 1;
    }
    return { batchId, ids, body: Buffer.from(`{"batchId":"${batchId}","records":[${parts.join(',')}]}`, 'utf8') };
  }

  function recordFailure(code: string, message: string): void {
    setSyncState(db, 'last_error', { code, message, at: now() });
  }

  function apply(batch: PreparedBatch, response: BatchResponse): UploadRound {
    const sent = new Set(batch.ids);
    const acknowledged: string[] = [];
    const parked: ParkedRecord[] = [];
    for (const result of response.results) {
      if (!sent.has(result.nonce)) continue;
      switch (result.result) {
        case 'stored':
        case 'duplicate':
          acknowledged.push(result.nonce);
          break;
        case 'rejected':
          parked.push({ id: result.nonce, reason: `${result.code}: ${result.message}` });
          break;
        default: {
          const unreachable: never = result;
          throw new Error(`unknown record result ${JSON.stringify(unreachable)}`);
        }
      }
    }
    const at = now();
    db.transaction(() => {
      markUploaded(db, acknowledged, at);
      parkCheckins(db, parked, at);
      setSyncState(db, 'last_success_at', at);
      setSyncState(db, 'last_attempt_at', at);
      if (parked.length > 0) {
        setSyncState(db, 'last_error', { code: 'records_parked', message: `The hub refused ${parked.length} check-in(s); they are kept and listed for staff.`, at });
      } else {
        setSyncState(db, 'last_error', null);
      }
    })();
    for (const record of parked) logger.warn({ id: record.id, reason: record.reason }, 'the hub refused a check-in; it is parked');
    const unanswered = batch.ids.length - acknowledged.length - parked.length;
    if (unanswered > 0) logger.warn({ batchId: batch.batchId, unanswered }, 'the hub did not answer every record; they stay queued');
    return { kind: 'uploaded', batchId: batch.batchId, acknowledged: acknowledged.length, parked: parked.length, unanswered };
  }

  function refusal(batch: PreparedBatch, status: number, body: Buffer): UploadRound {
    let code: HubErrorCode | 'http_error' = 'http_error';
    let message = `the hub answered HTTP ${status}`;
    let serverTime: number | undefined;
    try {
      const parsed = hubErrorSchema.safeParse(JSON.parse(body.toString('utf8')));
      if (parsed.success) {
        code = parsed.data.error.code;
        message = parsed.data.error.message;
        serverTime = parsed.data.error.serverTime;
      }
    } catch {
      // Not JSON (a proxy's error page): keep the status line.
    }
    if (code === 'clock_skew' && serverTime !== undefined) {
      transport.clockOffsetMs = serverTime - now();
      logger.warn({ offsetMs: transport.clockOffsetMs }, 'the hub says this clock is wrong; signing with its time');
      recordFailure(code, `${message} This kiosk's clock is off by ${Math.round(transport.clockOffsetMs / 1000)} s; set the time.`);
      return { kind: 'failed', code, message, retryNow: true };
    }
    if (code === 'too_large' || status === 413 || code === 'malformed_batch') {
      if (batch.ids.length > 1) {
        // Halve until the batch fits or the bad record stands alone.
        recordLimit = Math.max(1, Math.floor(batch.ids.length / 2));
        inFlight = null;
        return { kind: 'failed', code, message, retryNow: true };
      }
      const [only] = batch.ids;
      if (only !== undefined) {
        const at = now();
        db.transaction(() => {
          parkCheckins(db, [{ id: only, reason: `${code}: ${message}` }], at);
          setSyncState(db, 'last_error', { code, message: `The hub refused check-in ${only}: ${message}`, at });
        })();
        logger.warn({ id: only, code, message }, 'the hub refused a check-in on its own; it is parked');
      }
      inFlight = null;
      return { kind: 'uploaded', batchId: batch.batchId, acknowledged: 0, parked: 1, unanswered: 0 };
    }
    recordFailure(code, message);
    return { kind: 'failed', code, message, retryNow: false };
  }

  return {
    async round(signal, flush = false) {
      if (inFlight === null) {
        const prepared = prepare(flush);
        if (prepared === null) return { kind: 'idle' };
        if ('waitMs' in prepared) return { kind: 'waiting', waitMs: prepared.waitMs };
        inFlight = prepared;
      }
      const batch = inFlight;
      let response;
      try {
        response = await transport.request({
          method: 'POST',
          path: CHECKIN_UPLOAD_PATH,
          body: batch.body,
          timeoutMs: limits.requestTimeoutMs,
          signal,
        });
      } catch (error) {
        if (!(error instanceof HubUnreachableError)) throw error;
        if (error.code !== 'aborted') recordFailure(error.code, describeUnreachable(error));
        return { kind: 'failed', code: error.code, message: error.message, retryNow: false };
      }
      if (response.status !== 200) return refusal(batch, response.status, response.body);
      let parsed;
      try {
        parsed = batchResponseSchema.safeParse(JSON.parse(response.body.toString('utf8')));
      } catch {
        parsed = null;
      }
      if (parsed === null || !parsed.success || parsed.data.batchId !== batch.batchId) {
        recordFailure('bad_answer', 'The hub answered something that is not a batch result; the batch will be sent again.');
        return { kind: 'failed', code: 'bad_answer', message: 'unexpected answer', retryNow: false };
      }
      inFlight = null;
      const outcome = apply(batch, parsed.data);
      if (outcome.kind === 'uploaded' && outcome.unanswered === 0) recordLimit = Math.min(limits.maxRecords, recordLimit * 2);
      return outcome;
    },
  };
}
