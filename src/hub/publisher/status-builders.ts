// Status snapshots, deltas and alias maps from records keyed by canonical id. The ids become
// subject keys here (first 8 bytes of HMAC-SHA256 under the epoch key); no id leaves the hub.
import { createHmac } from 'node:crypto';
import { isCanonicalSubjectId } from '../../common/types/subject-id.js';
import { buildStatusDelta, REMOVED_TUPLE } from '../../common/bundle/status-delta.js';
import { statusRecordProblem, TupleInterner, type StatusRecord } from '../../common/bundle/status-record.js';
import { buildAliasTable, buildStatusTable, type Allocate } from '../../common/bundle/status-table.js';

export interface SubjectStatusRecord {
  /** Canonical subject id ("VN-ID:...", "DOC:...", ...). */
  id: string;
  record: StatusRecord;
}

export interface StatusChange {
  id: string;
  /** The new record, or null when the subject leaves the cache. */
  record: StatusRecord | null;
}

export interface AliasRecord {
  /** An earlier app's id ("APP:<app>:<id>"). */
  alias: string;
  /** The unified subject's canonical id. */
  id: string;
}

export interface EpochKeying {
  epoch: number;
  epochKey: Uint8Array;
  allocate?: Allocate;
}

export class PublisherInputError extends Error {
  constructor(
    /** 0-based index of the offending record, or null when no single record is at fault. */
    readonly index: number | null,
    message: string,
  ) {
    super(index === null ? message : `record ${index + 1}: ${message}`);
    this.name = 'PublisherInputError';
  }
}

/** Growable key columns, so records can stream in from a file of unknown length. */
class Columns {
  hi: Uint32Array = new Uint32Array(1024);
  lo: Uint32Array = new Uint32Array(1024);
  value: Uint32Array = new Uint32Array(1024);
  extraHi: Uint32Array = new Uint32Array(0);
  extraLo: Uint32Array = new Uint32Array(0);
  count = 0;

  constructor(private readonly withExtra = false) {
    if (withExtra) {
      this.extraHi = new Uint32Array(1024);
      this.extraLo = new Uint32Array(1024);
    }
  }

  push(hi: number, lo: number, value: number, extraHi = 0, extraLo = 0): void {
    if (this.count === this.hi.length) {
      const grow = (a: Uint32Array): Uint32Array => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.hi = grow(this.hi);
      this.lo = grow(this.lo);
      this.value = grow(this.value);
      if (this.withExtra) {
        this.extraHi = grow(this.extraHi);
        this.extraLo = grow(this.extraLo);
      }
    }
    this.hi[this.count] = hi;
    this.lo[this.count] = lo;
    this.value[this.count] = value;
    if (this.withExtra) {
      this.extraHi[this.count] = extraHi;
      this.extraLo[this.count] = extraLo;
    }
    this.count++;
  }
}

function keyOf(epochKey: Uint8Array, id: string, index: number): [number, number] {
  if (!isCanonicalSubjectId(id)) throw new PublisherInputError(index, `"${id.slice(0, 40)}" is not a canonical subject id`);
  const digest = createHmac('sha256', epochKey).update(id, 'utf8').digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}

function checkRecord(record: StatusRecord, index: number): void {
  const problem = statusRecordProblem(record);
  if (problem !== null) throw new PublisherInputError(index, problem);
}

function rethrowDuplicate(error: unknown): never {
  if (error instanceof RangeError && /twice/.test(error.message)) {
    throw new PublisherInputError(null, `two records are for the same subject (${error.message})`);
  }
  throw error;
}

/** What buildStatusTable and buildStatusDelta both take: key columns and interned tuples. */
type StatusColumnsInput = Parameters<typeof buildStatusTable>[0] & Parameters<typeof buildStatusDelta>[0];

/**
 * Keys each subject and interns its record (null → REMOVED_TUPLE, for deltas), then hands the
 * columns to `build`. Records are checked as they stream in, so an error names the record.
 */
function buildStatusColumns(
  entries: Iterable<{ id: string; record: StatusRecord | null }>,
  keying: EpochKeying,
  build: (input: StatusColumnsInput) => Uint8Array,
): Uint8Array {
  const interner = new TupleInterner();
  const columns = new Columns();
  let index = 0;
  for (const { id, record } of entries) {
    if (record !== null) checkRecord(record, index);
    const [hi, lo] = keyOf(keying.epochKey, id, index);
    columns.push(hi, lo, record === null ? REMOVED_TUPLE : interner.internRecord(record));
    index++;
  }
  try {
    return build({
      epoch: keying.epoch,
      count: columns.count,
      keyHi: columns.hi,
      keyLo: columns.lo,
      tuple: columns.value,
      tupleWords: interner.tupleWords(),
      ...(keying.allocate === undefined ? {} : { allocate: keying.allocate }),
    });
  } catch (error) {
    return rethrowDuplicate(error);
  }
}

/** A status table (the payload of a status-snapshot bundle) of every record. */
export function buildStatusSnapshotPayload(records: Iterable<SubjectStatusRecord>, keying: EpochKeying): Uint8Array {
  // A snapshot has no removals: every record is checked, none may be null (the type says so).
  return buildStatusColumns(records, keying, buildStatusTable);
}

/** A status delta (the payload of a status-delta bundle) of changed and removed subjects. */
export function buildStatusDeltaPayload(changes: Iterable<StatusChange>, keying: EpochKeying): Uint8Array {
  return buildStatusColumns(changes, keying, buildStatusDelta);
}

/** An alias table (the payload of an alias-map bundle): earlier apps' ids -> subject keys. */
export function buildAliasMapPayload(aliases: Iterable<AliasRecord>, keying: EpochKeying): Uint8Array {
  const columns = new Columns(true);
  let index = 0;
  for (const { alias, id } of aliases) {
    const [hi, lo] = keyOf(keying.epochKey, alias, index);
    const [targetHi, targetLo] = keyOf(keying.epochKey, id, index);
    columns.push(hi, lo, 0, targetHi, targetLo);
    index++;
  }
  try {
    return buildAliasTable({
      epoch: keying.epoch,
      count: columns.count,
      keyHi: columns.hi,
      keyLo: columns.lo,
      targetHi: columns.extraHi,
      targetLo: columns.extraLo,
      ...(keying.allocate === undefined ? {} : { allocate: keying.allocate }),
    });
  } catch (error) {
    return rethrowDuplicate(error);
  }
}
