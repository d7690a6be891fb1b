// The installed pccovid-hub command (bin/pccovid-hub.js over the built dist/), as the authority runs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'pccovid-hub.js');

describe('bin/pccovid-hub.js', () => {
  it('initialises a publisher directory and signs a key list', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pccovid-hub-bin-')), 'publisher');
    const init = spawnSync(process.execPath, [bin, 'init', '--dir', dir], { encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    expect(JSON.parse(init.stdout)).toHaveProperty('rootFingerprint');
    const keys = spawnSync(process.execPath, [bin, 'key-list', '--dir', dir, '--out', join(dir, 'keys.bundle')], { encoding: 'utf8' });
    expect(keys.status, keys.stderr).toBe(0);
    expect(JSON.parse(keys.stdout)).toMatchObject({ type: 'key-list', sequence: 1 });
  });

  it('prints usage for no command and exits 64', () => {
    const result = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
    expect(result.status).toBe(64);
    expect(result.stdout).toContain('Usage: pccovid-hub');
  });
});
