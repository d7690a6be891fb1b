import { describe, expect, it } from 'vitest';
import { buildStatusDelta, readDeltaLayout, REMOVED_TUPLE } from './status-delta.js';
import { packStatusRecord, statusRecordProblem, TupleInterner, unpackStatusRecord, type StatusRecord } from './status-record.js';
import { buildAliasTable, buildStatusTable, chooseTableLayout, readTableLayout, sortKeyColumns, TableWriter } from './status-table.js';

/** Deterministic 32-bit generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const record: StatusRecord = {
  status: 'yellow',
  doses: 2,
  lastDoseDate: '2021-09-14',
  lastNegativeTestAt: Date.UTC(2021, 9, 1, 8, 30, 0),
  recoveryDate: null,
  validUntil: Date.UTC(2026, 11, 31),
};

describe('status records', () => {
  it('packs into 16 bytes and back', () => {
    const words = new Uint32Array(4);
    packStatusRecord(record, words, 0);
    expect(unpackStatusRecord(words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0)).toEqual(record);
  });

  it('names what cannot be encoded', () => {
    expect(statusRecordProblem(record)).toBeNull();
    expect(statusRecordProblem({ ...record, doses: 256 })).toMatch(/doses/);
    expect(statusRecordProblem({ ...record, lastDoseDate: '2021-02-30' })).toMatch(/lastDoseDate/);
    expect(statusRecordProblem({ ...record, validUntil: Date.UTC(2200, 0, 1) })).toMatch(/validUntil/);
  });

  it('interns equal records to one index', () => {
    const interner = new TupleInterner(2);
    const a = interner.internRecord(record);
    for (let i = 0; i < 5000; i++) interner.internRecord({ ...record, doses: i % 7 });
    expect(interner.internRecord(record)).toBe(a);
    expect(interner.size).toBe(7);
  });
});

describe('status table layout', () => {
  it.each([
    // entries, bucket bits, key suffix bytes, A and B dictionary sizes, value bytes
    [1_000_000, 16, 6, 10_000, 50_000, 4],
    [10_000_000, 18, 6, 20_000, 200_000, 4],
    [100_000_000, 24, 5, 20_000, 2_000_000, 5],
  ])('keeps %i entries under 12 bytes each (b = %i, key suffix %i bytes)', (entries, bits, suffix, aCount, bCount, valueBytes) => {
    const layout = chooseTableLayout('status', entries, aCount, bCount, 1);
    expect(layout.valueBytes).toBe(valueBytes);
    expect(layout.bucketBits).toBe(bits);
    expect(layout.suffixBytes).toBe(suffix);
    expect(layout.byteLength / entries).toBeLessThan(12);
  });

  it('writes keys in order and refuses duplicates and disorder', () => {
    const writer = new TableWriter(chooseTableLayout('status', 3, 1, 1, 0));
    writer.pushStatus(1, 2, 0, 0);
    expect(() => writer.pushStatus(1, 2, 0, 0)).toThrow(/twice/);
    expect(() => writer.pushStatus(1, 1, 0, 0)).toThrow(/ascending/);
    expect(() => writer.pushStatus(1, 9, 1, 0)).toThrow(/record \(1, 0\) of 1 x 1/);
    writer.pushStatus(1, 3, 0, 0);
    expect(() => writer.finish(new Uint32Array(1), new Uint32Array(3))).toThrow(/2 entries pushed, 3 announced/);
  });

  it('sorts keys with their values, whatever the bucket bits', () => {
    const next = rng(7);
    for (const bits of [0, 3, 12]) {
      const n = 2000;
      const hi = Uint32Array.from({ length: n }, () => next() & 0xff0000ff);
      const lo = Uint32Array.from({ length: n }, () => next());
      const value = Uint32Array.from({ length: n }, (_, i) => i);
      const sorted = sortKeyColumns({ hi, lo, values: [value] }, n, bits);
      for (let i = 1; i < n; i++) {
        const a = (sorted.hi[i - 1] ?? 0) * 2 ** 32 + (sorted.lo[i - 1] ?? 0);
        const b = (sorted.hi[i] ?? 0) * 2 ** 32 + (sorted.lo[i] ?? 0);
        expect(a).toBeLessThan(b);
      }
      const v = sorted.values[0]?.[17] ?? 0;
      expect(hi[v]).toBe(sorted.hi[17]);
      expect(lo[v]).toBe(sorted.lo[17]);
    }
  });

  it('reads back what it built, and refuses a table of the wrong length', () => {
    const interner = new TupleInterner();
    interner.internRecord(record);
    const n = 500;
    const next = rng(3);
    const table = buildStatusTable({
      epoch: 9,
      count: n,
      keyHi: Uint32Array.from({ length: n }, next),
      keyLo: Uint32Array.from({ length: n }, next),
      tuple: new Uint32Array(n),
      tupleWords: interner.tupleWords(),
    });
    const layout = readTableLayout(table, { checkBuckets: true });
    expect(layout).toMatchObject({ ok: true, value: { kind: 'status', epoch: 9, entryCount: n, aCount: 1, bCount: 1, valueBytes: 1 } });
    expect(readTableLayout(table.subarray(0, table.length - 1))).toMatchObject({ ok: false, code: 'malformed' });
    const broken = new Uint8Array(table);
    broken[64 + 4] = 0xff; // bucket 1 starts past the end
    expect(readTableLayout(broken, { checkBuckets: true })).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('stores each record part once: up to 1000 records made of 10 vaccination and 100 event parts', () => {
    const interner = new TupleInterner();
    const n = 1000;
    const tuple = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      tuple[i] = interner.internRecord({ ...record, doses: i % 10, recoveryDate: `2022-01-${String(1 + (i % 25)).padStart(2, '0')}`, validUntil: record.validUntil + Math.floor(i / 250) * 86_400_000 });
    }
    const next = rng(11);
    const table = buildStatusTable({ epoch: 1, count: n, keyHi: Uint32Array.from({ length: n }, next), keyLo: Uint32Array.from({ length: n }, next), tuple, tupleWords: interner.tupleWords() });
    const layout = readTableLayout(table);
    expect(layout.ok).toBe(true);
    if (!layout.ok) return;
    expect(layout.value).toMatchObject({ aCount: 10, bCount: 100, valueBytes: 2 }); // 10 x 100 pairs need 2 bytes
    // 4 bytes per vaccination part and 12 per event part, not 16 per record.
    expect(table.length - layout.value.aOffset).toBe(10 * 4 + 100 * 12);
    const widened = new Uint8Array(table);
    widened[9] = 3; // value bytes
    expect(readTableLayout(widened)).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('builds alias tables with 8-byte targets', () => {
    const table = buildAliasTable({
      epoch: 1,
      count: 2,
      keyHi: Uint32Array.of(5, 1),
      keyLo: Uint32Array.of(0, 0),
      targetHi: Uint32Array.of(50, 10),
      targetLo: Uint32Array.of(51, 11),
    });
    expect(readTableLayout(table)).toMatchObject({ ok: true, value: { kind: 'alias', valueBytes: 8, entryCount: 2 } });
  });
});

describe('status deltas', () => {
  it('round-trips, sorted, with removals', () => {
    const interner = new TupleInterner();
    interner.internRecord(record);
    const delta = buildStatusDelta({
      epoch: 4,
      count: 3,
      keyHi: Uint32Array.of(3, 1, 2),
      keyLo: Uint32Array.of(0, 0, 0),
      tuple: Uint32Array.of(0, REMOVED_TUPLE, 0),
      tupleWords: interner.tupleWords(),
    });
    expect(readDeltaLayout(delta)).toMatchObject({ ok: true, value: { epoch: 4, tupleCount: 1, entryCount: 3 } });
    expect(delta[32 + 16 + 3]).toBe(1); // first entry is key 1
  });

  it('refuses a delta naming a missing tuple, out of order, or with a key twice', () => {
    const words = new TupleInterner();
    words.internRecord(record);
    const build = (hi: number[], tuple: number[]) =>
      buildStatusDelta({ epoch: 1, count: hi.length, keyHi: Uint32Array.from(hi), keyLo: new Uint32Array(hi.length), tuple: Uint32Array.from(tuple), tupleWords: words.tupleWords() });
    expect(() => build([1, 1], [0, 0])).toThrow(/twice/);
    expect(() => build([1], [5])).toThrow(/tuple 5/);
    const delta = build([1, 2], [0, 0]);
    const swapped = new Uint8Array(delta);
    swapped.copyWithin(48, 60, 72);
    swapped.set(delta.subarray(48, 60), 60);
    expect(readDeltaLayout(swapped)).toMatchObject({ ok: false, code: 'malformed' });
    const badTuple = new Uint8Array(delta);
    badTuple[48 + 8] = 9;
    expect(readDeltaLayout(badTuple)).toMatchObject({ ok: false, code: 'malformed' });
  });
});
