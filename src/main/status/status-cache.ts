// The country-scale status cache: an immutable sorted base table (from a status-snapshot bundle,
// or compacted on the kiosk), a delta overlay on top, and the alias map for the earlier apps'
// ids. It implements the pipeline's StatusLookup; see README.md in this folder for the design.
import { REMOVED_TUPLE, readDeltaLayout } from '../../common/bundle/status-delta.js';
import { bundleFail, bundleOk, type BundleResult } from '../../common/bundle/bundle-types.js';
import { TUPLE_WORDS, TupleInterner, unpackStatusRecord } from '../../common/bundle/status-record.js';
import type { Allocate } from '../../common/bundle/status-table.js';
import type { StatusEntry, StatusLookup } from '../pipeline/status.js';
import { mergeIntoTable } from './compaction.js';
import { DeltaOverlay, OVERLAY_ABSENT, OVERLAY_REMOVED } from './delta-overlay.js';
import { subjectKeyDigest } from './subject-key.js';
import type { TableView } from './table-view.js';

export interface StatusCacheOptions {
  base: TableView;
  /** The epoch key the base table's keys were derived with. */
  epochKey: Uint8Array;
  /** Issued-at (ms) of the newest status bundle behind the data. */
  issuedAt: number | null;
  aliases?: TableView | null;
}

export class CountryStatusCache implements StatusLookup {
  private base: TableView;
  private overlay = new DeltaOverlay();
  /** Tuples that came with deltas; global index = base tuple count + index here. */
  private extraTuples = new TupleInterner(64);
  /**
   * Decoded entries, one per tuple met so far: `slots` maps a base tuple index to its place in
   * `entries` (-1: not yet), a dense array that stays fast whatever the tuple count.
   */
  private slots: Int32Array | null = null;
  private entries: StatusEntry[] = [];
  private extraEntries = new Map<number, StatusEntry>();
  private aliases: TableView | null;
  private readonly epochKey: Uint8Array;
  private readonly scratch = new Uint32Array(TUPLE_WORDS);
  issuedAt: number | null;

  constructor(options: StatusCacheOptions) {
    this.base = options.base;
    this.epochKey = options.epochKey;
    this.issuedAt = options.issuedAt;
    this.aliases = null;
    this.setAliases(options.aliases ?? null);
  }

  get epoch(): number {
    return this.base.layout.epoch;
  }

  /** Entries in the overlay (changes since the base table). */
  get overlaySize(): number {
    return this.overlay.size;
  }

  get baseTable(): TableView {
    return this.base;
  }

  /** The alias map is used only when it was made with the same epoch key as the status table. */
  setAliases(aliases: TableView | null): boolean {
    this.aliases = aliases !== null && aliases.layout.epoch === this.epoch ? aliases : null;
    return aliases === null || this.aliases !== null;
  }

  lookup(subjectIds: readonly string[]): StatusEntry | undefined {
    for (const id of subjectIds) {
      const digest = subjectKeyDigest(this.epochKey, id);
      const entry = this.lookupKey(digest.readUInt32BE(0), digest.readUInt32BE(4));
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  /** By subject key (unsigned halves), following the alias map when the key is an earlier app's id. */
  lookupKey(hi: number, lo: number): StatusEntry | undefined {
    let tuple = this.findTuple(hi, lo);
    if (tuple < 0 && this.aliases !== null) {
      const at = this.aliases.find(hi, lo);
      if (at >= 0) tuple = this.findTuple(this.aliases.aliasHiAt(at), this.aliases.aliasLoAt(at));
    }
    return tuple < 0 ? undefined : this.entryOf(tuple);
  }

  /** Global tuple index of a subject key, or -1. No alias resolution, no allocation. */
  findTuple(hi: number, lo: number): number {
    if (this.overlay.size > 0) {
      const changed = this.overlay.get(hi, lo);
      if (changed === OVERLAY_REMOVED) return -1;
      if (changed !== OVERLAY_ABSENT) return changed;
    }
    const at = this.base.find(hi, lo);
    return at < 0 ? -1 : this.base.tupleAt(at);
  }

  /** The entry of a global tuple index; one object per tuple, made on first use. */
  entryOf(tuple: number): StatusEntry | undefined {
    const baseCount = this.base.tupleCount;
    if (tuple < baseCount) {
      const slots = (this.slots ??= new Int32Array(baseCount).fill(-1));
      const slot = slots[tuple] ?? -1;
      if (slot >= 0) return this.entries[slot];
      const entry = this.decodeTuple(tuple);
      if (entry !== undefined) {
        slots[tuple] = this.entries.length;
        this.entries.push(entry);
      }
      return entry;
    }
    const cached = this.extraEntries.get(tuple);
    if (cached !== undefined) return cached;
    const entry = this.decodeTuple(tuple);
    if (entry !== undefined) this.extraEntries.set(tuple, entry);
    return entry;
  }

  private decodeTuple(tuple: number): StatusEntry | undefined {
    const words = this.scratch;
    if (!this.tupleWords(tuple, words)) return undefined;
    const record = unpackStatusRecord(words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0);
    return record === null ? undefined : Object.freeze(record);
  }

  /** Writes the words of a global tuple index; false when there is no such tuple. */
  tupleWords(tuple: number, out: Uint32Array): boolean {
    const baseCount = this.base.tupleCount;
    if (tuple < baseCount) return this.base.tupleWords(tuple, out);
    const words = this.extraTuples.tupleWords();
    const at = (tuple - baseCount) * TUPLE_WORDS;
    if (at + TUPLE_WORDS > words.length) return false;
    for (let w = 0; w < TUPLE_WORDS; w++) out[w] = words[at + w] ?? 0;
    return true;
  }

  /**
   * Applies a status delta (its bytes already verified as part of a bundle) on top of what is
   * there. Returns the number of entries applied.
   */
  applyDelta(payload: Uint8Array, issuedAt: number): BundleResult<number> {
    const layout = readDeltaLayout(payload);
    if (!layout.ok) return layout;
    const { epoch, tupleCount, entryCount, tuplesOffset, entriesOffset } = layout.value;
    if (epoch !== this.epoch) return bundleFail('epoch_key_missing', `delta of epoch ${epoch} on a table of epoch ${this.epoch}`);
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const global = new Int32Array(tupleCount);
    const baseCount = this.base.tupleCount;
    for (let t = 0; t < tupleCount; t++) {
      const at = tuplesOffset + 16 * t;
      global[t] =
        baseCount +
        this.extraTuples.intern(
          view.getUint32(at, true),
          view.getUint32(at + 4, true),
          view.getUint32(at + 8, true),
          view.getUint32(at + 12, true),
        );
    }
    this.overlay.reserve(entryCount);
    for (let i = 0; i < entryCount; i++) {
      const at = entriesOffset + 12 * i;
      const tuple = view.getUint32(at + 8, true);
      this.overlay.set(
        view.getUint32(at, false),
        view.getUint32(at + 4, false),
        tuple === REMOVED_TUPLE ? OVERLAY_REMOVED : (global[tuple] ?? OVERLAY_REMOVED),
      );
    }
    this.issuedAt = Math.max(this.issuedAt ?? 0, issuedAt);
    return bundleOk(entryCount);
  }

  /** Base and overlay merged into the bytes of a new status table (the cache is unchanged). */
  compactToTable(allocate?: Allocate): Uint8Array {
    const overlay = this.overlay.columns();
    return mergeIntoTable({
      base: this.base,
      overlay,
      overlayCount: this.overlay.size,
      tupleCount: this.base.tupleCount + this.extraTuples.size,
      tupleWords: (index, out) => {
        this.tupleWords(index, out);
      },
      ...(allocate === undefined ? {} : { allocate }),
    });
  }

  /** Swaps in a compacted table holding this cache's data; the overlay starts empty again. */
  replaceBase(table: TableView): void {
    this.base = table;
    this.overlay = new DeltaOverlay();
    this.extraTuples = new TupleInterner(64);
    this.slots = null;
    this.entries = [];
    this.extraEntries = new Map();
    this.setAliases(this.aliases);
  }
}
