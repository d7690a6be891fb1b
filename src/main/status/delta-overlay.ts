// The changes installed since the base table: subject key -> index of a record the deltas
// brought, or "removed".
// Open addressing over typed arrays (the keys are HMAC output, so their low bits are already a
// good hash); lookups and inserts allocate nothing. The arrays live in shared memory, so a
// compaction worker reads a frozen overlay in place (slots()) instead of a copy.
import type { KeyColumns } from '../../common/bundle/status-table.js';

export const OVERLAY_ABSENT = -1;
export const OVERLAY_REMOVED = -2;
/** Stored value for a removal; stored values are tuple index + 1, with 0 marking an empty slot. */
const REMOVED_SLOT = 0xffff_ffff;

/** The overlay's hash table as it is: 2 key words and 1 value per slot, 0 marking an empty slot. */
export interface OverlaySlots {
  keys: Uint32Array;
  values: Uint32Array;
  count: number;
}

const sharedWords = (length: number): Uint32Array => new Uint32Array(new SharedArrayBuffer(4 * length));

/** Every entry of an overlay's slots, unsorted: values are tuple indices, removals 0xffffffff. */
export function slotColumns({ keys, values, count }: OverlaySlots): KeyColumns {
  const hi = new Uint32Array(count);
  const lo = new Uint32Array(count);
  const value = new Uint32Array(count);
  let n = 0;
  for (let slot = 0; slot < values.length; slot++) {
    const stored = values[slot] ?? 0;
    if (stored === 0) continue;
    hi[n] = keys[2 * slot] ?? 0;
    lo[n] = keys[2 * slot + 1] ?? 0;
    value[n] = stored === REMOVED_SLOT ? REMOVED_SLOT : stored - 1;
    n++;
  }
  return { hi, lo, values: [value] };
}

export class DeltaOverlay {
  private keys: Uint32Array;
  private values: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = sharedWords(capacity * 2);
    this.values = sharedWords(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Tuple index, OVERLAY_REMOVED or OVERLAY_ABSENT. */
  get(hi: number, lo: number): number {
    const keys = this.keys;
    const values = this.values;
    let slot = lo & this.mask;
    for (;;) {
      const stored = values[slot] ?? 0;
      if (stored === 0) return OVERLAY_ABSENT;
      if (keys[2 * slot] === hi && keys[2 * slot + 1] === lo) return stored === REMOVED_SLOT ? OVERLAY_REMOVED : stored - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Records a tuple index, or OVERLAY_REMOVED. */
  set(hi: number, lo: number, tuple: number): void {
    const stored = tuple === OVERLAY_REMOVED ? REMOVED_SLOT : tuple + 1;
    let slot = lo & this.mask;
    for (;;) {
      const current = this.values[slot] ?? 0;
      if (current === 0) break;
      if (this.keys[2 * slot] === hi && this.keys[2 * slot + 1] === lo) {
        this.values[slot] = stored;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.keys[2 * slot] = hi;
    this.keys[2 * slot + 1] = lo;
    this.values[slot] = stored;
    this.count++;
    if (this.count * 2 > this.values.length) this.grow();
  }

  /** Makes room for `more` entries at once, so a big delta rehashes once. */
  reserve(more: number): void {
    while ((this.count + more) * 2 > this.values.length) this.grow();
  }

  /** Every entry, unsorted: values are tuple indices, OVERLAY_REMOVED as 0xffffffff. */
  columns(): KeyColumns {
    return slotColumns(this.slots());
  }

  /** The hash table itself (shared memory; it changes with the next set()). */
  slots(): OverlaySlots {
    return { keys: this.keys, values: this.values, count: this.count };
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const capacity = oldValues.length * 2;
    this.keys = sharedWords(capacity * 2);
    this.values = sharedWords(capacity);
    this.mask = capacity - 1;
    for (let slot = 0; slot < oldValues.length; slot++) {
      const stored = oldValues[slot] ?? 0;
      if (stored === 0) continue;
      const hi = oldKeys[2 * slot] ?? 0;
      const lo = oldKeys[2 * slot + 1] ?? 0;
      let to = lo & this.mask;
      while ((this.values[to] ?? 0) !== 0) to = (to + 1) & this.mask;
      this.keys[2 * to] = hi;
      this.keys[2 * to + 1] = lo;
      this.values[to] = stored;
    }
  }
}
