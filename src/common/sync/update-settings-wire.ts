// Fleet update settings: where a kiosk fetches its updates and when it may install them. The hub
// operator sets them once for the fleet (pccovid-hub updates), the hub hands them to each kiosk
// with its configuration (GET /v1/devices/config), and provisioning writes them to the kiosk's
// data directory as update.json, which the Electron shell reads (src/main/electron/update-settings.ts).
//
//   { "url": "https://updates.example.gov.vn/pccovid-kiosk/",      required: the generic update server
//     "nightWindow": { "start": "01:00", "end": "05:00" },         optional, local time
//     "minIdleMinutes": 20,                                        optional
//     "checkEveryHours": 6 }                                       optional
import { z } from 'zod';

/** "HH:MM" on a 24-hour clock → minutes after midnight, or null. */
export function parseClockTime(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (match === null) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

const clockTime = z.string().refine((text) => parseClockTime(text) !== null, { message: 'a 24-hour time such as "01:30"' });

/** The file in the kiosk's data directory: written by provisioning, read by the Electron shell's updater. */
export const UPDATE_SETTINGS_FILE = 'update.json';

export const updateSettingsFileSchema = z
  .object({
    url: z.string().min(1).max(2000),
    nightWindow: z.object({ start: clockTime, end: clockTime }).strict().optional(),
    minIdleMinutes: z.number().int().min(1).max(24 * 60).optional(),
    checkEveryHours: z.number().min(1).max(7 * 24).optional(),
  })
  .strict();
export type UpdateSettingsFile = z.infer<typeof updateSettingsFileSchema>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The parts of a parsed URL the check needs; callers parse with WHATWG URL (src/common has no URL type). */
export interface ParsedUrl {
  protocol: string;
  hostname: string;
  host: string;
}
export type UrlParser = (text: string) => ParsedUrl | null;

/**
 * The installers are only as trustworthy as the channel they come over: electron-updater checks
 * each download against the hash in latest*.yml fetched from the same server. Hence HTTPS, or
 * plain HTTP to this machine only (a lab server). Returns what is wrong, or null.
 */
export function updateServerUrlProblem(text: string, parseUrl: UrlParser): string | null {
  const url = parseUrl(text);
  if (url === null) return `"url" is not a URL: ${JSON.stringify(text.slice(0, 200))}`;
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return `"url" must be an https:// address (plain http only to 127.0.0.1 or localhost), not ${url.protocol}//${url.host}`;
}

/** What is wrong with settings that parse (a bad server address, a night window of no length), or null. */
export function updateSettingsProblem(file: UpdateSettingsFile, parseUrl: UrlParser): string | null {
  const urlProblem = updateServerUrlProblem(file.url, parseUrl);
  if (urlProblem !== null) return urlProblem;
  if (file.nightWindow !== undefined && file.nightWindow.start === file.nightWindow.end) {
    return 'nightWindow starts and ends at the same time, so no update would ever be installed';
  }
  return null;
}
