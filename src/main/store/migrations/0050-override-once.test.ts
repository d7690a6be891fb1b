import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../migrate.js';
import { MIGRATIONS } from './index.js';

const UP_TO_30 = MIGRATIONS.filter((m) => m.version <= 30);
const UP_TO_50 = MIGRATIONS.filter((m) => m.version <= 50);

describe('migration 0050-override-once', () => {
  function databaseAt30(): Database.Database {
    const db = new Database(':memory:');
    runMigrations(db, UP_TO_30);
    db.prepare(
      `INSERT INTO checkins (id, at, outcome, readable, reason_codes, credential_kind, source, venue)
       VALUES ('01J0000000000000000000000A', 1000, 'review', 1, '["status_yellow"]', 'pc1', 'keyboard-wedge', 'Venue')`,
    ).run();
    return db;
  }

  const insertOverride = (db: Database.Database, id: string, overrides: string): void => {
    db.prepare(
      `INSERT INTO checkins (id, at, outcome, readable, reason_codes, credential_kind, source, venue, kind, overrides, override_reason)
       VALUES (?, 2000, 'admit', 1, '[]', NULL, 'staff', 'Venue', 'override', ?, 'vaccination card seen')`,
    ).run(id, overrides);
  };

  it('keeps the rows logged before it and refuses a second override of one verdict', () => {
    const db = databaseAt30();
    insertOverride(db, '01J0000000000000000000000B', '01J0000000000000000000000A');
    runMigrations(db, UP_TO_50);
    expect(db.prepare('SELECT count(*) FROM checkins').pluck().get()).toBe(2);
    expect(() => insertOverride(db, '01J0000000000000000000000C', '01J0000000000000000000000A')).toThrow(/UNIQUE/);
    expect(db.pragma('user_version', { simple: true })).toBe(50);
  });

  it('leaves verdict rows free of the constraint (their overrides column is empty)', () => {
    const db = databaseAt30();
    runMigrations(db, UP_TO_50);
    const verdict = db.prepare(
      `INSERT INTO checkins (id, at, outcome, readable, reason_codes, credential_kind, source, venue) VALUES (?, 3000, 'admit', 1, '[]', 'pc1', 'paste', 'Venue')`,
    );
    verdict.run('01J0000000000000000000000D');
    verdict.run('01J0000000000000000000000E');
    expect(db.prepare("SELECT count(*) FROM checkins WHERE kind = 'verdict'").pluck().get()).toBe(3);
  });
});
