// What the status cache knows about one subject, and its fixed 16-byte encoding ("tuple").
// Most people share a tuple (same status, doses, dates), so tables store an index into a table
// of distinct tuples rather than the tuple itself (src/main/status/README.md).
import { HEALTH_STATUSES, type HealthStatus } from '../types/credential.js';
import { isIsoDate } from '../types/dates.js';

export interface StatusRecord {
  status: HealthStatus;
  /** Vaccine doses received, 0..255. */
  doses: number;
  /** ISO date (YYYY-MM-DD) of the last dose, or null. */
  lastDoseDate: string | null;
  /** Milliseconds since the epoch of the last negative test (kept to the second), or null. */
  lastNegativeTestAt: number | null;
  /** ISO date of recovery from a confirmed infection, or null. */
  recoveryDate: string | null;
  /** Milliseconds since the epoch until which the record holds (kept to the second). */
  validUntil: number;
}

/** Bytes of one encoded tuple: four little-endian u32 words. */
export const TUPLE_BYTES = 16;
export const TUPLE_WORDS = 4;

const DAY_MS = 86_400_000;
/** u16 day numbers count from 1970-01-01; 0 means "none", so 1970-01-01 itself is not representable. */
const MAX_DAY = 0xffff;
const MAX_SECONDS = 0xffffffff;

export function isoDateToDay(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

/** Each u16 day number is spelled once (a dense array: a lookup is one load). */
const isoDates: (string | undefined)[] = new Array<string | undefined>(MAX_DAY + 1).fill(undefined);

export function dayToIsoDate(day: number): string {
  const known = isoDates[day];
  if (known !== undefined) return known;
  const iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
  if (Number.isInteger(day) && day >= 0 && day <= MAX_DAY) isoDates[day] = iso;
  return iso;
}

/** Why a record cannot be encoded, or null when it can. */
export function statusRecordProblem(record: StatusRecord): string | null {
  if (!HEALTH_STATUSES.includes(record.status)) return `status "${String(record.status)}" is not one of ${HEALTH_STATUSES.join(', ')}`;
  if (!Number.isInteger(record.doses) || record.doses < 0 || record.doses > 255) return `doses ${record.doses} is not 0..255`;
  for (const [name, date] of [
    ['lastDoseDate', record.lastDoseDate],
    ['recoveryDate', record.recoveryDate],
  ] as const) {
    if (date === null) continue;
    if (!isIsoDate(date)) return `${name} "${date}" is not a YYYY-MM-DD date`;
    const day = isoDateToDay(date);
    if (day < 1 || day > MAX_DAY) return `${name} ${date} is outside 1970-01-02..2149-06-05`;
  }
  for (const [name, ms] of [
    ['lastNegativeTestAt', record.lastNegativeTestAt],
    ['validUntil', record.validUntil],
  ] as const) {
    if (ms === null) continue;
    const seconds = Math.floor(ms / 1000);
    if (!Number.isFinite(ms) || seconds < 1 || seconds > MAX_SECONDS) return `${name} ${ms} is outside 1970..2106`;
  }
  return null;
}

/** Writes the four tuple words of a valid record (check statusRecordProblem first) into `out` at `at`. */
export function packStatusRecord(record: StatusRecord, out: Uint32Array, at: number): void {
  const doseDay = record.lastDoseDate === null ? 0 : isoDateToDay(record.lastDoseDate);
  const recoveryDay = record.recoveryDate === null ? 0 : isoDateToDay(record.recoveryDate);
  out[at] = (HEALTH_STATUSES.indexOf(record.status) | (record.doses << 8) | (doseDay << 16)) >>> 0;
  out[at + 1] = recoveryDay;
  out[at + 2] = record.lastNegativeTestAt === null ? 0 : Math.floor(record.lastNegativeTestAt / 1000);
  out[at + 3] = Math.floor(record.validUntil / 1000);
}

/** The record a tuple encodes, or null when the words are not a valid tuple. */
export function unpackStatusRecord(w0: number, w1: number, w2: number, w3: number): StatusRecord | null {
  const status = HEALTH_STATUSES[w0 & 0xff];
  if (status === undefined || w1 > 0xffff || w3 === 0) return null;
  const doseDay = w0 >>> 16;
  return {
    status,
    doses: (w0 >>> 8) & 0xff,
    lastDoseDate: doseDay === 0 ? null : dayToIsoDate(doseDay),
    lastNegativeTestAt: w2 === 0 ? null : w2 * 1000,
    recoveryDate: w1 === 0 ? null : dayToIsoDate(w1),
    validUntil: w3 * 1000,
  };
}

/**
 * Distinct tuples, each given the next index on first sight. Open addressing over typed arrays:
 * interning a hundred million records allocates nothing per record.
 */
export class TupleInterner {
  /** Tuple words, TUPLE_WORDS per tuple, in index order. */
  private words: Uint32Array;
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.words = new Uint32Array(Math.max(16, expected) * TUPLE_WORDS);
  }

  get size(): number {
    return this.count;
  }

  intern(w0: number, w1: number, w2: number, w3: number): number {
    let slot = hashWords(w0, w1, w2, w3) & this.mask;
    for (;;) {
      const index = this.slots[slot] ?? -1;
      if (index < 0) break;
      const at = index * TUPLE_WORDS;
      const words = this.words;
      if (words[at] === w0 && words[at + 1] === w1 && words[at + 2] === w2 && words[at + 3] === w3) return index;
      slot = (slot + 1) & this.mask;
    }
    const index = this.count++;
    if ((index + 1) * TUPLE_WORDS > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    const at = index * TUPLE_WORDS;
    this.words[at] = w0;
    this.words[at + 1] = w1;
    this.words[at + 2] = w2;
    this.words[at + 3] = w3;
    this.slots[slot] = index;
    if (this.count * 2 > this.slots.length) this.grow();
    return index;
  }

  internRecord(record: StatusRecord): number {
    packStatusRecord(record, scratch, 0);
    return this.intern(scratch[0] ?? 0, scratch[1] ?? 0, scratch[2] ?? 0, scratch[3] ?? 0);
  }

  /** The words of every tuple so far, TUPLE_WORDS per tuple (a view: copy it to keep it). */
  tupleWords(): Uint32Array {
    return this.words.subarray(0, this.count * TUPLE_WORDS);
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let index = 0; index < this.count; index++) {
      const at = index * TUPLE_WORDS;
      let slot =
        hashWords(this.words[at] ?? 0, this.words[at + 1] ?? 0, this.words[at + 2] ?? 0, this.words[at + 3] ?? 0) & mask;
      while ((slots[slot] ?? -1) >= 0) slot = (slot + 1) & mask;
      slots[slot] = index;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

const scratch = new Uint32Array(TUPLE_WORDS);

function hashWords(w0: number, w1: number, w2: number, w3: number): number {
  let h = Math.imul(w0 ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ w1 ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ w2 ^ (h >>> 13), 0x85ebca6b);
  h = Math.imul(h ^ w3 ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 15)) >>> 0;
}
