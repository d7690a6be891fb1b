import type { HubMigration } from '../migrate.js';

// Operators allowed to read check-ins (by their Ed25519 public key) and the audit of every read:
// who, when, why, what was asked and how many rows were returned.
export const hubMigration0060CheckinAudit: HubMigration = {
  version: 60,
  name: 'checkin-audit',
  up(db) {
    db.exec(`
      CREATE TABLE operators (
        operator_id TEXT PRIMARY KEY,    -- "op-" + hex of the first 8 bytes of SHA-256(public key)
        name TEXT NOT NULL,
        public_key BLOB NOT NULL UNIQUE,
        added_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;

      CREATE TABLE checkin_reads (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        operator_id TEXT NOT NULL REFERENCES operators (operator_id),
        read_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        query TEXT NOT NULL,             -- JSON: device, venue, from, to
        rows_returned INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
