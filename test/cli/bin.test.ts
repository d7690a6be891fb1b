// The installed command itself (bin/pccovid-kiosk.js over the built dist/), as a person runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_TD3 } from '../../src/main/pipeline/decoders/identity-samples.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'pccovid-kiosk.js');

describe('bin/pccovid-kiosk.js', () => {
  it('verify "$(issue-demo-pass)" exits 0, and a changed pass does not', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pccovid-bin-'));
    const pass = execFileSync(process.execPath, [bin, 'issue-demo-pass', '--data-dir', dataDir], { encoding: 'utf8' }).trim();
    expect(pass).toMatch(/^PC1:[0-9A-Z $%*+\-./:]+$/);
    const ok = spawnSync(process.execPath, [bin, 'verify', '--data-dir', dataDir, pass], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: 'admit' });

    const changed = `${pass.slice(0, -5)}${pass.at(-5) === '0' ? '1' : '0'}${pass.slice(-4)}`;
    const bad = spawnSync(process.execPath, [bin, 'verify', '--data-dir', dataDir, changed], { encoding: 'utf8' });
    expect([1, 3]).toContain(bad.status);
    expect(JSON.parse(bad.stdout).reasons[0].code).toMatch(/^[a-z_]+$/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('decode reads an MRZ file with CR LF lines (exit 0) and names a wrong check digit (exit 3)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pccovid-bin-'));
    const good = join(dir, 'good.txt');
    const bad = join(dir, 'bad.txt');
    writeFileSync(good, `${SAMPLE_TD3}\r\n`);
    const ok = spawnSync(process.execPath, [bin, 'decode', `@${good}`], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ kind: 'mrz', subjectIds: ['DOC:D:C01X00T47'] });
    const zone = SAMPLE_TD3.split('\r\n');
    const line2 = zone[1] ?? '';
    writeFileSync(bad, `${zone[0]}\r\n${line2.slice(0, 9)}${line2.charAt(9) === '0' ? '1' : '0'}${line2.slice(10)}`);
    const wrong = spawnSync(process.execPath, [bin, 'decode', `@${bad}`], { encoding: 'utf8' });
    expect(wrong.status).toBe(3);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ readable: false, reason: { code: 'check_digit_invalid' } });
  });

  it('reports the version of package.json, built into the bundle', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const result = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  });

  it('prints usage for no command and exits 64', () => {
    const result = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
    expect(result.status).toBe(64);
    expect(result.stdout).toContain('Usage: pccovid-kiosk');
  });
});
