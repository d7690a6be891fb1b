import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TupleInterner } from '../../common/bundle/status-record.js';
import { buildStatusTable } from '../../common/bundle/status-table.js';
import { CountryStatusCache } from './status-cache.js';
import { openTableFile } from './table-loader.js';

/** A table of `n` random keys (deterministic), written after a 24-byte prefix, as in a bundle. */
function tableFile(n: number): { dir: string; path: string; keys: [number, number][]; length: number } {
  let seed = 7;
  const next = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
  const interner = new TupleInterner();
  for (let s = 0; s < 4; s++) interner.intern(s, 0, 0, 2_000_000_000);
  const keys: [number, number][] = Array.from({ length: n }, () => [next(), next()]);
  const table = buildStatusTable({
    epoch: 1,
    count: n,
    keyHi: Uint32Array.from(keys, (k) => k[0]),
    keyLo: Uint32Array.from(keys, (k) => k[1]),
    tuple: Uint32Array.from(keys, (_, i) => i % 4),
    tupleWords: interner.tupleWords(),
  });
  const dir = mkdtempSync(join(tmpdir(), 'pccovid-loader-'));
  const path = join(dir, 'table.bin');
  writeFileSync(path, Buffer.concat([Buffer.alloc(24, 0xaa), table]));
  return { dir, path, keys, length: table.length };
}

describe('table loader', () => {
  // Big enough that the entries take several background reads.
  const { dir, path, keys, length } = tableFile(3_000_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers at once, from the file, and the same once everything is in memory', async () => {
    const opened = openTableFile(path, 24, length, 'status');
    if (!opened.ok) throw new Error(opened.detail);
    const cache = new CountryStatusCache({ base: opened.value.view, epochKey: new Uint8Array(32), issuedAt: 1 });
    const statuses = ['green', 'yellow', 'red', 'unknown'];
    const probe = (i: number): string | undefined => {
      const [hi, lo] = keys[i] ?? [0, 0];
      return cache.lookupKey(hi, lo)?.status;
    };
    // Before the first background read returns: each lookup reads its bucket from the file.
    for (let i = keys.length - 1; i > keys.length - 2000; i--) expect(probe(i)).toBe(statuses[i % 4]);
    expect(cache.lookupKey(1, 2)).toBeUndefined();
    await opened.value.loaded;
    for (let i = 0; i < keys.length; i += 997) expect(probe(i)).toBe(statuses[i % 4]);
  });

  it('reads the rest at once for a whole-table pass', () => {
    const opened = openTableFile(path, 24, length, 'status');
    if (!opened.ok) throw new Error(opened.detail);
    expect(opened.value.view.checkEntries().ok).toBe(true);
  });

  it('refuses a file of the wrong size or a damaged header', () => {
    expect(openTableFile(path, 24, length - 1, 'status')).toMatchObject({ ok: false, code: 'malformed' });
    expect(openTableFile(path, 0, length + 24, 'status')).toMatchObject({ ok: false, code: 'malformed' });
    expect(openTableFile(path, 24, length, 'alias')).toMatchObject({ ok: false, code: 'malformed' });
  });
});
