// Check-in data is read only with an operator key and a reason, and every read is recorded.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runHubCli } from '../../src/hub/cli/main.js';
import { readCheckins, signReadRequest } from '../../src/hub/privacy/checkin-access.js';
import { openHubDataDir } from '../../src/hub/store/hub-database.js';
import { tempRoot } from '../sync/harness.js';

async function hub(...argv: string[]): Promise<{ code: number; lines: Record<string, unknown>[]; stderr: string }> {
  const out: string[] = [];
  let stderr = '';
  const code = await runHubCli(argv, { out: (t) => void out.push(t), err: (t) => void (stderr += t) });
  return { code, lines: out.map((l) => JSON.parse(l) as Record<string, unknown>), stderr };
}

const root = tempRoot('hub-privacy');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('reading check-ins', () => {
  it('needs a registered operator key and a reason; each read is audited', async () => {
    const data = join(root, 'hub');
    const db = openHubDataDir(data);
    db.prepare(
      `INSERT INTO checkins (nonce, device_id, batch_id, received_at, kind, venue, lane, at, outcome, readable, reason_codes, source)
       VALUES ('01JDZ0000000000000000000AA', 'dev-00000000000000000000000000000001', 'b1', 1, 'verdict', 'HN-01', NULL, 1764230400000, 'admit', 1, '[]', 'camera')`,
    ).run();
    db.close();
    const key = join(root, 'alice.pem');
    const stranger = join(root, 'mallory.pem');
    const made = await hub('operator', 'key', '--out', key);
    await hub('operator', 'key', '--out', stranger);
    expect((await hub('operator', 'add', '--data-dir', data, '--name', 'Alice (CDC Hà Nội)', '--public-key', String(made.lines[0]?.['publicKey']))).code).toBe(0);

    const refused = await hub('checkins', 'read', '--data-dir', data, '--operator-key', stranger, '--reason', 'case HN-2026-0042 contact tracing');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/may not read check-ins/);
    expect((await hub('checkins', 'read', '--data-dir', data, '--operator-key', key, '--reason', 'x')).stderr).toMatch(/Give the reason/);
    expect((await hub('checkins', 'read', '--data-dir', data, '--operator-key', key)).code).toBe(64);

    const read = await hub('checkins', 'read', '--data-dir', data, '--operator-key', key, '--reason', 'case HN-2026-0042 contact tracing', '--venue', 'HN-01');
    expect(read.code).toBe(0);
    expect(read.lines).toMatchObject([{ nonce: '01JDZ0000000000000000000AA', venue: 'HN-01' }]);
    const audit = await hub('checkins', 'audit', '--data-dir', data);
    expect(audit.lines).toHaveLength(1);
    expect(audit.lines[0]).toMatchObject({ name: 'Alice (CDC Hà Nội)', reason: 'case HN-2026-0042 contact tracing', rowsReturned: 1 });
    expect(JSON.parse(String(audit.lines[0]?.['query']))).toMatchObject({ venue: 'HN-01' });
  });

  it('hands out a sealed subject only to a read that says it opens subjects, and that says so in the audit', async () => {
    const data = join(root, 'hub-sealed');
    const key = join(root, 'bob.pem');
    const made = await hub('operator', 'key', '--out', key);
    const setup = openHubDataDir(data);
    setup
      .prepare(
        `INSERT INTO checkins (nonce, device_id, batch_id, received_at, kind, venue, lane, at, outcome, readable, reason_codes, source, seal_key_id, seal_suite, sealed_subject)
         VALUES ('01JDZ0000000000000000000BB', 'dev-00000000000000000000000000000002', 'b2', 1, 'verdict', 'HN-01', NULL, 1764230400000, 'admit', 1, '[]', 'camera', '0123456789abcdef', 'HPKE-X25519-SHA256-AES128GCM', x'00112233')`,
      )
      .run();
    setup.close();
    expect((await hub('operator', 'add', '--data-dir', data, '--name', 'Bob', '--public-key', String(made.lines[0]?.['publicKey']))).code).toBe(0);
    const db = openHubDataDir(data);
    const operatorKey = createPrivateKey(readFileSync(key, 'utf8'));
    const now = Date.now();
    const read = (subjects: boolean) =>
      readCheckins(db, signReadRequest(operatorKey, { device: null, venue: 'HN-01', from: null, to: null, ...(subjects ? { subjects: true } : {}) }, 'case HN-2026-0043 exposure', now), now);
    try {
      expect(read(false)).toMatchObject([{ sealKeyId: '0123456789abcdef', sealSuite: null, sealedSubject: null }]);
      expect(read(true)).toMatchObject([{ sealSuite: 'HPKE-X25519-SHA256-AES128GCM', sealedSubject: Buffer.from('00112233', 'hex') }]);
    } finally {
      db.close();
    }
  });
});
