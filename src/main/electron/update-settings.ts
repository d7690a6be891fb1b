// The fleet update settings, written at provisioning into the data directory as update.json:
//
//   { "url": "https://updates.example.gov.vn/pccovid-kiosk/",      required: the generic update server
//     "nightWindow": { "start": "01:00", "end": "05:00" },         optional, local time
//     "minIdleMinutes": 20,                                        optional
//     "checkEveryHours": 6 }                                       optional
//
// No file means "not provisioned for updates": the kiosk runs as installed. A file that cannot be
// used is reported with what to fix, and updates stay off until it is fixed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MIN_IDLE_MS, DEFAULT_NIGHT_WINDOW, type InstallPolicy, parseClockTime } from './update-schedule.js';

export const UPDATE_SETTINGS_FILE = 'update.json';
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

const clockTime = z.string().refine((text) => parseClockTime(text) !== null, { message: 'a 24-hour time such as "01:30"' });

const fileSchema = z
  .object({
    url: z.string().min(1),
    nightWindow: z.object({ start: clockTime, end: clockTime }).strict().optional(),
    minIdleMinutes: z.number().int().min(1).max(24 * 60).optional(),
    checkEveryHours: z.number().min(1).max(7 * 24).optional(),
  })
  .strict();

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The installers are only as trustworthy as the channel they come over: electron-updater checks
 * each download against the hash in latest*.yml fetched from the same server. Hence HTTPS, or
 * plain HTTP to this machine only (a lab server).
 */
function checkServerUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"url" is not a URL: ${JSON.stringify(text.slice(0, 200))}`;
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return `"url" must be an https:// address (plain http only to 127.0.0.1 or localhost), not ${url.protocol}//${url.host}`;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'the file'}: ${issue.message}`)
    .join('; ');
}

export function parseUpdateSettings(text: string, path: string): UpdateSettingsResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', path, message: `${path} is not JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', path, message: `${path}: ${describeIssues(parsed.error)}.` };
  const file = parsed.data;
  const urlProblem = checkServerUrl(file.url);
  if (urlProblem !== null) return { kind: 'invalid', path, message: `${path}: ${urlProblem}.` };
  const window =
    file.nightWindow === undefined
      ? DEFAULT_NIGHT_WINDOW
      : { startMinute: parseClockTime(file.nightWindow.start) ?? 0, endMinute: parseClockTime(file.nightWindow.end) ?? 0 };
  if (window.startMinute === window.endMinute) {
    return { kind: 'invalid', path, message: `${path}: nightWindow starts and ends at the same time, so no update would ever be installed.` };
  }
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
