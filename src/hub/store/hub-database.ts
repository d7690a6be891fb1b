// The hub's SQLite database (hub.db in its data directory): WAL with synchronous=FULL, so what
// the hub has acknowledged to a device survives a power cut. Readable and writable handles are
// distinct types, as on the kiosk.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runHubMigrations, type HubMigration } from './migrate.js';
import { HUB_MIGRATIONS } from './migrations/index.js';

declare const readableBrand: unique symbol;
declare const writableBrand: unique symbol;
export type HubReadableDB = Database.Database & { readonly [readableBrand]: true };
export type HubWritableDB = HubReadableDB & { readonly [writableBrand]: true };

export const HUB_DATABASE_FILE = 'hub.db';

export function openHubDatabase(path: string, migrations: readonly HubMigration[] = HUB_MIGRATIONS): HubWritableDB {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    runHubMigrations(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db as HubWritableDB;
}

/** Opens <dataDir>/hub.db, creating the directory (owner only) if needed. */
export function openHubDataDir(dataDir: string): HubWritableDB {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return openHubDatabase(join(dataDir, HUB_DATABASE_FILE));
}
