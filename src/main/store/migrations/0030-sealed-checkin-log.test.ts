import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../migrate.js';
import { migration0010Checkins } from './0010-checkins.js';
import { migration0020SettingsIssuerKeys } from './0020-settings-issuer-keys.js';
import { migration0030SealedCheckinLog } from './0030-sealed-checkin-log.js';

describe('migration 0030-sealed-checkin-log', () => {
  function databaseAt20WithRows(): Database.Database {
    const db = new Database(':memory:');
    runMigrations(db, [migration0010Checkins, migration0020SettingsIssuerKeys]);
    db.prepare(
      'INSERT INTO checkins (id, at, outcome, readable, reason_codes, credential_kind, source, venue) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run('01J0000000000000000000000A', 1000, 'admit', 1, '["status_green"]', 'pc1', 'keyboard-wedge', 'Venue');
    return db;
  }

  it('keeps earlier rows as verdicts waiting for upload, with no subject', () => {
    const db = databaseAt20WithRows();
    runMigrations(db, [migration0010Checkins, migration0020SettingsIssuerKeys, migration0030SealedCheckinLog]);
    expect(db.prepare('SELECT * FROM checkins').get()).toMatchObject({
      id: '01J0000000000000000000000A',
      kind: 'verdict',
      device: '',
      sealed_subject: null,
      pseudonym: null,
      uploaded_at: null,
      parked_at: null,
    });
    const pending = db
      .prepare('SELECT id FROM checkins INDEXED BY checkins_outbox WHERE uploaded_at IS NULL AND parked_at IS NULL')
      .pluck()
      .all();
    expect(pending).toEqual(['01J0000000000000000000000A']);
  });

  it('accepts override rows and refuses unknown row kinds', () => {
    const db = databaseAt20WithRows();
    runMigrations(db, [migration0010Checkins, migration0020SettingsIssuerKeys, migration0030SealedCheckinLog]);
    const insert = db.prepare(
      `INSERT INTO checkins (id, at, outcome, readable, reason_codes, credential_kind, source, venue, kind, overrides, override_reason)
       VALUES (?, 2000, 'admit', 1, '[]', NULL, 'staff', 'Venue', ?, ?, ?)`,
    );
    insert.run('01J0000000000000000000000B', 'override', '01J0000000000000000000000A', 'medical exemption seen');
    expect(() => insert.run('01J0000000000000000000000C', 'guess', null, null)).toThrow(/CHECK/);
  });

  it('creates the pseudonym key and sync state tables', () => {
    const db = databaseAt20WithRows();
    runMigrations(db, [migration0010Checkins, migration0020SettingsIssuerKeys, migration0030SealedCheckinLog]);
    db.prepare('INSERT INTO pseudonym_keys (day, key) VALUES (?, ?)').run(19000, Buffer.alloc(32));
    expect(() => db.prepare('INSERT INTO pseudonym_keys (day, key) VALUES (?, ?)').run(19000, Buffer.alloc(32))).toThrow(/UNIQUE|PRIMARY/);
    db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?)').run('last_success_at', '1');
    expect(db.pragma('user_version', { simple: true })).toBe(30);
  });
});
