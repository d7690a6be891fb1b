// Text fields shared by the identity-only formats (CCCD QR, the earlier apps' codes, MRZ):
// names, calendar dates and the bounds every field is held to. Pure: no Node, no clock of its
// own (callers pass "now" in).

/** A person's name as the documents print it: letters, marks, spaces, apostrophes, dots, hyphens. */
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u;
const CONTROL = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\u2028\u2029]/u;
export const MAX_NAME_LENGTH = 100;

/** True when the text holds control, format, private-use, unassigned or lone surrogate characters. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * Normalises a person's name: Unicode NFC (decomposed Vietnamese input becomes the composed
 * form every other credential uses), runs of spaces collapsed. Null when it is not a name.
 */
export function normaliseName(raw: string): string | null {
  if (hasControlCharacters(raw)) return null;
  const name = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return null;
  return NAME.test(name) ? name : null;
}

/** Free text such as an address: NFC, trimmed, no control characters, bounded. */
export function normaliseText(raw: string, maxLength: number): string | null {
  if (hasControlCharacters(raw)) return null;
  const text = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  return text.length > maxLength ? null : text;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** ISO "YYYY-MM-DD" for a calendar date, or null when the day does not exist. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** "DDMMYYYY" (the CCCD QR's dates) to ISO, or null. */
export function parseDdMmYyyy(text: string): string | null {
  if (!/^\d{8}$/.test(text)) return null;
  return isoDate(Number(text.slice(4, 8)), Number(text.slice(2, 4)), Number(text.slice(0, 2)));
}

/** "YYYYMMDD" to ISO, or null. */
export function parseYyyyMmDd(text: string): string | null {
  if (!/^\d{8}$/.test(text)) return null;
  return isoDate(Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8)));
}

/** Milliseconds at 00:00 UTC of an ISO date (or of its first day for "YYYY" / "YYYY-MM"). */
export function isoDateToMs(iso: string): number {
  const [year = '0', month = '1', day = '1'] = iso.split('-');
  return Date.UTC(Number(year), Number(month) - 1, Number(day));
}

/** ISO date of a wall-clock instant (UTC). */
export function msToIsoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export const DAY_MS = 86_400_000;

/**
 * A date of birth is plausible when it is not after today (a day of slack for time zones:
 * Vietnam is UTC+7) and not more than 150 years ago.
 */
export function isPlausibleBirthDate(iso: string, nowMs: number): boolean {
  const ms = isoDateToMs(iso);
  const year = new Date(nowMs).getUTCFullYear();
  return ms <= nowMs + DAY_MS && Number(iso.slice(0, 4)) >= year - 150;
}
