import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './main.js';
import { captureIo } from '../../common/cli/cli-io.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'pccovid-cli-'));

async function issue(dataDir: string, ...flags: string[]): Promise<string> {
  const io = captureIo();
  expect(await runCli(['issue-demo-pass', '--data-dir', dataDir, ...flags], io)).toBe(0);
  return io.stdout.trim();
}

async function verify(dataDir: string, payload: string): Promise<{ code: number; json: Record<string, unknown> | null; stderr: string }> {
  const io = captureIo();
  const code = await runCli(['verify', '--data-dir', dataDir, payload], io);
  return { code, json: io.stdout === '' ? null : (JSON.parse(io.stdout) as Record<string, unknown>), stderr: io.stderr };
}

describe('pccovid-kiosk CLI', () => {
  it('verifies its own demo pass: admit, exit 0, reasons with codes and sentences', async () => {
    const dataDir = tempDir();
    const result = await verify(dataDir, await issue(dataDir));
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({
      outcome: 'admit',
      readable: true,
      credentialKind: 'pc1',
      reasons: [
        { code: 'status_green', message: 'Health status: green.' },
        { code: 'status_from_pass' },
      ],
    });
  });

  it.each([
    ['yellow', 2],
    ['red', 1],
  ])('exits by outcome for a %s pass (%d)', async (status, code) => {
    const dataDir = tempDir();
    expect((await verify(dataDir, await issue(dataDir, '--status', status))).code).toBe(code);
  });

  it('denies an expired pass with exit 1 and reason "expired"', async () => {
    const dataDir = tempDir();
    const result = await verify(dataDir, await issue(dataDir, '--expired'));
    expect(result.code).toBe(1);
    expect(result.json?.['reasons']).toMatchObject([{ code: 'expired' }]);
  });

  it('exits 1 or 3 with a reason when one character of the pass changes', async () => {
    const dataDir = tempDir();
    const pass = await issue(dataDir);
    const i = Math.floor(pass.length / 2);
    const changed = pass.slice(0, i) + (pass[i] === 'A' ? 'B' : 'A') + pass.slice(i + 1);
    const result = await verify(dataDir, changed);
    expect([1, 3]).toContain(result.code);
    expect(result.json?.['outcome']).toBe('deny');
    expect((result.json?.['reasons'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('exits 3 for something that is not a pass', async () => {
    const result = await verify(tempDir(), 'hello');
    expect(result.code).toBe(3);
    expect(result.json).toMatchObject({ readable: false, reasons: [{ code: 'unknown_format' }] });
  });

  it('reads the payload from @file, with its trailing newline', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'pass.txt');
    writeFileSync(file, `${await issue(dataDir)}\n`);
    expect((await verify(dataDir, `@${file}`)).code).toBe(0);
  });

  it('rejects a pass from another data directory (another authority)', async () => {
    const result = await verify(tempDir(), await issue(tempDir()));
    expect(result.code).toBe(1);
    expect(result.json?.['reasons']).toMatchObject([{ code: 'unknown_issuer' }]);
  });

  it.each([
    [['verify', '--data-dir', '/tmp'], 'needs a payload'],
    [['verify', '@/nonexistent/pass.txt'], 'cannot read the payload file'],
    [['issue-demo-pass', '--status', 'purple'], '--status must be one of'],
    [['start', '--shell', 'qt'], '--shell must be'],
    [['start', '--port', '99999'], '--port must be'],
    [['frobnicate'], 'unknown command'],
    [['verify', '--bogus', 'x'], 'Unknown option'],
  ])('answers bad usage %j with a sentence and exit 64, never a stack', async (argv, message) => {
    const io = captureIo();
    expect(await runCli(argv, io)).toBe(64);
    expect(io.stderr).toContain(message);
    expect(io.stderr).toContain('Usage: pccovid-kiosk');
    expect(io.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a data directory it cannot use with exit 4 and a sentence', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const io = captureIo();
    expect(await runCli(['verify', '--data-dir', file, 'PC1:X'], io)).toBe(4);
    expect(io.stderr).toMatch(/could not run this command/);
    expect(io.stderr).not.toMatch(/\n\s+at /);
  });
});
