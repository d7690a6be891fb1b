// The one migration runner: numbered migrations (steps of 10), each in its own transaction
// together with the user_version bump, so a crash leaves the database at a whole version.
import type Database from 'better-sqlite3';
import { StoreError } from './store-error.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function runMigrations(db: Database.Database, migrations: readonly Migration[]): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous !== undefined && current !== undefined && previous.version === current.version) {
      throw new StoreError('migration_failed', `two migrations share version ${current.version}`);
    }
  }
  const latest = sorted.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new StoreError(
      'database_from_future',
      `This data directory was written by a newer version of the kiosk (schema ${current}, ` +
        `this version knows ${latest}). Install that version again or use another data directory; ` +
        'nothing was changed.',
    );
  }
  for (const migration of sorted) {
    if (migration.version <= current) continue;
    const apply = db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply();
    } catch (error) {
      throw new StoreError(
        'migration_failed',
        `Upgrading the database to ${migration.version}-${migration.name} failed; it stays at ` +
          `schema ${schemaVersion(db)} and nothing was lost. Cause: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return schemaVersion(db);
}
