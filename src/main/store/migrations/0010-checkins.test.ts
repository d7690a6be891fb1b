import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../migrate.js';
import { migration0010Checkins } from './0010-checkins.js';

describe('migration 0010-checkins', () => {
  const db = new Database(':memory:');
  runMigrations(db, [migration0010Checkins]);
  const insert = db.prepare(
    'INSERT INTO checkins (id, at, outcome, readable, reason_codes, credential_kind, source, venue) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );

  it('stores a check-in row', () => {
    insert.run('01J0000000000000000000000A', 1, 'admit', 1, '["status_green"]', 'pc1', 'keyboard-wedge', 'Venue');
    expect(db.prepare('SELECT outcome FROM checkins').pluck().all()).toEqual(['admit']);
  });

  it('refuses an outcome that is not admit, deny or review', () => {
    expect(() => insert.run('01J0000000000000000000000B', 1, 'maybe', 1, '[]', null, 'cli', 'Venue')).toThrow(/CHECK/);
  });

  it('refuses a second row with the same id', () => {
    expect(() => insert.run('01J0000000000000000000000A', 2, 'deny', 0, '[]', null, 'cli', 'Venue')).toThrow(/UNIQUE|PRIMARY/);
  });
});
