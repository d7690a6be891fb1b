import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openWritableDatabase } from './database.js';
import { runMigrations, schemaVersion, type Migration } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { StoreError } from './store-error.js';

function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'pccovid-store-')), 'kiosk.db');
}

describe('migration runner', () => {
  it('brings a new database to the latest schema, in WAL with full sync', () => {
    const db = openWritableDatabase(tempDbPath());
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    db.close();
  });

  it('numbers migrations in steps of 10 with no gaps or repeats', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => (i + 1) * 10));
  });

  it('is idempotent: reopening changes nothing', () => {
    const path = tempDbPath();
    openWritableDatabase(path).close();
    const db = openWritableDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
    db.close();
  });

  it('refuses a database from the future and leaves it untouched', () => {
    const path = tempDbPath();
    const raw = new Database(path);
    raw.pragma('user_version = 990');
    raw.exec('CREATE TABLE precious (x)');
    raw.close();
    expect(() => openWritableDatabase(path)).toThrow(StoreError);
    try {
      openWritableDatabase(path);
    } catch (error) {
      expect((error as StoreError).code).toBe('database_from_future');
      expect((error as StoreError).message).toMatch(/newer version.*nothing was changed/s);
    }
    const after = new Database(path);
    expect(schemaVersion(after)).toBe(990);
    after.close();
  });

  it('rolls a failing migration back whole, keeping earlier ones', () => {
    const db = new Database(':memory:');
    const migrations: Migration[] = [
      { version: 10, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x)') },
      {
        version: 20,
        name: 'fails-midway',
        up: (d) => {
          d.exec('CREATE TABLE b (x)');
          d.exec('THIS IS NOT SQL');
        },
      },
    ];
    expect(() => runMigrations(db, migrations)).toThrow(/20-fails-midway failed; it stays at schema 10/);
    expect(schemaVersion(db)).toBe(10);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['a']);
  });

  it('refuses two migrations with one version', () => {
    const db = new Database(':memory:');
    const twice: Migration = { version: 10, name: 'x', up: () => undefined };
    expect(() => runMigrations(db, [twice, twice])).toThrow(/share version 10/);
  });
});
