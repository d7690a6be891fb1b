// Every hub migration, in order. A shipped migration is never edited: add the next one (step 10).
import type { HubMigration } from '../migrate.js';
import { hubMigration0010DevicesCheckins } from './0010-devices-checkins.js';
import { hubMigration0020Enrolment } from './0020-enrolment.js';
import { hubMigration0030PublishedBundles } from './0030-published-bundles.js';
import { hubMigration0040Subjects } from './0040-subjects.js';
import { hubMigration0050Import } from './0050-import.js';
import { hubMigration0060CheckinAudit } from './0060-checkin-audit.js';
import { hubMigration0070EnrolmentRootKey } from './0070-enrolment-root-key.js';
import { hubMigration0080DeviceAssignment } from './0080-device-assignment.js';
import { hubMigration0090FleetSettings } from './0090-fleet-settings.js';

export const HUB_MIGRATIONS: readonly HubMigration[] = [hubMigration0010DevicesCheckins, hubMigration0020Enrolment, hubMigration0030PublishedBundles, hubMigration0040Subjects, hubMigration0050Import, hubMigration0060CheckinAudit, hubMigration0070EnrolmentRootKey, hubMigration0080DeviceAssignment, hubMigration0090FleetSettings];
