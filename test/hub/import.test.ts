// Migration of the earlier apps: one person present in all three becomes one subject, each old id
// an alias; a clashing record is reported, not merged; re-importing changes nothing; and at the
// kiosk each old id resolves to the person through the published alias map.
import { generateKeyPairSync } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHexString } from '../../src/common/bundle/bundle-types.js';
import { encodeVhdQr, mod3736CheckCharacter } from '../../src/common/formats/vhd/vhd-qr.js';
import { runHubCli } from '../../src/hub/cli/main.js';
import { createSqliteDeviceRegistry } from '../../src/hub/enrolment/device-registry.js';
import { rawPublicKey } from '../../src/hub/publisher/signing-key.js';
import { startHubServer } from '../../src/hub/server.js';
import { openHubDataDir } from '../../src/hub/store/hub-database.js';
import { BundleStore } from '../../src/main/bundles/bundle-store.js';
import { openKioskCore } from '../../src/main/core/open-kiosk-core.js';
import { scanOf } from '../../src/main/pipeline/test-fixtures.js';
import { createBundleDownloadTask } from '../../src/main/sync/bundle-download.js';
import { createHubTransport } from '../../src/main/sync/hub-transport.js';
import { tempRoot } from '../sync/harness.js';
import { enrolDevice, makeTestDevice } from './signed-client.js';
import { deviceKeyFrom } from '../../src/main/sync/device-key.js';

async function hub(...argv: string[]): Promise<{ code: number; lines: Record<string, unknown>[]; stderr: string }> {
  const out: string[] = [];
  let stderr = '';
  const code = await runHubCli(argv, { out: (t) => void out.push(t), err: (t) => void (stderr += t) });
  return { code, lines: out.map((l) => JSON.parse(l) as Record<string, unknown>), stderr };
}

const root = tempRoot('hub-import');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const body = 'HN7K2M9QA';
const vhdCode = body + mod3736CheckCharacter(body);

function writeExports(): { vhd: string; sskdt: string; bluezone: string } {
  const vhd = join(root, 'vhd.csv');
  writeFileSync(
    vhd,
    [
      'personal_code,id_number,passport_country,passport_number,full_name,date_of_birth,sex,last_declared',
      `${vhdCode},079190001234,,,"Trần Thị Bích Ngọc",19900412,F,20210915`,
      // Same citizen id, another person's name: a conflict, never merged.
      'ZZ11111110,079190001234,,,Nguyễn Văn Khác,19850101,M,20210915',
      'bad line',
    ].join('\r\n'),
  );
  const sskdt = join(root, 'sskdt.jsonl');
  writeFileSync(
    sskdt,
    `${JSON.stringify({ record_id: 'SK-000123', citizen_id: '079190001234', phone: '0912 345 678', full_name: 'TRẦN THỊ BÍCH NGỌC', date_of_birth: '1990-04-12', doses: [{ date: '2021-08-01' }, { date: '2021-09-15' }] })}\n`,
  );
  const bluezone = join(root, 'bluezone.csv');
  writeFileSync(
    bluezone,
    ['bluezone_id,phone,citizen_id,full_name,date_of_birth,registered_at', 'BZ42,+84912345678,,Trần Thị Bích Ngọc,1990-04-12,2020-04-18T08:00:00Z', 'BZ43,0987654321,,Phạm Văn Đông,,2020-04-18T08:00:00Z'].join('\n'),
  );
  return { vhd, sskdt, bluezone };
}

describe('pccovid-hub import', () => {
  it('unifies one person across three apps, reports the conflict, and is idempotent', async () => {
    const data = join(root, 'hub');
    const files = writeExports();
    const vhd = await hub('import', 'vhd', files.vhd, '--data-dir', data);
    expect(vhd.code).toBe(65); // one malformed line, reported by number
    expect(vhd.lines[0]).toMatchObject({ created: 1, conflicts: 1, rejected: [{ line: 4 }] });
    expect(vhd.stderr).toMatch(/not linked; see "pccovid-hub import conflicts"/);
    expect((await hub('import', 'sskdt', files.sskdt, '--data-dir', data)).lines[0]).toMatchObject({ created: 0, linked: 1, conflicts: 0 });
    expect((await hub('import', 'bluezone', files.bluezone, '--data-dir', data)).lines[0]).toMatchObject({ created: 1, linked: 1 });

    const db = openHubDataDir(data);
    const snapshot = (): unknown => ({
      subjects: db.prepare('SELECT * FROM subjects ORDER BY subject_id').all(),
      aliases: db.prepare('SELECT alias, subject_id FROM subject_aliases ORDER BY alias').all(),
      conflicts: db.prepare('SELECT app, record_id, field FROM import_conflicts ORDER BY id').all(),
      events: db.prepare('SELECT count(*) AS n FROM status_events').get(),
    });
    try {
      expect(db.prepare("SELECT alias FROM subject_aliases WHERE subject_id = 'VN-ID:079190001234' ORDER BY alias").pluck().all()).toEqual([
        'APP:bluezone:BZ42',
        'APP:sskdt:SK-000123',
        `APP:vhd:${vhdCode}`,
      ]);
      expect(db.prepare("SELECT status, doses, last_dose_date FROM subjects WHERE subject_id = 'VN-ID:079190001234'").get()).toEqual({
        status: 'green',
        doses: 2,
        last_dose_date: '2021-09-15',
      });
      // The stranger known only by a phone number stands alone under their old id.
      expect(db.prepare("SELECT count(*) FROM subjects WHERE subject_id = 'APP:bluezone:BZ43'").pluck().get()).toBe(1);
      const before = snapshot();
      for (const [app, file] of [['vhd', files.vhd], ['sskdt', files.sskdt], ['bluezone', files.bluezone]] as const) {
        const again = await hub('import', app, file, '--data-dir', data);
        expect(again.lines[0]).toMatchObject({ created: 0, linked: 0 });
      }
      expect(snapshot()).toEqual(before);
    } finally {
      db.close();
    }
    const conflicts = await hub('import', 'conflicts', '--data-dir', data);
    expect(conflicts.lines.map((l) => l['field']).sort()).toEqual(['date_of_birth', 'name']);
  });

  it('each old code resolves to the person at the kiosk through the published alias map', async () => {
    const data = join(root, 'hub');
    const publisherDir = join(root, 'publisher');
    const init = (await hub('init', '--dir', publisherDir)).lines[0] ?? {};
    const hubDb = openHubDataDir(data);
    const server = await startHubServer({ db: hubDb, dataDir: data });
    const device = makeTestDevice();
    const sealing = generateKeyPairSync('x25519');
    device.sealingPrivateKey = sealing.privateKey;
    device.sealingPublicKeyHex = Buffer.from(rawPublicKey(sealing.publicKey, 'X25519')).toString('hex');
    const transport = createHubTransport({ hubUrl: server.url, deviceKey: deviceKeyFrom(device.signingKey), keepAlive: false });
    const store = BundleStore.open({
      dir: join(root, 'kiosk-bundles'),
      rootKeys: [{ kid: fromHexString(String(init['rootKid'])) ?? new Uint8Array(), publicKey: fromHexString(String(init['rootPublicKey'])) ?? new Uint8Array() }],
      deviceKey: sealing.privateKey,
    });
    const kiosk = openKioskCore({ dataDir: join(root, 'kiosk'), authorityKeyDir: data, bundles: store });
    try {
      const token = createSqliteDeviceRegistry(hubDb).issueToken(null, 60_000, Date.now()).token;
      expect((await enrolDevice(server.url, device, token)).status).toBe(200);
      const policy = join(root, 'policy.json');
      writeFileSync(policy, JSON.stringify({ id: 'import', outcomes: { green: 'admit', yellow: 'review', red: 'deny', unknown: 'review' } }));
      expect((await hub('key-list', '--dir', publisherDir, '--out', join(root, 'k.bundle'))).code).toBe(0);
      expect((await hub('policy', '--dir', publisherDir, '--policy', policy, '--out', join(root, 'p.bundle'))).code).toBe(0);
      expect((await hub('publish', '--data-dir', data, join(root, 'k.bundle'), join(root, 'p.bundle'))).code).toBe(0);
      expect((await hub('publish-epoch-keys', '--data-dir', data, '--dir', publisherDir, '--epoch', '2')).code).toBe(0);
      expect((await hub('publish-status', '--data-dir', data, '--dir', publisherDir, '--epoch', '2')).code).toBe(0);
      expect((await hub('publish-aliases', '--data-dir', data, '--dir', publisherDir, '--epoch', '2')).lines[0]).toMatchObject({ type: 'alias-map', entries: 3 });
      expect(await createBundleDownloadTask({ store }).run(transport, new AbortController().signal)).toBe('installed');

      for (const oldId of [`APP:vhd:${vhdCode}`, 'APP:sskdt:SK-000123', 'APP:bluezone:BZ42']) {
        expect(store.status.lookup([oldId])).toMatchObject({ status: 'green', doses: 2, lastDoseDate: '2021-09-15' });
      }
      // The old app's printed code, without the id number (people declared without papers too):
      // the kiosk's VHD1 decoder gives APP:vhd:<code>, and the alias map finds the person.
      const printed = encodeVhdQr({ personalCode: vhdCode, idNumber: '', name: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-04-12', sex: 'F', lastDeclared: '2021-09-15' });
      expect(kiosk.checkOnly(scanOf(printed)).outcome).toBe('admit');
    } finally {
      transport.close();
      kiosk.close();
      await server.close();
      hubDb.close();
    }
  });
});
