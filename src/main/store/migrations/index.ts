// Every migration, in order. A shipped migration is never edited: add the next one (step 10).
import type { Migration } from '../migrate.js';
import { migration0010Checkins } from './0010-checkins.js';
import { migration0020SettingsIssuerKeys } from './0020-settings-issuer-keys.js';
import { migration0030SealedCheckinLog } from './0030-sealed-checkin-log.js';
import { migration0040DropPseudonymIndex } from './0040-drop-pseudonym-index.js';
import { migration0050OverrideOnce } from './0050-override-once.js';

export const MIGRATIONS: readonly Migration[] = [
  migration0010Checkins,
  migration0020SettingsIssuerKeys,
  migration0030SealedCheckinLog,
  migration0040DropPseudonymIndex,
  migration0050OverrideOnce,
];
