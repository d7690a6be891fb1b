import type { Migration } from '../migrate.js';

export const migration0020SettingsIssuerKeys: Migration = {
  version: 20,
  name: 'settings-issuer-keys',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL            -- JSON
      ) STRICT;
      CREATE TABLE issuer_keys (
        kid TEXT NOT NULL,             -- hex; several keys may share a kid
        issuer TEXT NOT NULL,
        alg TEXT NOT NULL CHECK (alg IN ('EdDSA', 'ES256', 'PS256')),
        public_key BLOB NOT NULL,      -- SubjectPublicKeyInfo, DER
        origin TEXT NOT NULL CHECK (origin IN ('demo', 'bundle')),
        added_at INTEGER NOT NULL,
        PRIMARY KEY (kid, public_key)
      ) STRICT;
    `);
  },
};
