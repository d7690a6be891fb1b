// The fleet's update settings, from the hub's device configuration to <data dir>/update.json (the
// file the Electron shell's updater reads: src/main/electron/update-settings.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UPDATE_SETTINGS_FILE, type UpdateSettingsFile } from '../../common/sync/update-settings-wire.js';
import { writeFileDurably } from '../bundles/durable-file.js';

export type UpdateFileChange = 'written' | 'removed' | 'unchanged';

/**
 * Makes update.json say what the hub says: the settings (written atomically when they differ),
 * or no file when the hub sends null (updates off). `undefined` (a hub older than the field)
 * leaves the file alone.
 */
export function applyFleetUpdates(dataDir: string, updates: UpdateSettingsFile | null | undefined): UpdateFileChange {
  if (updates === undefined) return 'unchanged';
  const path = join(dataDir, UPDATE_SETTINGS_FILE);
  if (updates === null) {
    if (!existsSync(path)) return 'unchanged';
    rmSync(path, { force: true });
    return 'removed';
  }
  const text = `${JSON.stringify(updates, null, 2)}\n`;
  let current: string | null = null;
  try {
    current = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (current === text) return 'unchanged';
  writeFileDurably(path, [Buffer.from(text, 'utf8')]);
  return 'written';
}
