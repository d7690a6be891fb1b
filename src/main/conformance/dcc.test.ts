import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DCC_FIXTURES_DIR } from '../pipeline/decoders/dcc/dcc-test-vectors.js';
import { parseIsoDateTime, runDccConformance, sameJson } from './dcc.js';

function capture(): { io: { out(text: string): void; err(text: string): void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text) => out.push(text), err: (text) => err.push(text) }, out, err };
}

describe('conformance dcc', () => {
  const temporary: string[] = [];
  afterAll(async () => {
    for (const dir of temporary) await rm(dir, { recursive: true, force: true });
  });

  it('passes the committed dgc-testdata subset: 0 failed, summary line last', async () => {
    const { io, out } = capture();
    const code = await runDccConformance(DCC_FIXTURES_DIR, io);
    const summary = out.at(-1) ?? '';
    expect(out.filter((line) => line.startsWith('FAIL'))).toEqual([]);
    expect(summary).toMatch(/^(\d+) passed, 0 failed$/);
    expect(Number(/^(\d+)/.exec(summary)?.[1])).toBeGreaterThan(50);
    expect(out).toContainEqual(expect.stringMatching(/^common\s+38\s+/));
    expect(code).toBe(0);
  });

  it('reports a corrupted or wrong test file on its own line and goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcc-conformance-'));
    temporary.push(dir);
    await cp(join(DCC_FIXTURES_DIR, 'AT'), join(dir, 'AT'), { recursive: true });
    const raw = join(dir, 'AT', '2DCode', 'raw');
    await writeFile(join(raw, '9.json'), '{"PREFIX": "HC1:', 'utf8');
    // A valid code that claims to be unverifiable: the suite must say the expectation failed.
    const one = JSON.parse(await readFile(join(raw, '1.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(raw, '8.json'), JSON.stringify({ ...one, EXPECTEDRESULTS: { EXPECTEDVERIFY: false, EXPECTEDKEYUSAGE: 'yes' } }), 'utf8');
    const { io, out } = capture();
    const code = await runDccConformance(dir, io);
    expect(code).toBe(1);
    expect(out.find((line) => line.includes('9.json'))).toMatch(/^FAIL .*9\.json: \(test file\): not valid JSON/);
    expect(out.find((line) => line.includes('8.json'))).toMatch(/EXPECTEDVERIFY=false: expected to fail, but the signature holds/);
    expect(out.find((line) => line.includes('8.json'))).toMatch(/EXPECTEDKEYUSAGE: the expected value is "yes"/);
    expect(out.at(-1)).toBe('4 passed, 2 failed');
  });

  it('finds no tests in a folder without the layout, and fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcc-empty-'));
    temporary.push(dir);
    const { io, out, err } = capture();
    expect(await runDccConformance(dir, io)).toBe(1);
    expect(out.at(-1)).toBe('0 passed, 0 failed');
    expect(err.join('\n')).toMatch(/no test files/);
  });

  it('reads validation clocks with and without an offset, and compares date-times as instants', () => {
    expect(parseIsoDateTime('2021-05-17T18:21:22')).toBe(Date.UTC(2021, 4, 17, 18, 21, 22));
    expect(parseIsoDateTime('2021-05-03T20:00:00+02:00')).toBe(Date.UTC(2021, 4, 3, 18));
    expect(parseIsoDateTime('2021-06-08T20:17:27.9906293Z')).toBe(Date.UTC(2021, 5, 8, 20, 17, 27, 990));
    expect(parseIsoDateTime('yesterday')).toBeNull();
    expect(sameJson({ a: ['2021-06-15T09:24:02Z'], b: 1 }, { b: 1, a: ['2021-06-15T11:24:02.000+02:00'] })).toBe(true);
    expect(sameJson({ sc: '2021-05-16T14:34:56Z' }, { sc: '2021-05-16T12:34:56Z' })).toBe(false);
  });
});
