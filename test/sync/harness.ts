// Shared by the sync tests: a real hub on loopback (its own data directory), and kiosks whose
// demo sealing authority keeps its private half in the hub's data directory.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDevice, parseDevicePublicKey } from '../../src/hub/ingest/devices.js';
import { startHubServer, type RunningHub } from '../../src/hub/server.js';
import { openHubDataDir, type HubWritableDB } from '../../src/hub/store/hub-database.js';
import { openKioskCore, type OpenedKiosk, type OpenKioskOptions } from '../../src/main/core/open-kiosk-core.js';
import { SUBJECT_SEAL_INFO } from '../../src/main/sync/checkin-sealer.js';
import { HPKE_ENC_LENGTH, hpkeOpen } from '../../src/main/sync/hpke.js';
import { authoritySealingKeyFile } from '../../src/common/sync/sealed-subject.js';

export interface TestHub extends RunningHub {
  dataDir: string;
  db: HubWritableDB;
  register(kiosk: { deviceKey: { publicKeyBase64: string } }): string;
  stop(): Promise<void>;
}

export function tempRoot(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `pccovid-${prefix}-`));
}

export async function startTestHub(options: { dataDir?: string; now?: () => number; bodyLimitBytes?: number; port?: number } = {}): Promise<TestHub> {
  const dataDir = options.dataDir ?? join(tempRoot('hub'), 'hub');
  const db = openHubDataDir(dataDir);
  const running = await startHubServer({
    db,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  return {
    ...running,
    dataDir,
    db,
    register: (kiosk) => addDevice(db, parseDevicePublicKey(kiosk.deviceKey.publicKeyBase64), 'test kiosk', Date.now()),
    async stop() {
      await running.close();
      db.close();
    },
  };
}

export function openTestKiosk(hub: { dataDir: string }, dataDir: string, options: Partial<OpenKioskOptions> = {}): OpenedKiosk {
  return openKioskCore({ dataDir, authorityKeyDir: hub.dataDir, ...options });
}

export function authorityKeyIn(hubDataDir: string, keyId: string): KeyObject {
  return createPrivateKey(readFileSync(join(hubDataDir, authoritySealingKeyFile(keyId)), 'utf8'));
}

/** What the health authority's tracing tool does with one stored check-in. */
export function openStoredSubject(key: KeyObject, nonce: string, sealed: Buffer): { v: number; subjectIds: string[] } {
  const plaintext = hpkeOpen({
    recipientPrivateKey: key,
    enc: sealed.subarray(0, HPKE_ENC_LENGTH),
    ciphertext: sealed.subarray(HPKE_ENC_LENGTH),
    info: SUBJECT_SEAL_INFO,
    aad: Buffer.from(nonce, 'utf8'),
  });
  return JSON.parse(plaintext.toString('utf8')) as { v: number; subjectIds: string[] };
}

export function hubNonces(db: HubWritableDB): string[] {
  return db.prepare('SELECT nonce FROM checkins ORDER BY nonce').pluck().all() as string[];
}

export const FAST_BACKOFF = { baseMs: 10, maxMs: 200 };
