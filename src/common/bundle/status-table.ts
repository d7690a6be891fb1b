// The status table: an immutable, sorted, directly addressable file of (subject key -> value),
// the payload of status-snapshot and alias-map bundles and the kiosk's compacted cache. It is
// read in place (one buffer, no per-entry parsing) and looked up by a bucket table plus a binary
// search inside the bucket.
//
// All integers are little-endian; keys are big-endian bytes, as the HMAC gives them.
//   header (64 bytes)
//     0 "PCST" | 4 u16 version 1 | 6 u8 kind (1 status, 2 alias) | 7 u8 bucket bits b
//     8 u8 suffix bytes S | 9 u8 value bytes V | 10 u16 0 | 12 u32 epoch | 16 u32 A count
//     20 u32 entry count N | 24 u32 B count | 28..63 zero
//   buckets  (2^b + 1) x u32: index of the first entry whose key's top b bits are the bucket;
//            the last is N. Padded with zeros to 8 bytes.
//   entries  N x (S + V), sorted by key, no two equal: the low S bytes of the key (the top b bits
//            are the bucket), then the value. Padded with zeros to 8 bytes.
//            status: the record's A and B entries as one number, a x (B count) + b, in the
//            fewest bytes that hold (A count) x (B count); alias: the subject key the alias
//            stands for (8 bytes).
//   A        (status) per distinct (status, doses, last dose day): tuple word 0, u32
//   B        (status) per distinct (recovery day, last negative test, valid until): words 1-3
// Records are split in two dictionaries because the parts vary independently: a few thousand
// vaccination histories times a few hundred thousand event dates make millions of records, but
// each part is stored once and every entry names its two parts directly, so a lookup reads the
// entry and two small, cache-resident dictionaries. Tuple words: status-record.ts.
//
// At 100 million entries: b = 24, S = 5, V = 4 (up to 4.29 billion part pairs): 9 bytes per
// entry plus 0.67 for the bucket table.
import { bundleFail, bundleOk, type BundleResult } from './bundle-types.js';
import { TUPLE_WORDS, TupleInterner } from './status-record.js';

export type TableKind = 'status' | 'alias';
export const TABLE_MAGIC = new Uint8Array([0x50, 0x43, 0x53, 0x54]); // "PCST"
export const TABLE_VERSION = 1;
export const TABLE_HEADER_BYTES = 64;
export const MAX_BUCKET_BITS = 28;
/** Entry counts must fit a u32, and a V8 typed array. */
export const MAX_TABLE_ENTRIES = 0xffff_fffe;
/** Average entries per bucket above which a bigger bucket table is worth its bytes. */
const TARGET_BUCKET_OCCUPANCY = 64;
/** Words of a tuple in each dictionary: A holds word 0, B words 1 to 3. */
export const A_WORDS = 1;
export const B_WORDS = 3;

/** Bytes of an index into `count` things (at least 1). */
export function indexBytesFor(count: number): number {
  let bytes = 1;
  while (bytes < 7 && count > 256 ** bytes) bytes++;
  return bytes;
}

export interface TableLayout {
  kind: TableKind;
  epoch: number;
  bucketBits: number;
  suffixBytes: number;
  valueBytes: number;
  recordBytes: number;
  entryCount: number;
  /** Dictionary sizes (status tables; 0 for alias tables). */
  aCount: number;
  bCount: number;
  bucketsOffset: number;
  entriesOffset: number;
  aOffset: number;
  bOffset: number;
  byteLength: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Bytes of the low part of a key once the top `bucketBits` are implied by the bucket. */
export function suffixBytesFor(bucketBits: number): number {
  return Math.max(4, Math.ceil((64 - bucketBits) / 8));
}

export function tableLayout(
  kind: TableKind,
  epoch: number,
  bucketBits: number,
  entryCount: number,
  aCount: number,
  bCount: number,
): TableLayout {
  const status = kind === 'status';
  const suffixBytes = suffixBytesFor(bucketBits);
  const valueBytes = status ? indexBytesFor(aCount * bCount) : 8;
  const recordBytes = suffixBytes + valueBytes;
  const bucketsOffset = TABLE_HEADER_BYTES;
  const entriesOffset = align8(bucketsOffset + 4 * (2 ** bucketBits + 1));
  const aOffset = align8(entriesOffset + entryCount * recordBytes);
  const bOffset = aOffset + (status ? 4 * A_WORDS * aCount : 0);
  const byteLength = bOffset + (status ? 4 * B_WORDS * bCount : 0);
  return {
    kind,
    epoch,
    bucketBits,
    suffixBytes,
    valueBytes,
    recordBytes,
    entryCount,
    aCount: status ? aCount : 0,
    bCount: status ? bCount : 0,
    bucketsOffset,
    entriesOffset,
    aOffset,
    bOffset,
    byteLength,
  };
}

/**
 * The smallest file among bucket sizes that keep buckets short: each bucket bit saves key bits
 * in every entry but doubles the bucket table.
 */
export function chooseTableLayout(kind: TableKind, entryCount: number, aCount: number, bCount: number, epoch: number): TableLayout {
  if (!Number.isInteger(entryCount) || entryCount < 0 || entryCount > MAX_TABLE_ENTRIES) {
    throw new RangeError(`a table holds 0..${MAX_TABLE_ENTRIES} entries, not ${entryCount}`);
  }
  let best: TableLayout | null = null;
  let bestShort: TableLayout | null = null;
  for (let bits = 0; bits <= MAX_BUCKET_BITS; bits++) {
    const layout = tableLayout(kind, epoch, bits, entryCount, aCount, bCount);
    if (best === null || layout.byteLength < best.byteLength) best = layout;
    const short = entryCount <= TARGET_BUCKET_OCCUPANCY * 2 ** bits;
    if (short && (bestShort === null || layout.byteLength < bestShort.byteLength)) bestShort = layout;
  }
  const chosen = bestShort ?? best;
  if (chosen === null) throw new RangeError('no table layout');
  return chosen;
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The layout of a table, from its header, checked against its length. With `checkBuckets` the
 * bucket table is checked too (non-decreasing, ending at N), so no lookup can read out of bounds.
 */
export function readTableLayout(bytes: Uint8Array, options: { checkBuckets?: boolean } = {}): BundleResult<TableLayout> {
  if (bytes.length < TABLE_HEADER_BYTES) return bundleFail('malformed', 'status table shorter than its header');
  for (let i = 0; i < TABLE_MAGIC.length; i++) {
    if (bytes[i] !== TABLE_MAGIC[i]) return bundleFail('malformed', 'not a status table (magic)');
  }
  const view = dataView(bytes);
  const version = view.getUint16(4, true);
  if (version !== TABLE_VERSION) return bundleFail('unsupported_version', `status table version ${version}`);
  const kindByte = view.getUint8(6);
  const kind: TableKind | null = kindByte === 1 ? 'status' : kindByte === 2 ? 'alias' : null;
  if (kind === null) return bundleFail('malformed', `status table kind ${kindByte}`);
  const bucketBits = view.getUint8(7);
  if (bucketBits > MAX_BUCKET_BITS) return bundleFail('malformed', `${bucketBits} bucket bits`);
  const entryCount = view.getUint32(20, true);
  if (entryCount > MAX_TABLE_ENTRIES) return bundleFail('malformed', `${entryCount} entries`);
  for (const i of [10, 11]) if (bytes[i] !== 0) return bundleFail('malformed', 'reserved header bytes are not zero');
  for (let i = 28; i < TABLE_HEADER_BYTES; i++) if (bytes[i] !== 0) return bundleFail('malformed', 'reserved header bytes are not zero');
  const layout = tableLayout(kind, view.getUint32(12, true), bucketBits, entryCount, view.getUint32(16, true), view.getUint32(24, true));
  if (
    view.getUint8(8) !== layout.suffixBytes ||
    view.getUint8(9) !== layout.valueBytes ||
    view.getUint32(16, true) !== layout.aCount ||
    view.getUint32(24, true) !== layout.bCount
  ) {
    return bundleFail('malformed', 'status table field widths do not match its counts');
  }
  if (layout.byteLength !== bytes.length) {
    return bundleFail('malformed', `status table of ${bytes.length} bytes; its header describes ${layout.byteLength}`);
  }
  if (options.checkBuckets === true) {
    const buckets = 2 ** bucketBits;
    let previous = 0;
    for (let b = 0; b <= buckets; b++) {
      const start = view.getUint32(layout.bucketsOffset + 4 * b, true);
      if (start < previous || start > entryCount) return bundleFail('malformed', `bucket ${b} starts at ${start}`);
      previous = start;
    }
    if (view.getUint32(layout.bucketsOffset, true) !== 0 || previous !== entryCount) {
      return bundleFail('malformed', 'bucket table does not span the entries');
    }
  }
  return bundleOk(layout);
}

export type Allocate = (byteLength: number) => Uint8Array;
const zeroedAllocate: Allocate = (n) => new Uint8Array(n);

/**
 * Writes a table from keys pushed in strictly ascending order. Allocation may be uninitialised
 * (Buffer.allocUnsafeSlow): every byte of the table is written, padding included.
 */
export class TableWriter {
  readonly layout: TableLayout;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private count = 0;
  private nextBucket = 0;
  private lastHi = -1;
  private lastLo = -1;
  private readonly shift: number;

  constructor(layout: TableLayout, allocate: Allocate = zeroedAllocate) {
    this.layout = layout;
    this.bytes = allocate(layout.byteLength);
    this.view = dataView(this.bytes);
    this.shift = 32 - layout.bucketBits;
    this.bytes.fill(0, 0, layout.entriesOffset);
  }

  private startBucketsUpTo(bucket: number): void {
    const { view, layout } = this;
    while (this.nextBucket <= bucket) {
      view.setUint32(layout.bucketsOffset + 4 * this.nextBucket, this.count, true);
      this.nextBucket++;
    }
  }

  private pushKey(hi: number, lo: number): number {
    if (this.count >= this.layout.entryCount) throw new RangeError(`more than the ${this.layout.entryCount} entries announced`);
    if (hi < this.lastHi || (hi === this.lastHi && lo <= this.lastLo)) {
      throw new RangeError(
        hi === this.lastHi && lo === this.lastLo
          ? `subject key ${keyHex(hi, lo)} appears twice`
          : `keys must be pushed in ascending order (${keyHex(hi, lo)} after ${keyHex(this.lastHi, this.lastLo)})`,
      );
    }
    this.lastHi = hi;
    this.lastLo = lo;
    const bucket = this.layout.bucketBits === 0 ? 0 : hi >>> this.shift;
    this.startBucketsUpTo(bucket);
    const { bytes, layout } = this;
    let at = layout.entriesOffset + this.count * layout.recordBytes;
    for (let j = 8 - layout.suffixBytes; j < 8; j++) {
      bytes[at++] = j < 4 ? (hi >>> (24 - 8 * j)) & 0xff : (lo >>> (24 - 8 * (j - 4))) & 0xff;
    }
    this.count++;
    return at;
  }

  /** A status entry: its record is A entry `a` with B entry `b`. */
  pushStatus(hi: number, lo: number, a: number, b: number): void {
    const { layout } = this;
    if (a >= layout.aCount || b >= layout.bCount) throw new RangeError(`record (${a}, ${b}) of ${layout.aCount} x ${layout.bCount}`);
    let at = this.pushKey(hi, lo);
    const bytes = this.bytes;
    let value = a * layout.bCount + b;
    for (let j = 0; j < layout.valueBytes; j++) {
      bytes[at++] = value % 256;
      value = Math.floor(value / 256);
    }
  }

  pushAlias(hi: number, lo: number, targetHi: number, targetLo: number): void {
    const at = this.pushKey(hi, lo);
    this.view.setUint32(at, targetHi, false);
    this.view.setUint32(at + 4, targetLo, false);
  }

  /**
   * Completes the bucket table and writes the dictionaries (status tables): `aWords` holds
   * A_WORDS words per A entry, `bWords` B_WORDS per B entry, as many as the layout announced.
   */
  finish(aWords: Uint32Array = new Uint32Array(0), bWords: Uint32Array = new Uint32Array(0)): Uint8Array {
    const { layout, view, bytes } = this;
    if (this.count !== layout.entryCount) throw new RangeError(`${this.count} entries pushed, ${layout.entryCount} announced`);
    if (aWords.length !== layout.aCount * A_WORDS || bWords.length !== layout.bCount * B_WORDS) {
      throw new RangeError(`dictionaries of ${aWords.length} and ${bWords.length} words for ${layout.aCount} and ${layout.bCount} entries`);
    }
    this.startBucketsUpTo(2 ** layout.bucketBits);
    const entriesEnd = layout.entriesOffset + layout.entryCount * layout.recordBytes;
    bytes.fill(0, entriesEnd, layout.aOffset);
    for (let i = 0; i < aWords.length; i++) view.setUint32(layout.aOffset + 4 * i, aWords[i] ?? 0, true);
    for (let i = 0; i < bWords.length; i++) view.setUint32(layout.bOffset + 4 * i, bWords[i] ?? 0, true);
    bytes.set(TABLE_MAGIC, 0);
    view.setUint16(4, TABLE_VERSION, true);
    view.setUint8(6, layout.kind === 'status' ? 1 : 2);
    view.setUint8(7, layout.bucketBits);
    view.setUint8(8, layout.suffixBytes);
    view.setUint8(9, layout.valueBytes);
    view.setUint32(12, layout.epoch, true);
    view.setUint32(16, layout.aCount, true);
    view.setUint32(20, layout.entryCount, true);
    view.setUint32(24, layout.bCount, true);
    return bytes;
  }
}

/** Tuples split into their A and B parts, each part once. */
export interface SplitTuples {
  /** A_WORDS words per A entry. */
  aWords: Uint32Array;
  /** B_WORDS words per B entry. */
  bWords: Uint32Array;
  aCount: number;
  bCount: number;
  /** The A and B entry of each tuple. */
  aOf: Uint32Array;
  bOf: Uint32Array;
}

/** Dictionaries to extend: interners already holding earlier A and B parts. */
export interface PartInterners {
  a: TupleInterner;
  b: TupleInterner;
}

export function newPartInterners(expected = 1024): PartInterners {
  return { a: new TupleInterner(expected), b: new TupleInterner(expected) };
}

/** Interns the parts of tuples (TUPLE_WORDS words each) into `parts`, giving each tuple's pair. */
export function splitTuples(tupleWords: Uint32Array, parts: PartInterners = newPartInterners()): SplitTuples {
  const count = tupleWords.length / TUPLE_WORDS;
  const aOf = new Uint32Array(count);
  const bOf = new Uint32Array(count);
  for (let t = 0; t < count; t++) {
    const w = t * TUPLE_WORDS;
    aOf[t] = parts.a.intern(tupleWords[w] ?? 0, 0, 0, 0);
    bOf[t] = parts.b.intern(tupleWords[w + 1] ?? 0, tupleWords[w + 2] ?? 0, tupleWords[w + 3] ?? 0, 0);
  }
  return { ...dictionaryWords(parts), aOf, bOf };
}

/** The dictionaries of interned parts, in the table's word layout. */
export function dictionaryWords(parts: PartInterners): { aWords: Uint32Array; bWords: Uint32Array; aCount: number; bCount: number } {
  const aCount = parts.a.size;
  const bCount = parts.b.size;
  const aAll = parts.a.tupleWords();
  const bAll = parts.b.tupleWords();
  const aWords = new Uint32Array(aCount * A_WORDS);
  const bWords = new Uint32Array(bCount * B_WORDS);
  for (let i = 0; i < aCount; i++) aWords[i] = aAll[i * TUPLE_WORDS] ?? 0;
  for (let i = 0; i < bCount; i++) {
    for (let w = 0; w < B_WORDS; w++) bWords[i * B_WORDS + w] = bAll[i * TUPLE_WORDS + w] ?? 0;
  }
  return { aWords, bWords, aCount, bCount };
}

export function keyHex(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

export interface KeyColumns {
  hi: Uint32Array;
  lo: Uint32Array;
  /** Columns that travel with the keys (tuple index; alias target hi and lo). */
  values: Uint32Array[];
}

/**
 * Sorts keys (and their value columns) ascending: one counting pass and one scatter by the top
 * bits, then a small sort inside each bucket. Linear in the count for random (HMAC) keys.
 */
export function sortKeyColumns(input: KeyColumns, count: number, bucketBits: number): KeyColumns {
  const bits = Math.min(24, Math.max(0, bucketBits));
  const shift = 32 - bits;
  const buckets = 2 ** bits;
  const starts = new Uint32Array(buckets + 1);
  const { hi, lo, values } = input;
  for (let i = 0; i < count; i++) {
    const slot = (bits === 0 ? 0 : (hi[i] ?? 0) >>> shift) + 1;
    starts[slot] = (starts[slot] ?? 0) + 1;
  }
  for (let b = 0; b < buckets; b++) starts[b + 1] = (starts[b + 1] ?? 0) + (starts[b] ?? 0);
  const cursor = starts.slice(0, buckets);
  const out: KeyColumns = {
    hi: new Uint32Array(count),
    lo: new Uint32Array(count),
    values: values.map(() => new Uint32Array(count)),
  };
  for (let i = 0; i < count; i++) {
    const h = hi[i] ?? 0;
    const b = bits === 0 ? 0 : h >>> shift;
    const p = cursor[b] ?? 0;
    cursor[b] = p + 1;
    out.hi[p] = h;
    out.lo[p] = lo[i] ?? 0;
    for (let c = 0; c < values.length; c++) {
      const column = out.values[c];
      if (column !== undefined) column[p] = values[c]?.[i] ?? 0;
    }
  }
  for (let b = 0; b < buckets; b++) {
    const start = starts[b] ?? 0;
    const end = starts[b + 1] ?? 0;
    if (end - start > 1) sortRange(out, start, end - 1);
  }
  return out;
}

function less(c: KeyColumns, i: number, j: number): boolean {
  const hi = c.hi[i] ?? 0;
  const hj = c.hi[j] ?? 0;
  return hi < hj || (hi === hj && (c.lo[i] ?? 0) < (c.lo[j] ?? 0));
}

function swap(c: KeyColumns, i: number, j: number): void {
  swapIn(c.hi, i, j);
  swapIn(c.lo, i, j);
  for (const column of c.values) swapIn(column, i, j);
}

function swapIn(a: Uint32Array, i: number, j: number): void {
  const t = a[i] ?? 0;
  a[i] = a[j] ?? 0;
  a[j] = t;
}

/** Quicksort (median of three) with insertion sort for short ranges; `last` inclusive. */
function sortRange(c: KeyColumns, first: number, last: number): void {
  while (last - first > 16) {
    const mid = first + ((last - first) >> 1);
    if (less(c, mid, first)) swap(c, mid, first);
    if (less(c, last, first)) swap(c, last, first);
    if (less(c, last, mid)) swap(c, last, mid);
    swap(c, mid, last - 1); // pivot at last - 1
    const pivot = last - 1;
    let i = first;
    let j = last - 1;
    for (;;) {
      do i++;
      while (less(c, i, pivot));
      do j--;
      while (j > first && less(c, pivot, j));
      if (i >= j) break;
      swap(c, i, j);
    }
    swap(c, i, pivot);
    if (i - first < last - i) {
      sortRange(c, first, i - 1);
      first = i + 1;
    } else {
      sortRange(c, i + 1, last);
      last = i - 1;
    }
  }
  for (let i = first + 1; i <= last; i++) {
    for (let j = i; j > first && less(c, j, j - 1); j--) swap(c, j, j - 1);
  }
}

export interface StatusTableInput {
  epoch: number;
  count: number;
  keyHi: Uint32Array;
  keyLo: Uint32Array;
  /** Index into `tupleWords` of each entry's record. */
  tuple: Uint32Array;
  /** TUPLE_WORDS words per distinct record (TupleInterner.tupleWords()). */
  tupleWords: Uint32Array;
  allocate?: Allocate;
}

/** Builds a status table from unsorted keys; throws on a duplicate key. */
export function buildStatusTable(input: StatusTableInput): Uint8Array {
  const split = splitTuples(input.tupleWords);
  const layout = chooseTableLayout('status', input.count, split.aCount, split.bCount, input.epoch);
  const sorted = sortKeyColumns({ hi: input.keyHi, lo: input.keyLo, values: [input.tuple] }, input.count, layout.bucketBits);
  const writer = new TableWriter(layout, input.allocate);
  const tuples = sorted.values[0] ?? new Uint32Array(0);
  const { aOf, bOf } = split;
  for (let i = 0; i < input.count; i++) {
    const t = tuples[i] ?? 0;
    if (t >= aOf.length) throw new RangeError(`entry ${i} names tuple ${t} of ${aOf.length}`);
    writer.pushStatus(sorted.hi[i] ?? 0, sorted.lo[i] ?? 0, aOf[t] ?? 0, bOf[t] ?? 0);
  }
  return writer.finish(split.aWords, split.bWords);
}

export interface AliasTableInput {
  epoch: number;
  count: number;
  keyHi: Uint32Array;
  keyLo: Uint32Array;
  targetHi: Uint32Array;
  targetLo: Uint32Array;
  allocate?: Allocate;
}

/** Builds an alias table (earlier apps' ids -> subject key) from unsorted keys. */
export function buildAliasTable(input: AliasTableInput): Uint8Array {
  const layout = chooseTableLayout('alias', input.count, 0, 0, input.epoch);
  const sorted = sortKeyColumns(
    { hi: input.keyHi, lo: input.keyLo, values: [input.targetHi, input.targetLo] },
    input.count,
    layout.bucketBits,
  );
  const writer = new TableWriter(layout, input.allocate);
  const [targetHi, targetLo] = sorted.values;
  for (let i = 0; i < input.count; i++) {
    writer.pushAlias(sorted.hi[i] ?? 0, sorted.lo[i] ?? 0, targetHi?.[i] ?? 0, targetLo?.[i] ?? 0);
  }
  return writer.finish();
}
