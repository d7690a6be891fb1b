import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DCC_FIXTURES_DIR } from '../pipeline/decoders/dcc/dcc-test-vectors.js';
import { runCli } from '../cli/main.js';
import { allDifferences, parseIsoDateTime, runDccConformance, sameJson } from './dcc.js';
import { knownIssueHash, shippedKnownIssues } from './dcc-known-issues.js';

const FR_PCR = join('FR', '2DCode', 'raw', 'test_pcr_ok.json');


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

  it('shows a test file that contradicts its own signed payload as KNOWN, never as passed', async () => {
    const { io, out, err } = capture();
    expect(await runDccConformance(DCC_FIXTURES_DIR, io)).toBe(0);
    const known = out.filter((line) => line.startsWith('KNOWN'));
    expect(known).toHaveLength(1);
    expect(known[0]).toContain(FR_PCR);
    expect(known[0]).toMatch(/EXPECTEDDECODE=true, EXPECTEDVALIDJSON=true: .*at \/t\/0\/sc: "2021-05-16T14:34:56Z" vs "2021-05-16T12:34:56Z"/);
    expect(known[0]).toContain('dgc-testdata/issues/141');
    // FR: one file, not passed, not failed, known.
    expect(out).toContainEqual(expect.stringMatching(/^FR\s+1\s+0\s+0\s+1\s+0$/));
    expect(err.join('\n')).toMatch(/1 file\(s\) marked KNOWN/);
  });

  it('--strict applies no known-issue list: the same file fails and the run exits 1', async () => {
    const { io, out } = capture();
    expect(await runDccConformance(DCC_FIXTURES_DIR, io, { strict: true })).toBe(1);
    const failures = out.filter((line) => line.startsWith('FAIL'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(FR_PCR);
    expect(out.at(-1)).toMatch(/^\d+ passed, 1 failed$/);
  });

  /** A corpus of the FR file and the AT files (so that something passes), in a folder of its own. */
  async function frAndAt(prefix: string): Promise<{ dir: string; path: string; content: unknown }> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    temporary.push(dir);
    await cp(join(DCC_FIXTURES_DIR, 'FR'), join(dir, 'FR'), { recursive: true });
    await cp(join(DCC_FIXTURES_DIR, 'AT'), join(dir, 'AT'), { recursive: true });
    const path = join(dir, FR_PCR);
    return { dir, path, content: JSON.parse(await readFile(path, 'utf8')) as unknown };
  }

  it('names a known file by its content: re-saved it is still known, with a value changed it is checked in full', async () => {
    const { dir, path, content } = await frAndAt('dcc-known-');
    const original = content as { TESTCTX: Record<string, unknown> };
    // Other bytes (CRLF line endings, other indentation), the same content: still the listed file.
    await writeFile(path, JSON.stringify(original, null, 4).replace(/\n/g, '\r\n'), 'utf8');
    let run = capture();
    expect(await runDccConformance(dir, run.io)).toBe(0);
    expect(run.out.filter((line) => line.startsWith('KNOWN'))).toEqual([expect.stringContaining(FR_PCR)]);
    // One value changed (its description): no longer the file upstream reported, so it fails.
    await writeFile(path, JSON.stringify({ ...original, TESTCTX: { ...original.TESTCTX, DESCRIPTION: 'VALID: FR: Test' } }), 'utf8');
    run = capture();
    expect(await runDccConformance(dir, run.io)).toBe(1);
    expect(run.out.filter((line) => line.startsWith('FAIL'))).toEqual([expect.stringContaining(FR_PCR)]);
    expect(run.out.filter((line) => line.startsWith('KNOWN'))).toEqual([]);
  });

  it('excuses a listed flag only where the listed paths differ: any other difference fails', async () => {
    const { dir, path, content } = await frAndAt('dcc-known-paths-');
    const test = content as { JSON: { t: Record<string, unknown>[]; dob: string } };
    const entry = shippedKnownIssues()[0];
    if (entry === undefined) throw new Error('the shipped list is empty');
    const list = join(dir, 'known.json');
    const listFor = async (text: string): Promise<void> => {
      await writeFile(path, text, 'utf8');
      await writeFile(list, JSON.stringify({ issues: [{ ...entry, sha256: knownIssueHash(JSON.parse(text)) }] }), 'utf8');
    };

    // Only the listed paths differ: KNOWN.
    await listFor(JSON.stringify(test));
    let run = capture();
    expect(await runDccConformance(dir, run.io, { knownIssues: list })).toBe(0);
    expect(run.out.filter((line) => line.startsWith('KNOWN'))).toHaveLength(1);

    // The JSON also differs at /dob, which no entry lists: a real failure.
    await listFor(JSON.stringify({ ...test, JSON: { ...test.JSON, dob: '1962-07-02' } }));
    run = capture();
    expect(await runDccConformance(dir, run.io, { knownIssues: list })).toBe(1);
    const failure = run.out.find((line) => line.startsWith('FAIL')) ?? '';
    expect(failure).toContain(FR_PCR);
    expect(failure).toMatch(/EXPECTEDDECODE=true/);
    expect(run.out.filter((line) => line.startsWith('KNOWN'))).toEqual([]);
  });

  it('says when a listed file now passes its flags, so the entry can go', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcc-known-stale-'));
    temporary.push(dir);
    await cp(join(DCC_FIXTURES_DIR, 'AT'), join(dir, 'AT'), { recursive: true });
    const text = await readFile(join(dir, 'AT', '2DCode', 'raw', '1.json'), 'utf8');
    const list = join(dir, 'known.json');
    await writeFile(list, JSON.stringify({ issues: [{ file: 'AT/2DCode/raw/1.json', sha256: knownIssueHash(JSON.parse(text)), issue: 'https://example.invalid/1', why: 'test', flags: { EXPECTEDDECODE: ['/dob'] } }] }), 'utf8');
    const { io, out, err } = capture();
    expect(await runDccConformance(dir, io, { knownIssues: list })).toBe(0);
    expect(out.filter((line) => line.startsWith('KNOWN'))).toEqual([]);
    expect(err.join('\n')).toMatch(/known issue no longer shows in AT\/2DCode\/raw\/1\.json .*the entry can go/);
  });

  it('refuses a --known-issues file it cannot use, with what to fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcc-known-bad-'));
    temporary.push(dir);
    const list = join(dir, 'known.json');
    await writeFile(list, JSON.stringify({ issues: [{ file: 'x', sha256: 'abc', issue: 'i', why: 'w', flags: {} }] }), 'utf8');
    const { io, err } = capture();
    expect(await runCli(['conformance', 'dcc', DCC_FIXTURES_DIR, '--known-issues', list], io)).toBe(64);
    expect(err.join('\n')).toMatch(/is not a list of known test-file errors \(issues\.0\.sha256: must be the 64 lower-case hex digits/);
    const missing = capture();
    expect(await runCli(['conformance', 'dcc', DCC_FIXTURES_DIR, '--known-issues', join(dir, 'nowhere.json')], missing.io)).toBe(64);
    expect(missing.err.join('\n')).toMatch(/cannot read .*nowhere\.json/);
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

  it('checks key usage apart from the signature: a broken signature with a right key usage, and the reverse', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcc-key-usage-'));
    temporary.push(dir);
    const raw = join(dir, 'IS', '2DCode', 'raw');
    await cp(join(DCC_FIXTURES_DIR, 'IS', '2DCode', 'raw'), raw, { recursive: true });
    const only = async (from: string, to: string, change: (cose: string) => string, expected: Record<string, boolean>): Promise<void> => {
      const test = JSON.parse(await readFile(join(raw, from), 'utf8')) as { COSE: string; TESTCTX: unknown };
      await writeFile(join(raw, to), JSON.stringify({ COSE: change(test.COSE), TESTCTX: test.TESTCTX, EXPECTEDRESULTS: expected }), 'utf8');
    };
    // The last signature byte flipped: the signature fails, the certificate may still sign the type.
    const flipLast = (cose: string): string => `${cose.slice(0, -2)}${((Number.parseInt(cose.slice(-2), 16) ^ 1) & 0xff).toString(16).padStart(2, '0')}`;
    await only('4.json', '90.json', flipLast, { EXPECTEDVERIFY: false, EXPECTEDKEYUSAGE: true });
    // A sound signature by a certificate whose key usage forbids the type (IS 3).
    await only('3.json', '91.json', (cose) => cose, { EXPECTEDVERIFY: true, EXPECTEDKEYUSAGE: false });
    const { io, out } = capture();
    await runDccConformance(dir, io);
    expect(out.filter((line) => line.startsWith('FAIL') && /9[01]\.json/.test(line))).toEqual([]);
    // And the other way round each fails.
    await only('4.json', '92.json', flipLast, { EXPECTEDKEYUSAGE: false });
    await only('3.json', '93.json', (cose) => cose, { EXPECTEDKEYUSAGE: true });
    const again = capture();
    await runDccConformance(dir, again.io);
    expect(again.out.filter((line) => line.startsWith('FAIL') && /9[23]\.json/.test(line))).toHaveLength(2);
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
    expect(allDifferences({ t: [{ sc: 'a', dr: 'b', tc: 'c' }], dob: 'x' }, { dob: 'x', t: [{ sc: 'A', dr: 'b', tc: 'C' }] })).toEqual(['/t/0/sc', '/t/0/tc']);
    expect(allDifferences({ v: [1] }, { v: [1, 2] })).toEqual(['/v']);
    expect(allDifferences({ a: 1 }, {})).toEqual(['/a']);
    expect(allDifferences(1, 1)).toEqual([]);
  });
});
