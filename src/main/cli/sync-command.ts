// pccovid-kiosk device-key and pccovid-kiosk sync: what a technician needs to connect a kiosk to
// a hub before provisioning exists (issue 10): the device's public key to register at the hub
// (`pccovid-hub device add`), and one upload of everything waiting, with the outbox's state.
import { openKioskCore, type OpenedKiosk } from '../core/open-kiosk-core.js';
import { moduleLogger } from '../log.js';
import { createSyncClient, type SyncClient } from '../sync/sync-client.js';
import { UsageError, type CliIo } from './output.js';

export const HUB_URL_ENV = 'PCCOVID_HUB_URL';

export function runDeviceKey(dataDir: string, io: CliIo): number {
  const kiosk = openKioskCore({ dataDir });
  try {
    io.out(JSON.stringify({ deviceId: kiosk.deviceKey.deviceId, publicKey: kiosk.deviceKey.publicKeyBase64 }));
    return 0;
  } finally {
    kiosk.close();
  }
}

/** Uploads until nothing waits or the hub cannot take more now; exit 0 when the outbox is empty. */
export async function runSyncOnce(dataDir: string, hubUrlGiven: string | undefined, io: CliIo): Promise<number> {
  const kiosk = openKioskCore({ dataDir });
  const hubUrl = hubUrlGiven ?? kiosk.provisioning.state().hubUrl;
  if (hubUrl === null) {
    kiosk.close();
    throw new UsageError(`sync needs --hub URL (or $${HUB_URL_ENV}): this kiosk is not provisioned`);
  }
  const sync = createSyncClient({ db: kiosk.db, deviceKey: kiosk.deviceKey, hubUrl });
  try {
    const round = await sync.drainOnce(new AbortController().signal);
    const status = kiosk.syncStatus();
    io.out(JSON.stringify(status));
    if (round.kind === 'failed') io.err(`The upload stopped: ${round.message}. ${status.pendingCount} check-in(s) wait on this kiosk.`);
    return status.pendingCount === 0 ? 0 : 1;
  } finally {
    await sync.stop();
    kiosk.close();
  }
}

/** The kiosk's background sync when $PCCOVID_HUB_URL names a hub (provisioning will store it). */
export function startSyncFromEnvironment(kiosk: OpenedKiosk, io: CliIo, env: NodeJS.ProcessEnv = process.env): SyncClient | null {
  const hubUrl = env[HUB_URL_ENV];
  if (hubUrl === undefined || hubUrl === '') return null;
  // A provisioned kiosk syncs with its own hub already (src/main/provision).
  if (kiosk.provisioning.state().step !== 'unprovisioned') {
    io.err(`${HUB_URL_ENV} is ignored: this kiosk is provisioned and syncs with ${kiosk.provisioning.state().hubUrl ?? 'its hub'}.`);
    return null;
  }
  const sync = createSyncClient({ db: kiosk.db, deviceKey: kiosk.deviceKey, hubUrl, logger: moduleLogger('sync') });
  sync.start();
  io.err(`Uploading check-ins to ${hubUrl} as ${kiosk.deviceKey.deviceId}`);
  return sync;
}
