// The fleet's update settings (pccovid-hub updates): stored once on the hub, sent to every kiosk
// with its configuration, written there by provisioning as update.json.
import { describeSchemaIssues } from '../../common/types/schema-issues.js';
import {
  updateSettingsFileSchema,
  updateSettingsProblem,
  type UpdateSettingsFile,
} from '../../common/sync/update-settings-wire.js';
import type { HubReadableDB, HubWritableDB } from '../store/hub-database.js';
import { cachedStatement } from '../store/statement-cache.js';

const KEY = 'updates';

export class FleetUpdatesError extends Error {
  override name = 'FleetUpdatesError';
}

/** The settings every kiosk gets, or null when the operator set none (updates off). */
export function readFleetUpdates(db: HubReadableDB): UpdateSettingsFile | null {
  const value = cachedStatement(db, 'SELECT value FROM fleet_settings WHERE key = ?').pluck().get(KEY) as string | undefined;
  if (value === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    json = undefined;
  }
  const parsed = updateSettingsFileSchema.safeParse(json);
  // Written only through writeFleetUpdates, which checks: a row that does not parse is damage.
  if (!parsed.success) throw new FleetUpdatesError(`the stored update settings are damaged (${parsed.error.issues[0]?.message ?? 'unreadable'}); set them again with pccovid-hub updates`);
  return parsed.data;
}

/** Sets (or, with null, clears) the fleet's update settings; refuses what a kiosk could not use. */
export function writeFleetUpdates(db: HubWritableDB, settings: UpdateSettingsFile | null, nowMs: number): void {
  if (settings === null) {
    cachedStatement(db, 'DELETE FROM fleet_settings WHERE key = ?').run(KEY);
    return;
  }
  const parsed = updateSettingsFileSchema.safeParse(settings);
  if (!parsed.success) throw new FleetUpdatesError(`update settings: ${describeSchemaIssues(parsed.error.issues, 'the settings', parsed.error.issues.length)}`);
  const problem = updateSettingsProblem(parsed.data, (text) => (URL.canParse(text) ? new URL(text) : null));
  if (problem !== null) throw new FleetUpdatesError(`update settings: ${problem}`);
  cachedStatement(
    db,
    'INSERT INTO fleet_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(KEY, JSON.stringify(parsed.data), nowMs);
}
