// Lookups in a status or alias table held in one buffer (format: src/common/bundle/status-table.ts).
// Nothing is parsed at open beyond the header and the bucket table's bounds; a lookup reads two
// bucket starts and binary-searches a handful of fixed-size records. No allocation per lookup.
import { bundleFail, type BundleResult } from '../../common/bundle/bundle-types.js';
import { readTableLayout, type TableKind, type TableLayout } from '../../common/bundle/status-table.js';

/**
 * Brings entry bytes into the view's buffer on demand while a table is still being read from
 * its file (table-loader.ts); the view drops it once everything is in memory.
 */
export interface TablePager {
  /** Makes bytes [start, end) of the table present. */
  ensure(start: number, end: number): void;
  /** Makes the whole table present. */
  ensureAll(): void;
}

export class TableView {
  readonly layout: TableLayout;
  private pager: TablePager | null = null;
  readonly bytes: Uint8Array;
  private readonly shift: number;
  private readonly bucketsOffset: number;
  private readonly entriesOffset: number;
  private readonly recordBytes: number;
  /** Bytes of the key suffix above its low 32 bits (S - 4). */
  private readonly hiBytes: number;
  private readonly hiMask: number;
  private readonly valueOffset: number;
  private readonly valueBytes: number;
  /** Radix of the status value (at least 1, so an empty table divides safely). */
  private readonly bCount: number;

  private constructor(bytes: Uint8Array, layout: TableLayout) {
    this.bytes = bytes;
    this.layout = layout;
    this.shift = 32 - layout.bucketBits;
    this.bucketsOffset = layout.bucketsOffset;
    this.entriesOffset = layout.entriesOffset;
    this.recordBytes = layout.recordBytes;
    this.hiBytes = layout.suffixBytes - 4;
    this.hiMask = this.hiBytes === 4 ? 0xffff_ffff : 2 ** (8 * this.hiBytes) - 1;
    this.valueOffset = layout.suffixBytes;
    this.valueBytes = layout.valueBytes;
    this.bCount = Math.max(1, layout.bCount);
  }

  /**
   * Checks the header, the length and the bucket table, so no lookup can read out of bounds.
   * `checkBuckets: false` skips the bucket table (tens of ms at 100 M entries) for a table whose
   * bytes were checked already where they were made (a compaction worker).
   */
  static open(bytes: Uint8Array, kind: TableKind, options: { checkBuckets?: boolean } = {}): BundleResult<TableView> {
    const layout = readTableLayout(bytes, { checkBuckets: options.checkBuckets ?? true });
    if (!layout.ok) return layout;
    if (layout.value.kind !== kind) return bundleFail('malformed', `expected a ${kind} table, found a ${layout.value.kind} table`);
    return { ok: true, value: new TableView(bytes, layout.value) };
  }

  /** While a loader fills the table, lookups go through it; null once all is in memory. */
  setPager(pager: TablePager | null): void {
    this.pager = pager;
  }

  /** Reads whatever is not in memory yet; for whole-table passes (checks, compaction). */
  ensureLoaded(): void {
    this.pager?.ensureAll();
  }

  get entryCount(): number {
    return this.layout.entryCount;
  }

  /** Whether every byte is in memory (no loader still streaming the entries in). */
  get loaded(): boolean {
    return this.pager === null;
  }

  bucketStart(bucket: number): number {
    const b = this.bytes;
    const at = this.bucketsOffset + 4 * bucket;
    return ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;
  }

  /** Position of the entry whose key is (hi, lo), or -1. */
  find(hi: number, lo: number): number {
    const bucket = this.shift === 32 ? 0 : hi >>> this.shift;
    let low = this.bucketStart(bucket);
    let high = this.bucketStart(bucket + 1);
    if (this.pager !== null && high > low) {
      this.pager.ensure(this.entriesOffset + low * this.recordBytes, this.entriesOffset + high * this.recordBytes);
    }
    const hiBytes = this.hiBytes;
    const wantHi = hiBytes === 4 ? hi >>> 0 : hi & this.hiMask;
    const b = this.bytes;
    while (low < high) {
      const mid = (low + high) >>> 1;
      let at = this.entriesOffset + mid * this.recordBytes;
      let entryHi = 0;
      for (let j = 0; j < hiBytes; j++) entryHi = entryHi * 256 + (b[at++] ?? 0);
      if (entryHi === wantHi) {
        const entryLo = (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
        if (entryLo === lo) return mid;
        if (entryLo < lo) low = mid + 1;
        else high = mid;
      } else if (entryHi < wantHi) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return -1;
  }

  /** The A and B entries of a status entry, as a x (B count) + b. */
  pairAt(position: number): number {
    const b = this.bytes;
    const at = this.entriesOffset + position * this.recordBytes + this.valueOffset;
    let value = 0;
    for (let j = this.valueBytes - 1; j >= 0; j--) value = value * 256 + (b[at + j] ?? 0);
    return value;
  }

  /** The A dictionary index of a status entry. */
  aAt(position: number): number {
    return Math.floor(this.pairAt(position) / this.bCount);
  }

  /** The B dictionary index of a status entry. */
  bAt(position: number): number {
    return this.pairAt(position) % this.bCount;
  }

  /** Writes the tuple words of the status entry at `position` into `out`; false if it names no record. */
  recordWords(position: number, out: Uint32Array): boolean {
    const pair = this.pairAt(position);
    const a = Math.floor(pair / this.bCount);
    return this.partWords(a, pair - a * this.bCount, out);
  }

  /** Writes the tuple words of A entry `a` with B entry `b` into `out`. */
  partWords(a: number, b: number, out: Uint32Array): boolean {
    const { layout } = this;
    if (a >= layout.aCount || b >= layout.bCount) return false;
    const bAt = layout.bOffset + 12 * b;
    out[0] = this.readU32LE(layout.aOffset + 4 * a);
    out[1] = this.readU32LE(bAt);
    out[2] = this.readU32LE(bAt + 4);
    out[3] = this.readU32LE(bAt + 8);
    return true;
  }

  /** The high and low halves of the subject key an alias entry stands for. */
  aliasHiAt(position: number): number {
    return this.readU32BE(this.entriesOffset + position * this.recordBytes + this.valueOffset);
  }

  aliasLoAt(position: number): number {
    return this.readU32BE(this.entriesOffset + position * this.recordBytes + this.valueOffset + 4);
  }

  /** The full key of the entry at `position` in bucket `bucket` (for iteration in key order). */
  keyHiAt(position: number, bucket: number): number {
    let at = this.entriesOffset + position * this.recordBytes;
    let suffixHi = 0;
    for (let j = 0; j < this.hiBytes; j++) suffixHi = suffixHi * 256 + (this.bytes[at++] ?? 0);
    return this.shift === 32 ? suffixHi : ((bucket << this.shift) | suffixHi) >>> 0;
  }

  keyLoAt(position: number): number {
    return this.readU32BE(this.entriesOffset + position * this.recordBytes + this.hiBytes);
  }

  /**
   * Checks every entry: keys strictly ascending, status values naming an existing tuple. One pass
   * at install time, so lookups and compaction can trust the table afterwards.
   */
  checkEntries(): BundleResult<TableView> {
    this.ensureLoaded();
    const buckets = 2 ** this.layout.bucketBits;
    const isStatus = this.layout.kind === 'status';
    let lastHi = -1;
    let lastLo = -1;
    let bucket = 0;
    let bucketEnd = this.bucketStart(1);
    for (let i = 0; i < this.entryCount; i++) {
      while (i >= bucketEnd && bucket < buckets - 1) {
        bucket++;
        bucketEnd = this.bucketStart(bucket + 1);
      }
      const hi = this.keyHiAt(i, bucket);
      const lo = this.keyLoAt(i);
      if (hi < lastHi || (hi === lastHi && lo <= lastLo) || (this.shift < 32 && hi >>> this.shift !== bucket)) {
        return bundleFail('malformed', `table entry ${i} is out of key order`);
      }
      if (isStatus && (this.aAt(i) >= this.layout.aCount || this.bAt(i) >= this.layout.bCount)) {
        return bundleFail('malformed', `table entry ${i} names a missing record`);
      }
      lastHi = hi;
      lastLo = lo;
    }
    return { ok: true, value: this };
  }

  private readU32LE(at: number): number {
    const b = this.bytes;
    return ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;
  }

  private readU32BE(at: number): number {
    const b = this.bytes;
    return (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
  }
}
