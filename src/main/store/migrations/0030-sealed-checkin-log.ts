import type { Migration } from '../migrate.js';

// The sealed check-in log and its outbox (issue 6). Rows logged before this version keep no
// subject at all (there was none to seal); they are uploaded like the others.
export const migration0030SealedCheckinLog: Migration = {
  version: 30,
  name: 'sealed-checkin-log',
  up(db) {
    db.exec(`
      ALTER TABLE checkins ADD COLUMN kind TEXT NOT NULL DEFAULT 'verdict' CHECK (kind IN ('verdict', 'override'));
      ALTER TABLE checkins ADD COLUMN device TEXT NOT NULL DEFAULT '';
      ALTER TABLE checkins ADD COLUMN lane TEXT;
      ALTER TABLE checkins ADD COLUMN monotonic_ms REAL;     -- ms since boot_id's boot
      ALTER TABLE checkins ADD COLUMN boot_id TEXT;
      ALTER TABLE checkins ADD COLUMN sealed_subject BLOB;   -- HPKE enc || ciphertext, AAD = id
      ALTER TABLE checkins ADD COLUMN seal_key_id TEXT;      -- which authority key it is sealed to
      ALTER TABLE checkins ADD COLUMN pseudonym BLOB;        -- HMAC(day key, subject): local duplicates only
      ALTER TABLE checkins ADD COLUMN overrides TEXT;        -- override rows: the verdict row overridden
      ALTER TABLE checkins ADD COLUMN override_reason TEXT;
      ALTER TABLE checkins ADD COLUMN uploaded_at INTEGER;   -- the hub acknowledged it (stored or duplicate)
      ALTER TABLE checkins ADD COLUMN parked_at INTEGER;     -- the hub refused it: kept, never resent
      ALTER TABLE checkins ADD COLUMN park_reason TEXT;

      -- The outbox is the set of rows neither uploaded nor parked, oldest first.
      CREATE INDEX checkins_outbox ON checkins (id) WHERE uploaded_at IS NULL AND parked_at IS NULL;
      CREATE INDEX checkins_parked ON checkins (id) WHERE parked_at IS NOT NULL;
      CREATE INDEX checkins_pseudonym ON checkins (pseudonym, at) WHERE pseudonym IS NOT NULL;

      -- Keys of the duplicate-detection pseudonym, one per UTC day; old days' keys are deleted,
      -- so old pseudonyms can no longer be linked to anyone, even with the disk in hand.
      CREATE TABLE pseudonym_keys (
        day INTEGER PRIMARY KEY,       -- days since the epoch (UTC)
        key BLOB NOT NULL
      ) STRICT;

      -- What the sync client last saw (shown to staff): last success, last error.
      CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL            -- JSON
      ) STRICT;
    `);
  },
};
