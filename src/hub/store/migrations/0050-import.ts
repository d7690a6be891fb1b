import type { HubMigration } from '../migrate.js';

// The earlier apps' records: every old id an alias of one unified subject, phone numbers as a
// matching key, and the conflicts an import found (reported, never merged). Unique keys make a
// re-import of the same file change nothing.
export const hubMigration0050Import: HubMigration = {
  version: 50,
  name: 'import',
  up(db) {
    db.exec(`
      CREATE TABLE subject_aliases (
        alias TEXT PRIMARY KEY,          -- APP:<app>:<id>, or DOC:... when the subject is a VN-ID
        subject_id TEXT NOT NULL,
        app TEXT NOT NULL,
        imported_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX subject_aliases_subject ON subject_aliases (subject_id);

      CREATE TABLE subject_phones (
        phone TEXT PRIMARY KEY,          -- E.164 digits, "84..."
        subject_id TEXT NOT NULL
      ) STRICT;

      CREATE TABLE import_conflicts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        app TEXT NOT NULL,
        record_id TEXT NOT NULL,         -- the old app's id
        subject_id TEXT NOT NULL,
        field TEXT NOT NULL,             -- name or date_of_birth
        on_file TEXT,
        in_import TEXT,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        found_at INTEGER NOT NULL,
        UNIQUE (app, record_id, field)
      ) STRICT;
    `);
  },
};
