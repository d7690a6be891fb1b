// Compaction: base table + delta overlay -> a new base table, in one merge pass in key order.
// Tuples are re-interned on the way, so tuples no entry uses any more are dropped and the ones
// deltas repeated are shared again.
import { REMOVED_TUPLE } from '../../common/bundle/status-delta.js';
import { TupleInterner } from '../../common/bundle/status-record.js';
import { chooseTableLayout, sortKeyColumns, TableWriter, type Allocate, type KeyColumns } from '../../common/bundle/status-table.js';
import type { TableView } from './table-view.js';

export interface MergeInput {
  base: TableView;
  /** Overlay entries, unsorted; values are global tuple indices or REMOVED_TUPLE. */
  overlay: KeyColumns;
  overlayCount: number;
  /** Total tuple indices in use (base tuples then overlay tuples). */
  tupleCount: number;
  /** Writes the four words of a global tuple index into `out`. */
  tupleWords(index: number, out: Uint32Array): void;
  allocate?: Allocate;
}

export function mergeIntoTable(input: MergeInput): Uint8Array {
  const { base } = input;
  const sorted = sortKeyColumns(input.overlay, input.overlayCount, Math.floor(Math.log2(Math.max(1, input.overlayCount / 8))));
  const values = sorted.values[0] ?? new Uint32Array(0);
  let entryCount = base.entryCount;
  for (let j = 0; j < input.overlayCount; j++) {
    const inBase = base.find(sorted.hi[j] ?? 0, sorted.lo[j] ?? 0) >= 0;
    const removed = values[j] === REMOVED_TUPLE;
    if (removed && inBase) entryCount--;
    else if (!removed && !inBase) entryCount++;
  }
  const layout = chooseTableLayout('status', entryCount, input.tupleCount, base.layout.epoch);
  const writer = new TableWriter(layout, input.allocate);
  const interner = new TupleInterner(Math.min(input.tupleCount, 1 << 20));
  const remap = new Int32Array(input.tupleCount).fill(-1);
  const words = new Uint32Array(4);
  const remapped = (tuple: number): number => {
    let to = remap[tuple] ?? -1;
    if (to < 0) {
      input.tupleWords(tuple, words);
      to = interner.intern(words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0);
      remap[tuple] = to;
    }
    return to;
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
      const tuple = values[j] ?? REMOVED_TUPLE;
      if (tuple !== REMOVED_TUPLE) writer.pushStatus(oh, ol, remapped(tuple));
    }
    if (j < input.overlayCount && sorted.hi[j] === hi && sorted.lo[j] === lo) {
      const tuple = values[j] ?? REMOVED_TUPLE;
      j++;
      if (tuple !== REMOVED_TUPLE) writer.pushStatus(hi, lo, remapped(tuple));
      continue;
    }
    writer.pushStatus(hi, lo, remapped(base.tupleAt(i)));
  }
  for (; j < input.overlayCount; j++) {
    const tuple = values[j] ?? REMOVED_TUPLE;
    if (tuple !== REMOVED_TUPLE) writer.pushStatus(sorted.hi[j] ?? 0, sorted.lo[j] ?? 0, remapped(tuple));
  }
  return writer.finish(interner.tupleWords());
}
