// What pccovid-hub writes, a kiosk installs: the publisher CLI's files through the kiosk store.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHexString } from '../../src/common/bundle/bundle-types.js';
import { runHubCli } from '../../src/hub/cli/main.js';
import { rawPublicKey } from '../../src/hub/publisher/signing-key.js';
import { BundleStore } from '../../src/main/bundles/bundle-store.js';

async function hub(...argv: string[]): Promise<Record<string, string>> {
  let stdout = '';
  let stderr = '';
  const code = await runHubCli(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  if (code !== 0) throw new Error(`pccovid-hub ${argv[0]} exited ${code}: ${stderr}`);
  return JSON.parse(stdout) as Record<string, string>;
}

describe('pccovid-hub bundles on a kiosk', () => {
  it('installs the CLI output and answers from it, aliases included', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pccovid-hub-kiosk-'));
    const dir = join(work, 'publisher');
    const device = generateKeyPairSync('x25519');
    const devicePublic = Buffer.from(rawPublicKey(device.publicKey, 'X25519')).toString('hex');
    const root = await hub('init', '--dir', dir);
    const file = (name: string, lines: object[]): string => {
      const path = join(work, name);
      writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n'));
      return path;
    };
    const validUntil = new Date(Date.now() + 86_400_000).toISOString();
    const records = file('records.jsonl', [
      { id: 'VN-ID:079190001234', status: 'green', doses: 3, lastDoseDate: '2022-03-15', validUntil },
      { id: 'VN-ID:079190009999', status: 'yellow', validUntil },
    ]);
    const out = (name: string) => join(work, name);
    await hub('key-list', '--dir', dir, '--out', out('1.bundle'));
    await hub('epoch-key', '--dir', dir, '--epoch', '1', '--device-key', devicePublic, '--out', out('2.bundle'));
    await hub('status-snapshot', '--dir', dir, '--epoch', '1', '--records', records, '--out', out('3.bundle'));
    await hub('alias-map', '--dir', dir, '--epoch', '1', '--aliases', file('aliases.jsonl', [{ alias: 'APP:bluezone:BZ-42', id: 'VN-ID:079190009999' }]), '--out', out('4.bundle'));
    await hub('status-delta', '--dir', dir, '--epoch', '1', '--changes', file('changes.jsonl', [{ id: 'VN-ID:079190009999', status: 'red', validUntil }]), '--out', out('5.bundle'));
    await hub('policy', '--dir', dir, '--policy', file('policy.json', [{ id: 'lane-1', outcomes: { green: 'admit', yellow: 'review', red: 'deny', unknown: 'deny' } }]), '--out', out('6.bundle'));

    const store = BundleStore.open({
      dir: join(work, 'kiosk'),
      rootKeys: [{ kid: fromHexString(root['rootKid'] ?? '') ?? new Uint8Array(), publicKey: fromHexString(root['rootPublicKey'] ?? '') ?? new Uint8Array() }],
      deviceKey: device.privateKey,
    });
    for (const n of [1, 2, 3, 4, 5, 6]) store.install({ path: out(`${n}.bundle`) });
    expect(store.status.lookup(['VN-ID:079190001234'])).toMatchObject({ status: 'green', doses: 3, lastDoseDate: '2022-03-15' });
    expect(store.status.lookup(['APP:bluezone:BZ-42'])?.status).toBe('red');
    expect(store.status.lookup(['VN-ID:079190000000'])).toBeUndefined();
    expect(store.policy?.policy).toMatchObject({ id: 'lane-1', outcomes: { unknown: 'deny' } });
  });
});
