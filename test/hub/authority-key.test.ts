// The publisher's authority sealing key: made by init (or authority-key), kept owner-only outside
// any hub data directory, carried by the root-signed key list; the tracing tool opens a subject
// only with the key it was sealed to, and an altered subject does not open.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBundlePrefix } from '../../src/common/bundle/bundle-format.js';
import { decodeKeyList } from '../../src/common/bundle/key-list.js';
import { captureIo } from '../../src/common/cli/cli-io.js';
import { runHubCli } from '../../src/hub/cli/main.js';
import { readAuthorityPrivateKeys } from '../../src/hub/publisher/authority-sealing-key.js';
import { createSubjectOpener } from '../../src/hub/privacy/open-subjects.js';
import { openHubDataDir } from '../../src/hub/store/hub-database.js';
import { sealSubject } from '../../src/main/sync/checkin-sealer.js';
import { sealingKeyFromRaw } from '../../src/main/sync/sealing-key.js';
import { tempRoot } from '../sync/harness.js';

async function hub(...argv: string[]): Promise<{ code: number; json: Record<string, unknown> | undefined; stderr: string }> {
  const io = captureIo();
  const code = await runHubCli(argv, io);
  const last = io.lines.out.filter((l) => l.startsWith('{')).at(-1);
  return { code, json: last === undefined ? undefined : (JSON.parse(last) as Record<string, unknown>), stderr: io.stderr };
}

const root = tempRoot('authority-key');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pccovid-hub authority sealing key', () => {
  it('init makes it (0600, outside the publisher files), key-list carries it, authority-key rotates it', async () => {
    const dir = join(root, 'publisher');
    const init = await hub('init', '--dir', dir);
    expect(init.code).toBe(0);
    const keyId = String(init.json?.['sealingKeyId']);
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(init.json?.['authorityKeyFile']).toBe(join(dir, 'authority', `sealing-key-${keyId}.pem`));
    expect(statSync(join(dir, 'authority', `sealing-key-${keyId}.pem`)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'authority')).mode & 0o777).toBe(0o700);

    const listed = await hub('key-list', '--dir', dir, '--out', join(root, 'k1.bundle'));
    expect(listed.json).toMatchObject({ type: 'key-list', sealingKeyId: keyId });
    const bytes = readFileSync(join(root, 'k1.bundle'));
    const parsed = parseBundlePrefix(bytes, bytes.length);
    if (!parsed.ok) throw new Error(parsed.detail);
    const payload = decodeKeyList(bytes.subarray(parsed.value.payloadOffset));
    if (!payload.ok || payload.value.sealingKey === undefined) throw new Error('no sealing key in the key list');
    expect(sealingKeyFromRaw(payload.value.sealingKey).keyId).toBe(keyId);

    const rotated = await hub('authority-key', '--dir', dir);
    expect(rotated.code).toBe(0);
    expect(rotated.json?.['sealingKeyId']).not.toBe(keyId);
    expect(rotated.stderr).toMatch(/run key-list and publish it now/);
    expect((await hub('key-list', '--dir', dir, '--out', join(root, 'k2.bundle'))).json).toMatchObject({ sequence: 2, sealingKeyId: rotated.json?.['sealingKeyId'] });
    // Both private halves stay with the authority: rows sealed to the first still open.
    expect([...readAuthorityPrivateKeys([join(dir, 'authority')]).keys()].sort()).toEqual([keyId, String(rotated.json?.['sealingKeyId'])].sort());
  });

  it('refuses to keep an authority private key inside a hub data directory, and needs an initialised publisher', async () => {
    const dir = join(root, 'publisher-2');
    const hubDir = join(root, 'hub');
    openHubDataDir(hubDir).close();
    expect((await hub('init', '--dir', dir, '--authority-dir', join(root, 'elsewhere'))).code).toBe(0);
    const inside = await hub('authority-key', '--dir', dir, '--authority-dir', join(hubDir, 'keys'));
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/inside the hub's data directory/);
    expect((await hub('authority-key', '--dir', join(root, 'not-initialised'))).stderr).toMatch(/run "pccovid-hub init/);
  });

  it('a key list signed without an authority key says what that costs', async () => {
    const dir = join(root, 'publisher-3');
    await hub('init', '--dir', dir);
    rmSync(join(dir, 'authority-sealing-key.pub'));
    const listed = await hub('key-list', '--dir', dir, '--out', join(root, 'k3.bundle'));
    expect(listed.code).toBe(0);
    expect(listed.json).toMatchObject({ sealingKeyId: null });
    expect(listed.stderr).toMatch(/no health-authority sealing key.*authority-key/);
  });

  it('opens a subject only with its own key, and not once altered or moved to another row', async () => {
    const dir = join(root, 'publisher-4');
    const init = await hub('init', '--dir', dir);
    const keyId = String(init.json?.['sealingKeyId']);
    const publicKey = Buffer.from(readFileSync(join(dir, 'authority-sealing-key.pub'), 'utf8').trim(), 'base64');
    const nonce = '01JDZ0000000000000000000AA';
    const sealed = sealSubject(sealingKeyFromRaw(publicKey), nonce, ['VN-ID:079190001234']);
    expect(sealed.keyId).toBe(keyId);
    const opener = await createSubjectOpener(readAuthorityPrivateKeys([join(dir, 'authority')]));
    const row = { nonce, sealSuite: 'x25519-hkdf-sha256-aes128gcm', sealKeyId: keyId, sealedSubject: sealed.sealed };
    expect(await opener.open(row)).toEqual({ subjectIds: ['VN-ID:079190001234'] });
    const altered = Buffer.from(sealed.sealed);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    expect(await opener.open({ ...row, sealedSubject: altered })).toEqual({ closed: 'unopenable' });
    expect(await opener.open({ ...row, nonce: '01JDZ0000000000000000000AB' })).toEqual({ closed: 'unopenable' });
    expect(await opener.open({ ...row, sealKeyId: '0000000000000000' })).toEqual({ closed: 'no_key' });
    expect(await opener.open({ ...row, sealedSubject: null, sealKeyId: null })).toEqual({ closed: 'none' });
  });
});
