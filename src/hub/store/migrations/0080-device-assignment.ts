import type { HubMigration } from '../migrate.js';

// Where a kiosk stands: the operator names the venue (or the lane of a border post) and the mode
// when issuing the enrolment token; the device row takes them over when the token is redeemed,
// and the kiosk reads them back (GET /v1/devices/config) while it is provisioned.
export const hubMigration0080DeviceAssignment: HubMigration = {
  version: 80,
  name: 'device-assignment',
  up(db) {
    db.exec(`
      ALTER TABLE enrolment_tokens ADD COLUMN venue_id TEXT REFERENCES venues (venue_id);
      ALTER TABLE enrolment_tokens ADD COLUMN mode TEXT CHECK (mode IN ('venue', 'border'));
      ALTER TABLE devices ADD COLUMN venue_id TEXT REFERENCES venues (venue_id);
      ALTER TABLE devices ADD COLUMN mode TEXT CHECK (mode IN ('venue', 'border'));
    `);
  },
};
