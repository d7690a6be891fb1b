import type { HubMigration } from '../migrate.js';

// One-time enrolment tokens (only their SHA-256 is kept), the kiosk's X25519 sealing key (epoch
// keys are sealed to it) and key rotation. A device keeps its id when it rotates its key.
export const hubMigration0020Enrolment: HubMigration = {
  version: 20,
  name: 'enrolment',
  up(db) {
    db.exec(`
      CREATE TABLE enrolment_tokens (
        token_sha256 BLOB PRIMARY KEY,
        label TEXT,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        device_id TEXT
      ) STRICT;

      ALTER TABLE devices ADD COLUMN sealing_public_key BLOB;
      ALTER TABLE devices ADD COLUMN key_rotated_at INTEGER;
      ALTER TABLE devices ADD COLUMN revoked_reason TEXT;
    `);
  },
};
