// Check-ins per hour over the last 24 hours, for the technician console's chart (checkins:hourly),
// counted in SQL over the whole log (not a sample of recent rows).
//
// The hours are whole hours of the epoch (UTC hours; the same as local hours in Vietnam and any
// whole-hour time zone). The last bucket is the current hour, partial, up to `nowMs`; the first
// starts 23 hours before it. What counts:
// - one row per verdict (`kind = 'verdict'`): a guard's override is a second row about the same
//   person and is not counted again;
// - by the verdict's wall-clock time `at`; rows before the first hour or after `nowMs` (a clock
//   set back since) are left out.
// The range on `at` is answered by the checkins_at index (migration 0010); only the rows in range
// are read, so the query costs the same on a log of a day or of three weeks. (better-sqlite3 binds a
// JS number as REAL: the CAST keeps the division integral.)
import { HOURLY_CHECKIN_HOURS, type HourlyCheckins } from '../../../common/ipc/contract.js';
import type { ReadableDB } from '../database.js';
import { cachedStatement } from '../statement-cache.js';

export const HOUR_MS = 3_600_000;

export const HOURLY_CHECKINS_SQL = `
  SELECT CAST(at - @first AS INTEGER) / ${String(HOUR_MS)} AS hour, count(*) AS n
  FROM checkins INDEXED BY checkins_at
  WHERE at >= @first AND at <= @now AND kind = 'verdict'
  GROUP BY hour`;

export function hourlyCheckinCounts(db: ReadableDB, nowMs: number): HourlyCheckins {
  const now = Math.floor(nowMs);
  const first = Math.floor(now / HOUR_MS) * HOUR_MS - (HOURLY_CHECKIN_HOURS - 1) * HOUR_MS;
  const counts = new Array<number>(HOURLY_CHECKIN_HOURS).fill(0);
  const rows = cachedStatement(db, HOURLY_CHECKINS_SQL).all({ first, now }) as { hour: number; n: number }[];
  for (const { hour, n } of rows) {
    if (hour >= 0 && hour < HOURLY_CHECKIN_HOURS) counts[hour] = n;
  }
  return { firstHourStart: first, counts };
}
