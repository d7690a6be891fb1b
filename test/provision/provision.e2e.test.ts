// Issue 10's end-to-end proof, on loopback with no mocks: an operator sets up a hub, a technician
// provisions a fresh kiosk with `pccovid-kiosk provision --enrol <ticket>`, confirms the root key
// fingerprint, the kiosk takes its venue, policy, signer list and status data from the hub, passes
// its scanner self-test, then a pass issued by the hub's authority is admitted and its check-in
// arrives at the hub through the kiosk's background sync. On the way: a real EU DCC's signer comes
// from the signer list, and an old app's code resolves through the published alias map.
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openKioskCore } from '../../src/main/core/open-kiosk-core.js';
import { hubNonces, tempRoot } from '../sync/harness.js';
import { eventually, FAST_SYNC, hubCli, kioskCli, startOperatorHub } from './harness.js';
import { scanOf } from '../../src/main/pipeline/test-fixtures.js';
import { loadDccVector } from '../../src/main/pipeline/decoders/dcc/dcc-test-vectors.js';
import { encodeVhdQr, mod3736CheckCharacter } from '../../src/common/formats/vhd/vhd-qr.js';

const root = tempRoot('provision-e2e');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('provisioning a kiosk against a real hub', () => {
  it('box to door: provision by CLI, self-test, scan a hub-issued pass, check-in at the hub', async () => {
    const operator = await startOperatorHub(root);
    const kioskDir = join(root, 'kiosk');
    const person = 'VN-ID:079190001234';
    try {
      // 1. The technician scans the ticket: the kiosk makes its keys and enrols, then stops for the fingerprint.
      const ticket = await operator.ticket('HN-01');
      const enrolled = await kioskCli('provision', '--enrol', ticket, '--data-dir', kioskDir);
      expect(enrolled.code).toBe(2);
      expect(enrolled.state).toMatchObject({ step: 'awaiting_fingerprint', hubUrl: operator.hub.url, demo: true });
      expect(enrolled.state?.['rootFingerprint']).toBe(operator.rootFingerprint);
      expect(enrolled.stderr).toContain(operator.rootFingerprint);
      for (const file of ['device-key.pem', 'device-sealing-key.pem', 'provisioning.json']) {
        expect(statSync(join(kioskDir, file)).mode & 0o777).toBe(0o600);
      }

      // The operator seals the epoch key to the new device and publishes the hub's records.
      await hubCli('status', 'record', '--data-dir', operator.hubDir, '--id', person, '--event', 'vaccination', '--date', '2021-09-01', '--name', 'Trần Thị Bích Ngọc', '--dob', '1990-04-12');
      await hubCli('status', 'record', '--data-dir', operator.hubDir, '--id', person, '--event', 'vaccination', '--date', '2021-10-01');
      await hubCli('publish-epoch-keys', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--epoch', '1');
      await hubCli('publish-status', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--epoch', '1');
      // The same person declared in the replaced health-declaration app: their old code becomes an alias.
      const vhdBody = 'HN7K2M9QA';
      const vhdCode = vhdBody + mod3736CheckCharacter(vhdBody);
      const vhdExport = join(root, 'vhd.csv');
      writeFileSync(vhdExport, ['personal_code,id_number,passport_country,passport_number,full_name,date_of_birth,sex,last_declared', `${vhdCode},079190001234,,,"Trần Thị Bích Ngọc",19900412,F,20210915`].join('\r\n'));
      await hubCli('import', 'vhd', vhdExport, '--data-dir', operator.hubDir);
      await hubCli('publish-aliases', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--epoch', '1');
      // The EU DCC document signers go into the signer list too (base64 DER, as the EU gateway lists them).
      const dcc = loadDccVector('AT/2DCode/raw/1.json');
      const certificateFile = join(root, 'at-dsc.b64');
      writeFileSync(certificateFile, Buffer.from(dcc.certificateDer).toString('base64'));
      await hubCli('publish-signer-list', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--dcc-certificate', certificateFile);

      // 2. The fingerprint printed on the ticket, typed as printed (groups of four): configure, first sync.
      const confirmed = await kioskCli('provision', '--data-dir', kioskDir, '--fingerprint', operator.rootFingerprint);
      expect(confirmed.stderr).not.toMatch(/pccovid-kiosk: /);
      expect(confirmed.code).toBe(0);
      expect(confirmed.state).toMatchObject({
        step: 'self_test',
        error: null,
        assignment: { venueId: 'HN-01', venueName: 'Nội Bài T2', laneId: null, mode: 'venue' },
        firstSync: { policyId: 'provision-e2e' },
        clock: { state: 'ok' },
      });

      // 3. The kiosk starts provisioned: no demo, the hub's venue; the scanner self-test logs nothing.
      const kiosk = openKioskCore({ dataDir: kioskDir, backgroundSync: true, syncTuning: FAST_SYNC, allowDemo: false });
      try {
        expect(kiosk.info()).toMatchObject({ provisioning: 'self_test', demo: false, venueName: 'Nội Bài T2', mode: 'venue' });
        // A real EU DCC: its signer is known from the signer list (a demo kiosk answers unknown_issuer);
        // the 2021 test certificate is past its dates today, which is the only thing said against it.
        const dccCodes = kiosk.checkOnly(scanOf(dcc.prefix)).reasons.map((reason) => reason.code);
        expect(dccCodes).toEqual(['expired']);
        // The old app's code finds the person's status through the alias map the hub published.
        const oldCode = encodeVhdQr({ personalCode: vhdCode, idNumber: '', name: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-04-12', sex: 'F', lastDeclared: '2021-09-15' });
        expect(kiosk.checkOnly(scanOf(oldCode))).toMatchObject({ outcome: 'admit', status: 'green' });
        expect(kiosk.provisioning.finish({})).toMatchObject({ step: 'self_test', error: { code: 'no_scanner' } });
        const test = kiosk.submitScan(scanOf('any code at all', 'keyboard-wedge'));
        expect(test.reasons).toEqual([{ code: 'self_test_scan' }]);
        expect(kiosk.recentCheckins(10)).toEqual([]);
        expect(kiosk.provisioning.finish({})).toMatchObject({ step: 'ready', error: null, selfTest: [{ id: 'keyboard-wedge', passed: true }] });
        kiosk.provisioning.startBackgroundSync();

        // 4. A pass from the hub's own issuer: verified through the signer list, decided by the hub's status data.
        const [issued] = await hubCli('pass', 'issue', '--data-dir', operator.hubDir, '--dir', operator.publisherDir, '--id', person);
        const verdict = kiosk.submitScan(scanOf(String(issued?.['pass'])));
        expect(verdict).toMatchObject({ outcome: 'admit', status: 'green' });
        await eventually(() => hubNonces(operator.db).includes(verdict.checkinId), 'the check-in to reach the hub');
        const row = operator.db.prepare('SELECT venue, device_id AS device FROM checkins WHERE nonce = ?').get(verdict.checkinId) as { venue: string; device: string };
        expect(row).toEqual({ venue: 'HN-01', device: kiosk.deviceKey.deviceId });
        expect(kiosk.health().hubClock).toMatchObject({ state: 'ok' });
      } finally {
        await kiosk.shutdown();
      }
      expect(existsSync(join(kioskDir, 'bundles'))).toBe(true);
    } finally {
      await operator.stop();
    }
  }, 60_000);
});
