import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { parseBundlePrefix } from '../../common/bundle/bundle-format.js';
import { readTableLayout } from '../../common/bundle/status-table.js';
import { rawPublicKey } from '../publisher/signing-key.js';
import { HUB_EXIT, runHubCli } from './main.js';
import { captureIo } from '../../common/cli/cli-io.js';

async function hub(...argv: string[]): Promise<{ code: number; json: Record<string, unknown> | null; stderr: string }> {
  const io = captureIo();
  const code = await runHubCli(argv, io);
  return { code, json: io.stdout === '' ? null : (JSON.parse(io.stdout) as Record<string, unknown>), stderr: io.stderr };
}

const devicePublicKey = Buffer.from(rawPublicKey(generateKeyPairSync('x25519').publicKey, 'X25519')).toString('hex');
const line = (id: string, status: string): string =>
  JSON.stringify({ id, status, doses: 2, lastDoseDate: '2021-10-01', validUntil: '2026-12-31T00:00:00Z' });

describe('pccovid-hub', () => {
  const work = mkdtempSync(join(tmpdir(), 'pccovid-hub-cli-'));
  const dir = join(work, 'publisher');

  it('initialises a publisher and prints the root key to pin, once', async () => {
    const init = await hub('init', '--dir', dir);
    expect(init.code).toBe(0);
    expect(init.json).toMatchObject({ rootKid: expect.stringMatching(/^[0-9a-f]{16}$/), rootPublicKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const again = await hub('init', '--dir', dir);
    expect(again.code).toBe(HUB_EXIT.failed);
    expect(again.stderr).toMatch(/already holds a root key; nothing was changed/);
  });

  it('signs a chain of bundles: key list, epoch key, snapshot, delta, each following the last', async () => {
    const records = join(work, 'records.jsonl');
    writeFileSync(records, [line('VN-ID:079190001234', 'green'), '', line('VN-ID:079190001235', 'red')].join('\n'));
    const changes = join(work, 'changes.jsonl');
    writeFileSync(changes, [line('VN-ID:079190001234', 'red'), JSON.stringify({ id: 'VN-ID:079190001235', removed: true })].join('\n'));
    const out = (name: string) => join(work, name);
    expect((await hub('key-list', '--dir', dir, '--out', out('keys.bundle'))).json).toMatchObject({ type: 'key-list', sequence: 1 });
    expect((await hub('epoch-key', '--dir', dir, '--epoch', '3', '--device-key', devicePublicKey, '--out', out('epoch.bundle'))).json).toMatchObject({
      type: 'epoch-key',
      sequence: 1,
    });
    const snapshot = await hub('status-snapshot', '--dir', dir, '--epoch', '3', '--records', records, '--out', out('snap.bundle'));
    expect(snapshot.json).toMatchObject({ type: 'status-snapshot', sequence: 1, entries: 2 });
    const delta = await hub('status-delta', '--dir', dir, '--epoch', '3', '--changes', changes, '--out', out('delta.bundle'), '--valid-hours', '6');
    expect(delta.json).toMatchObject({ type: 'status-delta', sequence: 2, entries: 2 });
    const inspected = await hub('inspect', out('delta.bundle'));
    expect(inspected.json).toMatchObject({ type: 'status-delta', sequence: 2, epoch: 3, previousHash: snapshot.json?.['hash'] });
    const bytes = readFileSync(out('snap.bundle'));
    const parsed = parseBundlePrefix(bytes, bytes.length);
    expect(parsed.ok && readTableLayout(bytes.subarray(parsed.value.payloadOffset))).toMatchObject({ ok: true, value: { entryCount: 2, epoch: 3 } });
  });

  it('names the bad line of an input file, not its content, and signs nothing', async () => {
    const bad = join(work, 'bad.jsonl');
    writeFileSync(bad, [line('VN-ID:079190001234', 'green'), line('VN-ID:079190001236', 'purple')].join('\n'));
    const result = await hub('status-snapshot', '--dir', dir, '--epoch', '3', '--records', bad, '--out', join(work, 'x.bundle'));
    expect(result.code).toBe(HUB_EXIT.dataError);
    expect(result.stderr).toMatch(/bad\.jsonl, line 2: status: .*nothing was signed/);
    expect(result.stderr).not.toMatch(/079190001236/);
    const twice = join(work, 'twice.jsonl');
    writeFileSync(twice, [line('VN-ID:079190001234', 'green'), line('VN-ID:079190001234', 'red')].join('\n'));
    expect((await hub('status-snapshot', '--dir', dir, '--epoch', '3', '--records', twice, '--out', join(work, 'x.bundle'))).stderr).toMatch(
      /same subject/,
    );
    const next = await hub('status-delta', '--dir', dir, '--epoch', '3', '--changes', twice.replace('twice', 'missing'), '--out', join(work, 'y.bundle'));
    expect(next.code).toBe(HUB_EXIT.failed);
  });

  it('refuses an epoch that has no key yet, and explains usage', async () => {
    const records = join(work, 'records.jsonl');
    const result = await hub('status-snapshot', '--dir', dir, '--epoch', '9', '--records', records, '--out', join(work, 'z.bundle'));
    expect(result.stderr).toMatch(/epoch 9 has no key yet/);
    expect((await hub('status-snapshot', '--dir', dir)).code).toBe(HUB_EXIT.usage);
    expect((await hub('frobnicate', '--dir', dir)).stderr).toMatch(/unknown command/);
  });
});
