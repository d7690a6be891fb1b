import type { HubMigration } from '../migrate.js';

// The root public key an enrolment token was issued under: the hub hands it to the kiosk with its
// enrolment answer, and the kiosk checks it against the fingerprint its ticket carries.
export const hubMigration0070EnrolmentRootKey: HubMigration = {
  version: 70,
  name: 'enrolment-root-key',
  up(db) {
    db.exec('ALTER TABLE enrolment_tokens ADD COLUMN root_public_key BLOB;');
  },
};
