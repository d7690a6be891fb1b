import type { Migration } from '../migrate.js';

// A verdict is overridden at most once (the rules issue): the database refuses a second override
// row for the same verdict, whatever the code above it does, and the kiosk finds a verdict's
// override through this index instead of scanning the log.
export const migration0050OverrideOnce: Migration = {
  version: 50,
  name: 'override-once',
  up(db) {
    db.exec(`
      CREATE UNIQUE INDEX checkins_override_once ON checkins (overrides) WHERE kind = 'override';
    `);
  },
};
