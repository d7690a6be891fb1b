// The hub's migration runner: numbered migrations (steps of 10), each in one transaction with
// its user_version bump; a database from a newer hub is refused untouched. (The kiosk has its
// own runner in src/main/store; the hub may not import it.)
import type Database from 'better-sqlite3';
import { HubStoreError } from './hub-store-error.js';

export interface HubMigration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export function hubSchemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function runHubMigrations(db: Database.Database, migrations: readonly HubMigration[]): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const versions = new Set<number>();
  for (const migration of sorted) {
    if (versions.has(migration.version)) {
      throw new HubStoreError('migration_failed', `two hub migrations share version ${migration.version}`);
    }
    versions.add(migration.version);
  }
  const latest = sorted.at(-1)?.version ?? 0;
  const current = hubSchemaVersion(db);
  if (current > latest) {
    throw new HubStoreError(
      'database_from_future',
      `This hub data directory was written by a newer hub (schema ${current}, this version knows ${latest}). ` +
        'Run that version again or use another data directory; nothing was changed.',
    );
  }
  for (const migration of sorted) {
    if (migration.version <= current) continue;
    try {
      db.transaction(() => {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (error) {
      throw new HubStoreError(
        'migration_failed',
        `Upgrading the hub database to ${migration.version}-${migration.name} failed; it stays at schema ` +
          `${hubSchemaVersion(db)}. Cause: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return hubSchemaVersion(db);
}
