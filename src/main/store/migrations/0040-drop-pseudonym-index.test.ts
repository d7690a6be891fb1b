import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../migrate.js';
import { migration0010Checkins } from './0010-checkins.js';
import { migration0020SettingsIssuerKeys } from './0020-settings-issuer-keys.js';
import { migration0030SealedCheckinLog } from './0030-sealed-checkin-log.js';
import { migration0040DropPseudonymIndex } from './0040-drop-pseudonym-index.js';

describe('migration 0040-drop-pseudonym-index', () => {
  it('drops the index, keeps the rows, and duplicate lookups go through the time index', () => {
    const db = new Database(':memory:');
    runMigrations(db, [migration0010Checkins, migration0020SettingsIssuerKeys, migration0030SealedCheckinLog]);
    db.prepare(
      `INSERT INTO checkins (id, at, outcome, readable, reason_codes, credential_kind, source, venue, pseudonym)
       VALUES ('01J0000000000000000000000A', 1000, 'admit', 1, '[]', 'pc1', 'paste', 'V', x'00112233')`,
    ).run();
    runMigrations(db, [migration0010Checkins, migration0020SettingsIssuerKeys, migration0030SealedCheckinLog, migration0040DropPseudonymIndex]);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'checkins'").pluck().all();
    expect(indexes).not.toContain('checkins_pseudonym');
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM checkins WHERE pseudonym = ? AND at >= ? AND kind = 'verdict'")
      .all(Buffer.from('00112233', 'hex'), 500) as { detail: string }[];
    expect(plan.map((step) => step.detail).join(' ')).toMatch(/checkins_at/);
    expect(db.prepare('SELECT count(*) FROM checkins WHERE pseudonym = ?').pluck().get(Buffer.from('00112233', 'hex'))).toBe(1);
  });
});
