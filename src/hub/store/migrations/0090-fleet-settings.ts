import type { HubMigration } from '../migrate.js';

// Settings the operator sets once for the whole fleet and every kiosk reads with its configuration
// (GET /v1/devices/config). The first: where kiosks fetch updates and when they may install them
// ('updates', src/common/sync/update-settings-wire.ts, as JSON).
export const hubMigration0090FleetSettings: HubMigration = {
  version: 90,
  name: 'fleet-settings',
  up(db) {
    db.exec(`
      CREATE TABLE fleet_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
