// Device settings as JSON values under fixed keys.
import type { ReadableDB, WritableDB } from '../database.js';

export type SettingKey = 'venue_name' | 'mode' | 'default_locale' | 'verdict_hold_ms' | 'console_pin';

export function getSetting(db: ReadableDB, key: SettingKey): unknown {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
}

export function setSettingIfMissing(db: WritableDB, key: SettingKey, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(
    key,
    JSON.stringify(value),
  );
}

export function setSetting(db: WritableDB, key: SettingKey, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(value),
  );
}
