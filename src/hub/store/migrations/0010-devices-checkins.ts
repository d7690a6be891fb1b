import type { HubMigration } from '../migrate.js';

// Devices known by their public key, the nonces of their recent requests (replay protection),
// and check-ins stored exactly once by their nonce.
export const hubMigration0010DevicesCheckins: HubMigration = {
  version: 10,
  name: 'devices-checkins',
  up(db) {
    db.exec(`
      CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,      -- "dev-" + hex of the first 16 bytes of SHA-256(public key)
        public_key BLOB NOT NULL UNIQUE, -- raw Ed25519, 32 bytes
        label TEXT,
        added_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;

      CREATE TABLE request_nonces (
        device_id TEXT NOT NULL,
        nonce TEXT NOT NULL,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (device_id, nonce)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX request_nonces_seen ON request_nonces (seen_at);

      CREATE TABLE checkin_batches (
        device_id TEXT NOT NULL,
        batch_id TEXT NOT NULL,
        first_seen_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        deliveries INTEGER NOT NULL,     -- how many times the device sent it (retries)
        records INTEGER NOT NULL,
        PRIMARY KEY (device_id, batch_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE checkins (
        nonce TEXT PRIMARY KEY,          -- the kiosk's ULID: one row per check-in, ever
        device_id TEXT NOT NULL,
        batch_id TEXT NOT NULL,          -- the delivery that stored it
        received_at INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('verdict', 'override')),
        venue TEXT NOT NULL,
        lane TEXT,
        at INTEGER NOT NULL,
        monotonic_ms REAL,
        boot_id TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('admit', 'deny', 'review')),
        readable INTEGER NOT NULL,
        reason_codes TEXT NOT NULL,      -- JSON array
        credential_kind TEXT,
        source TEXT NOT NULL,
        seal_suite TEXT,
        seal_key_id TEXT,
        sealed_subject BLOB,             -- opened only by the health authority's tracing tool
        overrides TEXT,
        override_reason TEXT
      ) STRICT;
      CREATE INDEX checkins_device_at ON checkins (device_id, at);
    `);
  },
};
