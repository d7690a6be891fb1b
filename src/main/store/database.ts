// The kiosk's SQLite database: WAL with synchronous=FULL so that a committed check-in survives a
// power cut. Readable and writable handles are distinct types, so a function that only reads
// says so in its signature.
import Database from 'better-sqlite3';
import { runMigrations, type Migration } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

declare const readableBrand: unique symbol;
declare const writableBrand: unique symbol;
export type ReadableDB = Database.Database & { readonly [readableBrand]: true };
export type WritableDB = ReadableDB & { readonly [writableBrand]: true };

export interface OpenDatabaseOptions {
  migrations?: readonly Migration[];
  /** better-sqlite3's addon built for another ABI (Electron's); default: the one in node_modules. */
  nativeBinding?: string;
}

function applyPragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/** Opens (creating if needed) and migrates the database for writing. */
export function openWritableDatabase(path: string, options: OpenDatabaseOptions = {}): WritableDB {
  const db = new Database(path, options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding });
  try {
    applyPragmas(db);
    runMigrations(db, options.migrations ?? MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  return db as WritableDB;
}
