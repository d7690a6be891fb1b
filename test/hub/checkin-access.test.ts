// Check-in data is read only with an operator key and a reason, and every read is recorded.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHubCli } from '../../src/hub/cli/main.js';
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
});
