import type { Migration } from '../migrate.js';

// One row per verdict. No personal data: the sealed subject comes with the check-in log issue.
export const migration0010Checkins: Migration = {
  version: 10,
  name: 'checkins',
  up(db) {
    db.exec(`
      CREATE TABLE checkins (
        id TEXT PRIMARY KEY,           -- ULID: unique, sortable by time
        at INTEGER NOT NULL,           -- wall clock, ms since the epoch
        outcome TEXT NOT NULL CHECK (outcome IN ('admit', 'deny', 'review')),
        readable INTEGER NOT NULL CHECK (readable IN (0, 1)),
        reason_codes TEXT NOT NULL,    -- JSON array of reason codes
        credential_kind TEXT,
        source TEXT NOT NULL,
        venue TEXT NOT NULL
      ) STRICT;
      CREATE INDEX checkins_at ON checkins (at);
    `);
  },
};
