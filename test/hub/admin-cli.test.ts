// The operator's record commands: venues and lanes, status events (conflicts refused), PC1 passes.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHubCli } from '../../src/hub/cli/main.js';
import { tempRoot } from '../sync/harness.js';

async function hub(...argv: string[]): Promise<{ code: number; lines: Record<string, unknown>[]; stderr: string }> {
  const out: string[] = [];
  let stderr = '';
  const code = await runHubCli(argv, { out: (t) => void out.push(t), err: (t) => void (stderr += t) });
  return { code, lines: out.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>), stderr };
}

const root = tempRoot('hub-admin');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pccovid-hub records', () => {
  const data = join(root, 'hub');
  const dir = join(root, 'publisher');

  it('creates a venue and its lanes; a lane needs an existing venue; ids are unique', async () => {
    expect((await hub('venue', 'add', '--data-dir', data, '--id', 'HN-01', '--name', 'Nội Bài T2')).code).toBe(0);
    expect((await hub('venue', 'add', '--data-dir', data, '--id', 'HN-01-L1', '--name', 'Lane 1', '--lane-of', 'HN-01')).lines[0]).toMatchObject({ kind: 'lane' });
    expect((await hub('venue', 'add', '--data-dir', data, '--id', 'X', '--name', 'x', '--lane-of', 'NOPE')).stderr).toMatch(/create it first/);
    expect((await hub('venue', 'add', '--data-dir', data, '--id', 'HN-01', '--name', 'again')).stderr).toMatch(/already exists/);
    expect((await hub('venue', 'list', '--data-dir', data)).lines).toHaveLength(2);
  });

  it('records status events by fixed rules and refuses a different name for the same id', async () => {
    const id = 'VN-ID:079190004321';
    const first = await hub('status', 'record', '--data-dir', data, '--id', id, '--event', 'vaccination', '--date', '2021-08-01', '--name', 'Lê Văn An', '--dob', '1985-02-03');
    expect(first.lines[0]).toMatchObject({ status: 'unknown', doses: 1 });
    expect((await hub('status', 'record', '--data-dir', data, '--id', id, '--event', 'vaccination', '--date', '2021-09-01')).lines[0]).toMatchObject({ status: 'green', doses: 2 });
    expect((await hub('status', 'record', '--data-dir', data, '--id', id, '--event', 'quarantine')).lines[0]).toMatchObject({ status: 'yellow' });
    expect((await hub('status', 'record', '--data-dir', data, '--id', id, '--event', 'positive-test')).lines[0]).toMatchObject({ status: 'red' });
    expect((await hub('status', 'record', '--data-dir', data, '--id', id, '--event', 'recovery', '--date', '2021-12-01')).lines[0]).toMatchObject({ status: 'green' });
    const clash = await hub('status', 'record', '--data-dir', data, '--id', id, '--event', 'negative-test', '--name', 'Lê Văn Bình');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/differs from the record .*Nothing was recorded/);
    expect((await hub('status', 'record', '--data-dir', data, '--id', 'not-an-id', '--event', 'recovery')).code).toBe(64);
    expect((await hub('status', 'record', '--data-dir', data, '--id', id, '--event', 'sneeze')).code).toBe(64);
  });

  it('issues a PC1 pass signed by the hub issuer key for a subject on file', async () => {
    expect((await hub('init', '--dir', dir)).code).toBe(0);
    const issued = await hub('pass', 'issue', '--data-dir', data, '--dir', dir, '--id', 'VN-ID:079190004321');
    expect(issued.code).toBe(0);
    expect(String(issued.lines[0]?.['pass'])).toMatch(/^PC1:[0-9A-Z $%*+\-./:]+$/);
    expect((await hub('pass', 'issue', '--data-dir', data, '--dir', dir, '--id', 'VN-ID:079190009999')).stderr).toMatch(/no record with a name/);
  });
});
