// Compaction: base table + delta overlay -> a new base table, in one merge pass in key order.
// The base's dictionaries carry over (indices unchanged when their widths allow), extended with
// the parts of the records deltas brought, so base entries are copied, not re-decoded.
import { REMOVED_TUPLE } from '../../common/bundle/status-delta.js';
import {
  chooseTableLayout,
  newPartInterners,
  sortKeyColumns,
  splitTuples,
  TableWriter,
  type Allocate,
  type KeyColumns,
} from '../../common/bundle/status-table.js';
import type { TableView } from './table-view.js';

export interface MergeInput {
  base: TableView;
  /** Overlay entries, unsorted; values index `extraTupleWords`, or are REMOVED_TUPLE. */
  overlay: KeyColumns;
  overlayCount: number;
  /** TUPLE_WORDS words per record the deltas brought. */
  extraTupleWords: Uint32Array;
  allocate?: Allocate;
}

export function mergeIntoTable(input: MergeInput): Uint8Array {
  const { base } = input;
  base.ensureLoaded();
  const sorted = sortKeyColumns(input.overlay, input.overlayCount, Math.floor(Math.log2(Math.max(1, input.overlayCount / 8))));
  const values = sorted.values[0] ?? new Uint32Array(0);
  let entryCount = base.entryCount;
  for (let j = 0; j < input.overlayCount; j++) {
    const inBase = base.find(sorted.hi[j] ?? 0, sorted.lo[j] ?? 0) >= 0;
    const removed = values[j] === REMOVED_TUPLE;
    if (removed && inBase) entryCount--;
    else if (!removed && !inBase) entryCount++;
  }

  // The base dictionaries first, in order, then the parts of the deltas' records.
  const { aCount, bCount } = base.layout;
  const parts = newPartInterners(Math.max(aCount, bCount, 1024));
  const words = new Uint32Array(4);
  const remapA = new Uint32Array(aCount);
  const remapB = new Uint32Array(bCount);
  for (let a = 0; a < aCount; a++) {
    base.partWords(a, 0, words);
    remapA[a] = parts.a.intern(words[0] ?? 0, 0, 0, 0);
  }
  for (let b = 0; b < bCount; b++) {
    base.partWords(0, b, words);
    remapB[b] = parts.b.intern(words[1] ?? 0, words[2] ?? 0, words[3] ?? 0, 0);
  }
  const extra = splitTuples(input.extraTupleWords, parts);
  const layout = chooseTableLayout('status', entryCount, extra.aCount, extra.bCount, base.layout.epoch);
  const writer = new TableWriter(layout, input.allocate);
  const pushExtra = (hi: number, lo: number, tuple: number): void => {
    if (tuple !== REMOVED_TUPLE) writer.pushStatus(hi, lo, extra.aOf[tuple] ?? 0, extra.bOf[tuple] ?? 0);
  };

  const buckets = 2 ** base.layout.bucketBits;
  let bucket = 0;
  let bucketEnd = base.bucketStart(1);
  let j = 0;
  for (let i = 0; i < base.entryCount; i++) {
    while (i >= bucketEnd && bucket < buckets - 1) {
      bucket++;
      bucketEnd = base.bucketStart(bucket + 1);
    }
    const hi = base.keyHiAt(i, bucket);
    const lo = base.keyLoAt(i);
    // Overlay keys before this base key are new subjects.
    for (; j < input.overlayCount; j++) {
      const oh = sorted.hi[j] ?? 0;
      const ol = sorted.lo[j] ?? 0;
      if (oh > hi || (oh === hi && ol >= lo)) break;
      pushExtra(oh, ol, values[j] ?? REMOVED_TUPLE);
    }
    if (j < input.overlayCount && sorted.hi[j] === hi && sorted.lo[j] === lo) {
      pushExtra(hi, lo, values[j] ?? REMOVED_TUPLE);
      j++;
      continue;
    }
    writer.pushStatus(hi, lo, remapA[base.aAt(i)] ?? 0, remapB[base.bAt(i)] ?? 0);
  }
  for (; j < input.overlayCount; j++) pushExtra(sorted.hi[j] ?? 0, sorted.lo[j] ?? 0, values[j] ?? REMOVED_TUPLE);
  return writer.finish(extra.aWords, extra.bWords);
}
