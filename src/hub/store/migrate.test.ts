import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HUB_DATABASE_FILE, openHubDataDir } from './hub-database.js';
import { HubStoreError } from './hub-store-error.js';
import { hubSchemaVersion, runHubMigrations, type HubMigration } from './migrate.js';
import { HUB_MIGRATIONS } from './migrations/index.js';

describe('hub migrations', () => {
  it('bring a new hub database to the latest schema, WAL with full sync, numbered in steps of 10', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pccovid-hubdb-')), 'hub');
    const db = openHubDataDir(dir);
    expect(hubSchemaVersion(db)).toBe(HUB_MIGRATIONS.at(-1)?.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(HUB_MIGRATIONS.map((m) => m.version)).toEqual(HUB_MIGRATIONS.map((_, i) => (i + 1) * 10));
    db.close();
  });

  it('refuse a database from a newer hub and leave it untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pccovid-hubdb-'));
    const raw = new Database(join(dir, HUB_DATABASE_FILE));
    raw.pragma('user_version = 990');
    raw.close();
    expect(() => openHubDataDir(dir)).toThrow(HubStoreError);
    const after = new Database(join(dir, HUB_DATABASE_FILE));
    expect(hubSchemaVersion(after)).toBe(990);
    after.close();
  });

  it('roll a failing migration back whole', () => {
    const db = new Database(':memory:');
    const migrations: HubMigration[] = [
      { version: 10, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x)') },
      { version: 20, name: 'bad', up: (d) => d.exec('CREATE TABLE b (x); NOT SQL') },
    ];
    expect(() => runHubMigrations(db, migrations)).toThrow(/20-bad failed; it stays at schema 10/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['a']);
  });

  it('store a check-in nonce once: the second insert is refused by the schema', () => {
    const db = new Database(':memory:');
    runHubMigrations(db, HUB_MIGRATIONS);
    const insert = db.prepare(
      `INSERT INTO checkins (nonce, device_id, batch_id, received_at, kind, venue, at, outcome, readable, reason_codes, source)
       VALUES ('01J0000000000000000000000A', 'dev-1', 'b', 1, 'verdict', 'V', 1, 'admit', 1, '[]', 'paste')`,
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE|PRIMARY/);
  });
});
