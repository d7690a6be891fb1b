// Wiping a kiosk (revoked at the hub, or decommissioned by a technician): everything personal or
// secret goes — the check-in log and its outbox, the pseudonym keys, the sync state, the device
// keys, the installed bundles (status data of the whole country) and the provisioning record.
// What stays: settings (console PIN, locale), the demo authority, the kiosk software.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { withCheckpointsPaused } from '../store/checkpoint.js';
import type { WritableDB } from '../store/database.js';
import { deleteDeviceKeys } from './device-keys.js';
import { deleteProvisionRecord } from './provision-record.js';

export const BUNDLES_DIR = 'bundles';
export interface WipeReport {
  checkinsDeleted: number;
}

export function wipePersonalData(dataDir: string, db: WritableDB): WipeReport {
  // secure_delete overwrites the freed pages, and the checkpoint empties the WAL, so the rows
  // are not left readable in free space or in the log file.
  db.pragma('secure_delete = ON');
  const checkinsDeleted = db.transaction(() => {
    const deleted = db.prepare('DELETE FROM checkins').run().changes;
    db.prepare('DELETE FROM pseudonym_keys').run();
    db.prepare('DELETE FROM sync_state').run();
    return deleted;
  })();
  // The kiosk's checkpoint worker waits meanwhile: a checkpoint of its own holding the lock would
  // make this one answer busy and leave the log file as it is.
  // Another process on the same file (a CLI run on the data directory) can still hold it: the
  // checkpoint waits for it (the connection's busy timeout), and if it is still held, says so:
  // the deleted rows would stay in the log file meanwhile. The keys and the provisioning record
  // stay until it succeeds, so the kiosk stays provisioned and the wipe is tried again whole.
  const [result] = withCheckpointsPaused(db, () => db.pragma('wal_checkpoint(TRUNCATE)')) as { busy: number }[];
  if (result?.busy !== 0) {
    throw new Error('the check-in log file (kiosk.db-wal) is held by another process and still holds the deleted rows; close it and wipe again');
  }
  // The record first: a kiosk interrupted here starts unprovisioned, and the rest is redone.
  deleteProvisionRecord(dataDir);
  deleteDeviceKeys(dataDir);
  rmSync(join(dataDir, BUNDLES_DIR), { recursive: true, force: true });
  return { checkinsDeleted };
}
