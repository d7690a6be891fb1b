// The commands as a technician runs them (bin/ over the built dist/): start a hub, register a
// kiosk's device key, scan, upload with `pccovid-kiosk sync`, stop the hub.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openHubDatabase } from '../../src/hub/store/hub-database.js';
import { openKioskCore } from '../../src/main/core/open-kiosk-core.js';
import { issueDemoPass } from '../../src/main/demo/demo-authority.js';
import { tempRoot } from './harness.js';

const root = join(import.meta.dirname, '..', '..');
const hubBin = join(root, 'bin', 'pccovid-hub.js');
const kioskBin = join(root, 'bin', 'pccovid-kiosk.js');

function run(bin: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, PCCOVID_LOG_LEVEL: 'silent' } });
}

describe('pccovid-hub serve / device add and pccovid-kiosk device-key / sync', () => {
  it('uploads a kiosk check-in to a hub started from the command line', async () => {
    const work = tempRoot('bins');
    const hubDir = join(work, 'hub');
    const kioskDir = join(work, 'kiosk');

    const key = run(kioskBin, ['device-key', '--data-dir', kioskDir]);
    expect(key.status, key.stderr).toBe(0);
    const { deviceId, publicKey } = JSON.parse(key.stdout) as { deviceId: string; publicKey: string };

    const badKey = run(hubBin, ['device', 'add', '--data-dir', hubDir, '--public-key', 'not-a-key']);
    expect(badKey.status).toBe(65);
    expect(badKey.stderr).toMatch(/base64 of a raw 32-byte Ed25519 key/);
    const added = run(hubBin, ['device', 'add', '--data-dir', hubDir, '--public-key', publicKey, '--label', 'door 1']);
    expect(added.status, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toEqual({ deviceId });

    // A scan at the door (the kiosk core, as the shells drive it) logs one check-in.
    const kiosk = openKioskCore({ dataDir: kioskDir });
    const pass = issueDemoPass(kiosk.demoAuthority, { nowMs: Date.now() });
    const { checkinId } = kiosk.submitScan({ source: 'paste', symbology: 'unknown', text: pass, receivedAt: Date.now() });
    kiosk.close();

    const hub = spawn(process.execPath, [hubBin, 'serve', '--data-dir', hubDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PCCOVID_LOG_LEVEL: 'silent' },
    });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: hub.stdout }).once('line', resolve);
        hub.once('exit', (code) => reject(new Error(`the hub exited (${code})`)));
      });
      const { url } = JSON.parse(first) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const synced = run(kioskBin, ['sync', '--data-dir', kioskDir, '--hub', url]);
      expect(synced.status, synced.stderr).toBe(0);
      expect(JSON.parse(synced.stdout)).toMatchObject({ deviceId, pendingCount: 0, parkedCount: 0, lastError: null });
      const hubDb = openHubDatabase(join(hubDir, 'hub.db'));
      expect(hubDb.prepare('SELECT nonce, device_id FROM checkins').all()).toEqual([{ nonce: checkinId, device_id: deviceId }]);
      hubDb.close();
      const unknown = run(kioskBin, ['sync', '--data-dir', join(work, 'stranger'), '--hub', url]);
      expect(unknown.status).toBe(0); // nothing to send: an empty outbox is never refused
    } finally {
      const exited = new Promise((resolve) => hub.once('exit', resolve));
      hub.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 60_000);
});
