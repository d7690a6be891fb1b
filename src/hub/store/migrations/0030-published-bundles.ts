import type { HubMigration } from '../migrate.js';

// Bundles the hub hands to devices: signed by the publisher (pccovid-hub publish), kept as files
// under <data-dir>/bundles/<hash>.bundle, indexed here. Epoch-key bundles name their device.
export const hubMigration0030PublishedBundles: HubMigration = {
  version: 30,
  name: 'published-bundles',
  up(db) {
    db.exec(`
      CREATE TABLE published_bundles (
        hash TEXT PRIMARY KEY,           -- bundle hash, hex
        type TEXT NOT NULL,
        stream TEXT NOT NULL,            -- key-list, signer-list, policy, status, alias-map, epoch-key
        sequence INTEGER NOT NULL,
        epoch INTEGER,
        device_kid TEXT,                 -- epoch-key bundles: the device's sealing key id, hex
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        size INTEGER NOT NULL,
        published_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX published_bundles_stream ON published_bundles (stream, device_kid, sequence);
    `);
  },
};
