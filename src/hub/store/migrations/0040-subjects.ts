import type { HubMigration } from '../migrate.js';

// The hub's own records: venues and lanes, unified subjects with their current status, every
// status event recorded (who, when), and how far the published status stream has got.
export const hubMigration0040Subjects: HubMigration = {
  version: 40,
  name: 'subjects',
  up(db) {
    db.exec(`
      CREATE TABLE venues (
        venue_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('venue', 'lane')),
        parent_id TEXT REFERENCES venues (venue_id),
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE subjects (
        subject_id TEXT PRIMARY KEY,     -- canonical id (VN-ID:..., DOC:..., ...)
        name TEXT,
        date_of_birth TEXT,
        status TEXT NOT NULL,
        doses INTEGER NOT NULL,
        last_dose_date TEXT,
        last_negative_test_at INTEGER,
        recovery_date TEXT,
        valid_until INTEGER NOT NULL,
        change_seq INTEGER NOT NULL      -- status_events.seq of the last change
      ) STRICT;
      CREATE INDEX subjects_change_seq ON subjects (change_seq);

      CREATE TABLE status_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        subject_id TEXT NOT NULL,
        event TEXT NOT NULL,
        event_date TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        operator TEXT
      ) STRICT;

      CREATE TABLE status_publication (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_event_seq INTEGER NOT NULL,
        published_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
