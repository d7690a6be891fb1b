// The fleet update settings, written by provisioning into the data directory as update.json from
// what the hub sends (format: src/common/sync/update-settings-wire.ts).
//
// No file means "not provisioned for updates": the kiosk runs as installed. A file that cannot be
// used is reported with what to fix, and updates stay off until it is fixed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeSchemaIssues } from '../../common/types/schema-issues.js';
import { parseClockTime, UPDATE_SETTINGS_FILE, updateSettingsFileSchema, updateSettingsProblem } from '../../common/sync/update-settings-wire.js';
import { DEFAULT_MIN_IDLE_MS, DEFAULT_NIGHT_WINDOW, type InstallPolicy } from './update-schedule.js';

export { UPDATE_SETTINGS_FILE };
const HOUR_MS = 3_600_000;
export const DEFAULT_CHECK_INTERVAL_MS = 6 * HOUR_MS;

export interface UpdateSettings {
  /** Base URL of the generic update server (latest.yml / latest-linux.yml and the installers). */
  url: string;
  policy: InstallPolicy;
  checkIntervalMs: number;
}

export type UpdateSettingsResult =
  | { kind: 'ok'; settings: UpdateSettings }
  | { kind: 'not-provisioned'; path: string }
  | { kind: 'invalid'; path: string; message: string };

export function parseUpdateSettings(text: string, path: string): UpdateSettingsResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', path, message: `${path} is not JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
  const parsed = updateSettingsFileSchema.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', path, message: `${path}: ${describeSchemaIssues(parsed.error.issues, 'the file', 5)}.` };
  const file = parsed.data;
  const problem = updateSettingsProblem(file, (text) => (URL.canParse(text) ? new URL(text) : null));
  if (problem !== null) return { kind: 'invalid', path, message: `${path}: ${problem}.` };
  const window =
    file.nightWindow === undefined
      ? DEFAULT_NIGHT_WINDOW
      : { startMinute: parseClockTime(file.nightWindow.start) ?? 0, endMinute: parseClockTime(file.nightWindow.end) ?? 0 };
  return {
    kind: 'ok',
    settings: {
      url: file.url,
      policy: { window, minIdleMs: file.minIdleMinutes === undefined ? DEFAULT_MIN_IDLE_MS : file.minIdleMinutes * 60_000 },
      checkIntervalMs: file.checkEveryHours === undefined ? DEFAULT_CHECK_INTERVAL_MS : file.checkEveryHours * HOUR_MS,
    },
  };
}

export function readUpdateSettings(dataDir: string): UpdateSettingsResult {
  const path = join(dataDir, UPDATE_SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return { kind: 'not-provisioned', path };
    return { kind: 'invalid', path, message: `${path} cannot be read (${error instanceof Error ? error.message : String(error)}).` };
  }
  return parseUpdateSettings(text, path);
}
