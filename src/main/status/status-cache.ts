// The country-scale status cache: an immutable sorted base table (from a status-snapshot bundle,
// or compacted on the kiosk), a delta overlay on top, and the alias map for the earlier apps'
// ids. It implements the pipeline's StatusLookup; see README.md in this folder for the design.
import { REMOVED_TUPLE, readDeltaLayout } from '../../common/bundle/status-delta.js';
import { bundleFail, bundleOk, type BundleResult } from '../../common/bundle/bundle-types.js';
import { TUPLE_WORDS, TupleInterner, unpackStatusRecord } from '../../common/bundle/status-record.js';
import type { Allocate } from '../../common/bundle/status-table.js';
import type { StatusEntry, StatusLookup } from '../pipeline/status.js';
import { mergeIntoTable } from './compaction.js';
import { DeltaOverlay, OVERLAY_ABSENT, OVERLAY_REMOVED, type OverlaySlots } from './delta-overlay.js';
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

/** What a compaction merges, frozen until it ends (see CountryStatusCache.freeze). */
export interface CompactionInput {
  base: TableView;
  /** The overlay's hash table, in shared memory. */
  overlay: OverlaySlots;
  /** TUPLE_WORDS words per record the deltas brought (a copy, for the worker to take). */
  extraTupleWords: Uint32Array;
}

export class CountryStatusCache implements StatusLookup {
  private base: TableView;
  private overlay = new DeltaOverlay();
  /** Records that came with deltas; the overlay's values index them. */
  private extraTuples = new TupleInterner(64);
  private extraEntries = new Map<number, StatusEntry>();
  private aliases: TableView | null;
  private readonly epochKey: Uint8Array;
  private readonly scratch = new Uint32Array(TUPLE_WORDS);
  private frozen = false;
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
    const entry = this.entryForKey(hi, lo);
    if (entry !== undefined || this.aliases === null) return entry;
    const at = this.aliases.find(hi, lo);
    return at < 0 ? undefined : this.entryForKey(this.aliases.aliasHiAt(at), this.aliases.aliasLoAt(at));
  }

  /**
   * The overlay first, then the base table. A base entry is decoded on each lookup (one small
   * object from words in two cache-resident dictionaries): cheaper than any per-record cache when
   * most lookups meet a record for the first time, as they do at a door.
   */
  private entryForKey(hi: number, lo: number): StatusEntry | undefined {
    if (this.overlay.size > 0) {
      const changed = this.overlay.get(hi, lo);
      if (changed === OVERLAY_REMOVED) return undefined;
      if (changed !== OVERLAY_ABSENT) return this.extraEntry(changed);
    }
    const at = this.base.find(hi, lo);
    if (at < 0) return undefined;
    const words = this.scratch;
    if (!this.base.recordWords(at, words)) return undefined;
    return unpackStatusRecord(words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0) ?? undefined;
  }

  private extraEntry(tuple: number): StatusEntry | undefined {
    const cached = this.extraEntries.get(tuple);
    if (cached !== undefined) return cached;
    const words = this.extraTuples.tupleWords();
    const at = tuple * TUPLE_WORDS;
    if (at + TUPLE_WORDS > words.length) return undefined;
    const entry = unpackStatusRecord(words[at] ?? 0, words[at + 1] ?? 0, words[at + 2] ?? 0, words[at + 3] ?? 0) ?? undefined;
    if (entry !== undefined) this.extraEntries.set(tuple, entry);
    return entry;
  }

  /**
   * Applies a status delta (its bytes already verified as part of a bundle) on top of what is
   * there. Returns the number of entries applied.
   */
  applyDelta(payload: Uint8Array, issuedAt: number): BundleResult<number> {
    if (this.frozen) throw new Error('a delta was applied to a status cache being compacted (the store must wait until it is done)');
    const layout = readDeltaLayout(payload);
    if (!layout.ok) return layout;
    const { epoch, tupleCount, entryCount, tuplesOffset, entriesOffset } = layout.value;
    if (epoch !== this.epoch) return bundleFail('epoch_key_missing', `delta of epoch ${epoch} on a table of epoch ${this.epoch}`);
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const extra = new Int32Array(tupleCount);
    for (let t = 0; t < tupleCount; t++) {
      const at = tuplesOffset + 16 * t;
      extra[t] = this.extraTuples.intern(
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
        tuple === REMOVED_TUPLE ? OVERLAY_REMOVED : (extra[tuple] ?? OVERLAY_REMOVED),
      );
    }
    this.issuedAt = Math.max(this.issuedAt ?? 0, issuedAt);
    return bundleOk(entryCount);
  }

  /** Base and overlay merged into the bytes of a new status table (the cache is unchanged). */
  compactToTable(allocate?: Allocate): Uint8Array {
    return mergeIntoTable({
      base: this.base,
      overlay: this.overlay.columns(),
      overlayCount: this.overlay.size,
      extraTupleWords: this.extraTuples.tupleWords(),
      ...(allocate === undefined ? {} : { allocate }),
    });
  }

  /**
   * Freezes base and overlay for a compaction running elsewhere (a worker reads the overlay's
   * shared memory in place): lookups go on as before, applyDelta throws until replaceBase() or
   * thaw().
   */
  freeze(): CompactionInput {
    this.frozen = true;
    return { base: this.base, overlay: this.overlay.slots(), extraTupleWords: this.extraTuples.tupleWords().slice() };
  }

  /** Ends a freeze whose compaction did not complete: the overlay stays as it was. */
  thaw(): void {
    this.frozen = false;
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  /** Swaps in a compacted table holding this cache's data; the overlay starts empty again. */
  replaceBase(table: TableView): void {
    this.frozen = false;
    this.base = table;
    this.overlay = new DeltaOverlay();
    this.extraTuples = new TupleInterner(64);
    this.extraEntries = new Map();
    this.setAliases(this.aliases);
  }
}
