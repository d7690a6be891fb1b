// Date-times exactly as CertLogic 1.3.3 builds them (SPEC.md "Offset date-time (plusTime)" and
// "DCC Date of birth (dccDateOfBirth)"). The specification leaves invalid dates ("2021-09-99")
// undefined; here they are simply not date-times, so the operation fails instead of guessing.
import { CertLogicDateTime } from './values.js';

export const TIME_UNITS = ['year', 'month', 'day', 'hour'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export function isTimeUnit(value: unknown): value is TimeUnit {
  return typeof value === 'string' && (TIME_UNITS as readonly string[]).includes(value);
}

// YYYY, YYYY-MM, YYYY-MM-DD, and YYYY-MM-DDThh:mm:ss with optional fraction (any number of
// digits) and optional offset: Z, ±h, ±hh, ±hmm, ±hhmm, ±h:mm, ±hh:mm.
const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{1,2})(?::?(\d{2}))?)?)?)?)?$/;
const DATE_OF_BIRTH = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

const MILLIS_PER_MINUTE = 60_000;

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0); // day 0 of the next month: the last day of this one
  return date.getUTCDate();
}

function toNumber(digits: string | undefined, absent: number): number {
  return digits === undefined ? absent : Number(digits);
}

interface CalendarFields {
  year: number;
  month: number;
  day: number | undefined;
}

/**
 * The calendar part, with a partial date (YYYY or YYYY-MM) read as the last day it allows, as
 * dccDateOfBirth does; undefined when the month or day does not exist.
 */
function resolveDate({ year, month, day }: CalendarFields): { year: number; month: number; day: number } | undefined {
  if (month < 1 || month > 12) return undefined;
  const last = daysInMonth(year, month);
  if (day === undefined) return { year, month, day: last };
  if (day < 1 || day > last) return undefined;
  return { year, month, day };
}

function instant(
  date: { year: number; month: number; day: number },
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
  offsetMinutes: number,
): CertLogicDateTime | undefined {
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0-99 as 1900-1999.
  const value = new Date(0);
  value.setUTCFullYear(date.year, date.month - 1, date.day);
  value.setUTCHours(hour, minute, second, millisecond);
  return CertLogicDateTime.fromEpochMillis(value.getTime() - offsetMinutes * MILLIS_PER_MINUTE);
}

/**
 * Parses a date or date-time string in one of the formats CertLogic allows. A missing time is
 * 00:00:00.000, a missing offset is Z, decimals beyond the millisecond are cut off (rounding
 * down). Returns undefined for any other string, or for a date or time that does not exist.
 */
export function parseCertLogicDateTime(text: string): CertLogicDateTime | undefined {
  const match = DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zulu, sign, offsetHours, offsetMins] =
    match;
  if (yearText === undefined) return undefined;
  const date = resolveDate({
    year: Number(yearText),
    month: toNumber(monthText, 12),
    day: monthText === undefined ? 31 : dayText === undefined ? undefined : Number(dayText),
  });
  if (date === undefined) return undefined;
  const hour = toNumber(hourText, 0);
  const minute = toNumber(minuteText, 0);
  const second = toNumber(secondText, 0);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millisecond = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (zulu === undefined && sign !== undefined) {
    const hours = toNumber(offsetHours, 0);
    const minutes = toNumber(offsetMins, 0);
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  return instant(date, hour, minute, second, millisecond, offsetMinutes);
}

/**
 * dccDateOfBirth: a DCC date of birth (YYYY, YYYY-MM or YYYY-MM-DD) as the last instant-day it
 * allows, at 00:00:00.000Z ("the last date consistent with the provided data").
 */
export function dccDateOfBirth(text: string): CertLogicDateTime | undefined {
  const match = DATE_OF_BIRTH.exec(text);
  if (match === null) return undefined;
  const [, yearText, monthText, dayText] = match;
  if (yearText === undefined) return undefined;
  const date = resolveDate({
    year: Number(yearText),
    month: toNumber(monthText, 12),
    day: monthText === undefined ? 31 : dayText === undefined ? undefined : Number(dayText),
  });
  return date === undefined ? undefined : instant(date, 0, 0, 0, 0, 0);
}

/**
 * Adds `amount` units the way SPEC.md prescribes: `setUTC<unit>(getUTC<unit>() + amount)` on the
 * instant, so months and years overflow like ECMAScript dates (2020-02-29 + 1 year is
 * 2021-03-01, 2021-01-31 + 1 month is 2021-03-03) and no DST applies.
 */
export function plusTime(dateTime: CertLogicDateTime, amount: number, unit: TimeUnit): CertLogicDateTime | undefined {
  const value = new Date(dateTime.epochMillis);
  switch (unit) {
    case 'year':
      value.setUTCFullYear(value.getUTCFullYear() + amount);
      break;
    case 'month':
      value.setUTCMonth(value.getUTCMonth() + amount);
      break;
    case 'day':
      value.setUTCDate(value.getUTCDate() + amount);
      break;
    case 'hour':
      value.setUTCHours(value.getUTCHours() + amount);
      break;
    default: {
      const unknownUnit: never = unit;
      throw new Error(`unhandled time unit ${String(unknownUnit)}`);
    }
  }
  const millis = value.getTime();
  return Number.isNaN(millis) ? undefined : CertLogicDateTime.fromEpochMillis(millis);
}
