import { describe, expect, it } from 'vitest';
import { buildStatusDelta, REMOVED_TUPLE } from '../../common/bundle/status-delta.js';
import { TupleInterner, type StatusRecord } from '../../common/bundle/status-record.js';
import { buildAliasTable, buildStatusTable } from '../../common/bundle/status-table.js';
import { CountryStatusCache } from './status-cache.js';
import { subjectKeyHalves } from './subject-key.js';
import { TableView } from './table-view.js';

const epochKey = new TextEncoder().encode('epoch-key-for-status-cache-tests');
const DAY = 86_400_000;
const until = Date.UTC(2026, 11, 31);

function recordFor(i: number): StatusRecord {
  return {
    status: (['green', 'green', 'yellow', 'red', 'unknown'] as const)[i % 5] ?? 'green',
    doses: i % 4,
    lastDoseDate: i % 4 === 0 ? null : `2021-0${1 + (i % 9)}-1${i % 10}`,
    lastNegativeTestAt: i % 3 === 0 ? Date.UTC(2026, 10, 20) + (i % 48) * 3_600_000 : null,
    recoveryDate: i % 11 === 0 ? '2022-02-02' : null,
    validUntil: until + (i % 2) * DAY,
  };
}

const idOf = (i: number): string => `VN-ID:${String(790000000000 + i)}`;

function tableOf(ids: readonly string[], records: readonly StatusRecord[], epoch = 1): TableView {
  const interner = new TupleInterner();
  const keyHi = new Uint32Array(ids.length);
  const keyLo = new Uint32Array(ids.length);
  const tuple = new Uint32Array(ids.length);
  ids.forEach((id, i) => {
    [keyHi[i], keyLo[i]] = subjectKeyHalves(epochKey, id);
    tuple[i] = interner.internRecord(records[i] ?? recordFor(0));
  });
  const bytes = buildStatusTable({ epoch, count: ids.length, keyHi, keyLo, tuple, tupleWords: interner.tupleWords() });
  const view = TableView.open(bytes, 'status');
  if (!view.ok) throw new Error(view.detail);
  const checked = view.value.checkEntries();
  if (!checked.ok) throw new Error(checked.detail);
  return view.value;
}

function deltaOf(changes: readonly [string, StatusRecord | null][], epoch = 1): Uint8Array {
  const interner = new TupleInterner();
  const keyHi = new Uint32Array(changes.length);
  const keyLo = new Uint32Array(changes.length);
  const tuple = new Uint32Array(changes.length);
  changes.forEach(([id, record], i) => {
    [keyHi[i], keyLo[i]] = subjectKeyHalves(epochKey, id);
    tuple[i] = record === null ? REMOVED_TUPLE : interner.internRecord(record);
  });
  return buildStatusDelta({ epoch, count: changes.length, keyHi, keyLo, tuple, tupleWords: interner.tupleWords() });
}

describe('country status cache', () => {
  const n = 20_000;
  const ids = Array.from({ length: n }, (_, i) => idOf(i));
  const records = ids.map((_, i) => recordFor(i));
  const base = tableOf(ids, records);

  it('finds every subject with its record, and nobody else', () => {
    const cache = new CountryStatusCache({ base, epochKey, issuedAt: 1 });
    for (let i = 0; i < n; i += 7) expect(cache.lookup([idOf(i)]), idOf(i)).toEqual(recordFor(i));
    for (let i = n; i < n + 2000; i++) expect(cache.lookup([idOf(i)])).toBeUndefined();
    expect(cache.lookup(['DOC:VNM:B1234567', idOf(3)])).toEqual(recordFor(3));
  });

  it('stores each record part once, so people who share a part share its bytes', () => {
    const distinct = new Set(records.map((r) => JSON.stringify(r))).size;
    expect(base.layout.aCount + base.layout.bCount).toBeLessThan(distinct);
    expect(base.layout.byteLength / n).toBeLessThan(12);
  });

  it('answers from tables of every size and layout', () => {
    for (const size of [0, 1, 2, 200, 5000]) {
      const some = ids.slice(0, size);
      const cache = new CountryStatusCache({ base: tableOf(some, records), epochKey, issuedAt: 1 });
      for (let i = 0; i < size; i++) expect(cache.lookup([idOf(i)])?.status).toBe(recordFor(i).status);
      expect(cache.lookup([idOf(size)])).toBeUndefined();
    }
  });

  it('lets a delta change, add and remove subjects, over the base', () => {
    const cache = new CountryStatusCache({ base, epochKey, issuedAt: 1 });
    const red = { ...recordFor(0), status: 'red' as const };
    const result = cache.applyDelta(
      deltaOf([
        [idOf(0), red],
        [idOf(1), null],
        [idOf(n + 5), recordFor(7)],
      ]),
      5,
    );
    expect(result).toEqual({ ok: true, value: 3 });
    expect(cache.lookup([idOf(0)])).toEqual(red);
    expect(cache.lookup([idOf(1)])).toBeUndefined();
    expect(cache.lookup([idOf(n + 5)])).toEqual(recordFor(7));
    expect(cache.lookup([idOf(2)])).toEqual(recordFor(2));
    expect(cache.issuedAt).toBe(5);
    // A later delta wins over an earlier one.
    cache.applyDelta(deltaOf([[idOf(1), recordFor(1)]]), 6);
    expect(cache.lookup([idOf(1)])).toEqual(recordFor(1));
  });

  it('refuses a delta of another epoch', () => {
    const cache = new CountryStatusCache({ base, epochKey, issuedAt: 1 });
    expect(cache.applyDelta(deltaOf([[idOf(0), recordFor(1)]], 2), 5)).toMatchObject({ ok: false, code: 'epoch_key_missing' });
  });

  it('compacts base and overlay into a table with the same answers', () => {
    const cache = new CountryStatusCache({ base, epochKey, issuedAt: 1 });
    const changes: [string, StatusRecord | null][] = [];
    for (let i = 0; i < 3000; i++) changes.push([idOf(i * 3), i % 4 === 0 ? null : recordFor(i + 1)]);
    for (let i = 0; i < 500; i++) changes.push([idOf(n + i), recordFor(i)]);
    cache.applyDelta(deltaOf(changes), 9);
    const expected = (i: number) => cache.lookup([idOf(i)]);
    const before = Array.from({ length: n + 600 }, (_, i) => expected(i));
    const compacted = TableView.open(cache.compactToTable(), 'status');
    expect(compacted.ok).toBe(true);
    if (!compacted.ok) return;
    expect(compacted.value.checkEntries().ok).toBe(true);
    expect(compacted.value.entryCount).toBe(n - 750 + 500);
    expect(compacted.value.layout.aCount).toBeGreaterThanOrEqual(base.layout.aCount);
    cache.replaceBase(compacted.value);
    expect(cache.overlaySize).toBe(0);
    for (let i = 0; i < n + 600; i++) expect(cache.lookup([idOf(i)]), idOf(i)).toEqual(before[i]);
  });

  it('resolves an earlier app id through the alias map', () => {
    const [oldHi, oldLo] = subjectKeyHalves(epochKey, 'APP:bluezone:AB12CD');
    const [subjectHi, subjectLo] = subjectKeyHalves(epochKey, idOf(42));
    const aliasBytes = buildAliasTable({
      epoch: 1,
      count: 1,
      keyHi: Uint32Array.of(oldHi),
      keyLo: Uint32Array.of(oldLo),
      targetHi: Uint32Array.of(subjectHi),
      targetLo: Uint32Array.of(subjectLo),
    });
    const aliases = TableView.open(aliasBytes, 'alias');
    if (!aliases.ok) throw new Error(aliases.detail);
    const cache = new CountryStatusCache({ base, epochKey, issuedAt: 1, aliases: aliases.value });
    expect(cache.lookup(['APP:bluezone:AB12CD'])).toEqual(recordFor(42));
    expect(cache.lookup(['APP:bluezone:ZZZZ'])).toBeUndefined();
    // An alias map of another epoch would point at keys of another key: it is not used.
    const other = TableView.open(buildAliasTable({ ...{ epoch: 2, count: 0 }, keyHi: new Uint32Array(0), keyLo: new Uint32Array(0), targetHi: new Uint32Array(0), targetLo: new Uint32Array(0) }), 'alias');
    if (!other.ok) throw new Error(other.detail);
    expect(cache.setAliases(other.value)).toBe(false);
    expect(cache.lookup(['APP:bluezone:AB12CD'])).toBeUndefined();
  });

  it('rejects a table whose entries are out of order or name a missing tuple', () => {
    const bytes = new Uint8Array(base.bytes);
    const { entriesOffset, recordBytes } = base.layout;
    // Swap the first two entries of the table.
    const first = bytes.slice(entriesOffset, entriesOffset + recordBytes);
    bytes.copyWithin(entriesOffset, entriesOffset + recordBytes, entriesOffset + 2 * recordBytes);
    bytes.set(first, entriesOffset + recordBytes);
    const view = TableView.open(bytes, 'status');
    expect(view.ok && view.value.checkEntries().ok).toBe(false);
  });
});
