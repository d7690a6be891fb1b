import type { Migration } from '../migrate.js';

// The pseudonym index cost one more page in every check-in's commit, the hottest write of the
// kiosk. Duplicate checks look back minutes, which the index on `at` already narrows to a few
// rows; the pseudonym is then compared on those rows.
export const migration0040DropPseudonymIndex: Migration = {
  version: 40,
  name: 'drop-pseudonym-index',
  up(db) {
    db.exec('DROP INDEX IF EXISTS checkins_pseudonym');
  },
};
