// The status table: an immutable, sorted, directly addressable file of (subject key -> value),
// the payload of status-snapshot and alias-map bundles and the kiosk's compacted cache. It is
// read in place (one buffer, no per-entry parsing) and looked up by a bucket table plus a binary
// search inside the bucket.
//
// All integers are little-endian; keys are big-endian bytes, as the HMAC gives them.
//   header (64 bytes)
//     0 "PCST" | 4 u16 version 1 | 6 u8 kind (1 status, 2 alias) | 7 u8 bucket bits b
//     8 u8 suffix bytes S | 9 u8 value bytes V | 10 u16 0 | 12 u32 epoch | 16 u32 tuple count T
//     20 u32 entry count N | 24..63 zero
//   buckets  (2^b + 1) x u32: index of the first entry whose key's top b bits are the bucket;
//            the last is N. Padded with zeros to 8 bytes.
//   entries  N x (S + V), sorted by key, no two equal: the low S bytes of the key (the top b bits
//            are the bucket), then the value: a tuple index in V bytes (status) or the subject
//            key the alias stands for, 8 bytes (alias). Padded with zeros to 8 bytes.
//   tuples   (status tables only) the T distinct records the values index, split in two
//            dictionaries so that records sharing a part share its bytes:
//              u32 A count | u32 B count | u8 A index bytes | u8 B index bytes | 6 zero bytes
//              A: per distinct (status, doses, last dose day): tuple word 0, u32
//              B: per distinct (recovery day, last negative test, valid until): words 1-3, 3 x u32
//              T pairs: A index, B index (little-endian, each as wide as its count needs)
//            Tuple words: status-record.ts.
//
// At 100 million entries: b = 24, S = 5, V <= 3, so 8 bytes per entry plus 0.67 for buckets plus
// a few bytes per distinct record (most people share a record).
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

/** Where the tuple dictionaries of a status table are. */
export interface TupleSection {
  aCount: number;
  bCount: number;
  aBytes: number;
  bBytes: number;
  aOffset: number;
  bOffset: number;
  pairsOffset: number;
}

export const TUPLE_SECTION_HEADER_BYTES = 16;
const A_WORDS = 1;
const B_WORDS = 3;

/** Bytes of an index into `count` things. */
export function indexBytesFor(count: number): number {
  if (count <= 0x100) return 1;
  if (count <= 0x1_0000) return 2;
  if (count <= 0x100_0000) return 3;
  return 4;
}

function tupleSection(tuplesOffset: number, aCount: number, bCount: number): TupleSection {
  const aOffset = tuplesOffset + TUPLE_SECTION_HEADER_BYTES;
  const bOffset = aOffset + 4 * A_WORDS * aCount;
  const pairsOffset = bOffset + 4 * B_WORDS * bCount;
  return { aCount, bCount, aBytes: indexBytesFor(aCount), bBytes: indexBytesFor(bCount), aOffset, bOffset, pairsOffset };
}

export interface TableLayout {
  kind: TableKind;
  epoch: number;
  bucketBits: number;
  suffixBytes: number;
  valueBytes: number;
  recordBytes: number;
  entryCount: number;
  tupleCount: number;
  bucketsOffset: number;
  entriesOffset: number;
  tuplesOffset: number;
  /** Null for alias tables. */
  tuples: TupleSection | null;
  byteLength: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Bytes of the low part of a key once the top `bucketBits` are implied by the bucket. */
export function suffixBytesFor(bucketBits: number): number {
  return Math.max(4, Math.ceil((64 - bucketBits) / 8));
}

export function valueBytesFor(kind: TableKind, tupleCount: number): number {
  return kind === 'alias' ? 8 : indexBytesFor(tupleCount);
}

export function tableLayout(
  kind: TableKind,
  epoch: number,
  bucketBits: number,
  entryCount: number,
  tupleCount: number,
  valueBytes: number = valueBytesFor(kind, tupleCount),
  /** Dictionary sizes; at most the tuple count each, which is what sizing without them assumes. */
  dictionaries: { aCount: number; bCount: number } = { aCount: tupleCount, bCount: tupleCount },
): TableLayout {
  const suffixBytes = suffixBytesFor(bucketBits);
  const recordBytes = suffixBytes + valueBytes;
  const bucketsOffset = TABLE_HEADER_BYTES;
  const entriesOffset = align8(bucketsOffset + 4 * (2 ** bucketBits + 1));
  const tuplesOffset = align8(entriesOffset + entryCount * recordBytes);
  const tuples = kind === 'status' ? tupleSection(tuplesOffset, dictionaries.aCount, dictionaries.bCount) : null;
  const byteLength = tuples === null ? tuplesOffset : tuples.pairsOffset + tupleCount * (tuples.aBytes + tuples.bBytes);
  return {
    kind,
    epoch,
    bucketBits,
    suffixBytes,
    valueBytes,
    recordBytes,
    entryCount,
    tupleCount,
    bucketsOffset,
    entriesOffset,
    tuplesOffset,
    tuples,
    byteLength,
  };
}

/**
 * The smallest file among bucket sizes that keep buckets short: each bucket bit saves key bits
 * in every entry but doubles the bucket table.
 */
export function chooseTableLayout(kind: TableKind, entryCount: number, tupleCount: number, epoch: number): TableLayout {
  if (!Number.isInteger(entryCount) || entryCount < 0 || entryCount > MAX_TABLE_ENTRIES) {
    throw new RangeError(`a table holds 0..${MAX_TABLE_ENTRIES} entries, not ${entryCount}`);
  }
  let best: TableLayout | null = null;
  let bestShort: TableLayout | null = null;
  for (let bits = 0; bits <= MAX_BUCKET_BITS; bits++) {
    const layout = tableLayout(kind, epoch, bits, entryCount, tupleCount);
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
  const suffixBytes = view.getUint8(8);
  const valueBytes = view.getUint8(9);
  const epoch = view.getUint32(12, true);
  const tupleCount = view.getUint32(16, true);
  const entryCount = view.getUint32(20, true);
  if (suffixBytes !== suffixBytesFor(bucketBits)) return bundleFail('malformed', `${suffixBytes} key bytes for ${bucketBits} bucket bits`);
  if (kind === 'alias' ? valueBytes !== 8 || tupleCount !== 0 : valueBytes < 1 || valueBytes > 4 || tupleCount > 256 ** valueBytes) {
    return bundleFail('malformed', `${valueBytes} value bytes for a ${kind} table of ${tupleCount} tuples`);
  }
  if (entryCount > MAX_TABLE_ENTRIES) return bundleFail('malformed', `${entryCount} entries`);
  for (let i = 10; i < 12; i++) if (bytes[i] !== 0) return bundleFail('malformed', 'reserved header bytes are not zero');
  for (let i = 24; i < TABLE_HEADER_BYTES; i++) if (bytes[i] !== 0) return bundleFail('malformed', 'reserved header bytes are not zero');
  let dictionaries = { aCount: 0, bCount: 0 };
  if (kind === 'status') {
    const at = tableLayout(kind, epoch, bucketBits, entryCount, 0, valueBytes).tuplesOffset;
    if (bytes.length < at + TUPLE_SECTION_HEADER_BYTES) return bundleFail('malformed', 'status table without its tuple section');
    const aCount = view.getUint32(at, true);
    const bCount = view.getUint32(at + 4, true);
    const empty = tupleCount === 0;
    if (aCount > tupleCount || bCount > tupleCount || (!empty && (aCount === 0 || bCount === 0))) {
      return bundleFail('malformed', `${aCount} and ${bCount} dictionary entries for ${tupleCount} tuples`);
    }
    if (view.getUint8(at + 8) !== indexBytesFor(aCount) || view.getUint8(at + 9) !== indexBytesFor(bCount)) {
      return bundleFail('malformed', 'tuple index widths do not match the dictionaries');
    }
    for (let i = at + 10; i < at + TUPLE_SECTION_HEADER_BYTES; i++) if (bytes[i] !== 0) return bundleFail('malformed', 'reserved tuple bytes are not zero');
    dictionaries = { aCount, bCount };
  }
  const layout = tableLayout(kind, epoch, bucketBits, entryCount, tupleCount, valueBytes, dictionaries);
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
  private readonly maxTuples: number;

  /** `layout.tupleCount` is an upper bound: it fixes the value width; finish() gives the real count. */
  constructor(layout: TableLayout, allocate: Allocate = zeroedAllocate) {
    this.layout = layout;
    this.bytes = allocate(layout.byteLength);
    this.view = dataView(this.bytes);
    this.shift = 32 - layout.bucketBits;
    this.maxTuples = layout.tupleCount;
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

  pushStatus(hi: number, lo: number, tupleIndex: number): void {
    if (tupleIndex >= this.maxTuples) throw new RangeError(`tuple ${tupleIndex} of ${this.maxTuples}`);
    let at = this.pushKey(hi, lo);
    const bytes = this.bytes;
    for (let j = 0; j < this.layout.valueBytes; j++) bytes[at++] = (tupleIndex >>> (8 * j)) & 0xff;
  }

  pushAlias(hi: number, lo: number, targetHi: number, targetLo: number): void {
    const at = this.pushKey(hi, lo);
    this.view.setUint32(at, targetHi, false);
    this.view.setUint32(at + 4, targetLo, false);
  }

  /** Completes the bucket table and writes the tuples (status tables); returns the table. */
  finish(tupleWords: Uint32Array = new Uint32Array(0)): Uint8Array {
    const { layout, view, bytes } = this;
    if (this.count !== layout.entryCount) throw new RangeError(`${this.count} entries pushed, ${layout.entryCount} announced`);
    const tupleCount = tupleWords.length / TUPLE_WORDS;
    if (!Number.isInteger(tupleCount) || tupleCount > this.maxTuples || (layout.kind === 'alias' && tupleCount > 0)) {
      throw new RangeError(`${tupleWords.length} tuple words for a ${layout.kind} table of at most ${this.maxTuples} tuples`);
    }
    this.startBucketsUpTo(2 ** layout.bucketBits);
    const entriesEnd = layout.entriesOffset + layout.entryCount * layout.recordBytes;
    bytes.fill(0, entriesEnd, layout.tuplesOffset);
    let final = layout;
    if (layout.kind === 'status') {
      // Split each tuple into its A and B parts, each part stored once.
      const a = new TupleInterner(Math.min(tupleCount, 1 << 16));
      const b = new TupleInterner(Math.min(tupleCount, 1 << 16));
      const pairs = new Uint32Array(2 * tupleCount);
      for (let t = 0; t < tupleCount; t++) {
        const w = t * TUPLE_WORDS;
        pairs[2 * t] = a.intern(tupleWords[w] ?? 0, 0, 0, 0);
        pairs[2 * t + 1] = b.intern(tupleWords[w + 1] ?? 0, tupleWords[w + 2] ?? 0, tupleWords[w + 3] ?? 0, 0);
      }
      final = tableLayout(layout.kind, layout.epoch, layout.bucketBits, layout.entryCount, tupleCount, layout.valueBytes, {
        aCount: a.size,
        bCount: b.size,
      });
      const section = final.tuples;
      if (section === null) throw new RangeError('a status table has a tuple section');
      view.setUint32(final.tuplesOffset, a.size, true);
      view.setUint32(final.tuplesOffset + 4, b.size, true);
      view.setUint8(final.tuplesOffset + 8, section.aBytes);
      view.setUint8(final.tuplesOffset + 9, section.bBytes);
      bytes.fill(0, final.tuplesOffset + 10, section.aOffset);
      const aWords = a.tupleWords();
      for (let i = 0; i < a.size; i++) view.setUint32(section.aOffset + 4 * i, aWords[i * TUPLE_WORDS] ?? 0, true);
      const bWords = b.tupleWords();
      for (let i = 0; i < b.size; i++) {
        for (let w = 0; w < B_WORDS; w++) view.setUint32(section.bOffset + 4 * (B_WORDS * i + w), bWords[i * TUPLE_WORDS + w] ?? 0, true);
      }
      const pairBytes = section.aBytes + section.bBytes;
      for (let t = 0; t < tupleCount; t++) {
        let at = section.pairsOffset + t * pairBytes;
        const ai = pairs[2 * t] ?? 0;
        const bi = pairs[2 * t + 1] ?? 0;
        for (let j = 0; j < section.aBytes; j++) bytes[at++] = (ai >>> (8 * j)) & 0xff;
        for (let j = 0; j < section.bBytes; j++) bytes[at++] = (bi >>> (8 * j)) & 0xff;
      }
    }
    bytes.set(TABLE_MAGIC, 0);
    view.setUint16(4, TABLE_VERSION, true);
    view.setUint8(6, layout.kind === 'status' ? 1 : 2);
    view.setUint8(7, layout.bucketBits);
    view.setUint8(8, layout.suffixBytes);
    view.setUint8(9, layout.valueBytes);
    view.setUint32(12, layout.epoch, true);
    view.setUint32(16, tupleCount, true);
    view.setUint32(20, layout.entryCount, true);
    return bytes.subarray(0, final.byteLength);
  }
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
  const tupleCount = input.tupleWords.length / TUPLE_WORDS;
  const layout = chooseTableLayout('status', input.count, tupleCount, input.epoch);
  const sorted = sortKeyColumns({ hi: input.keyHi, lo: input.keyLo, values: [input.tuple] }, input.count, layout.bucketBits);
  const writer = new TableWriter(layout, input.allocate);
  const tuples = sorted.values[0] ?? new Uint32Array(0);
  for (let i = 0; i < input.count; i++) writer.pushStatus(sorted.hi[i] ?? 0, sorted.lo[i] ?? 0, tuples[i] ?? 0);
  return writer.finish(input.tupleWords);
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
  const layout = chooseTableLayout('alias', input.count, 0, input.epoch);
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
