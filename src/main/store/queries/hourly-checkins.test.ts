import { afterEach, describe, expect, it } from 'vitest';
import { HOURLY_CHECKIN_HOURS, hourlyCheckinsSchema } from '../../../common/ipc/contract.js';
import { openWritableDatabase, type WritableDB } from '../database.js';
import { HOUR_MS, HOURLY_CHECKINS_SQL, hourlyCheckinCounts } from './hourly-checkins.js';

const NOW = Date.UTC(2026, 10, 27, 17, 30);
const CURRENT_HOUR = Date.UTC(2026, 10, 27, 17);
const FIRST_HOUR = CURRENT_HOUR - 23 * HOUR_MS;

let db: WritableDB | undefined;
afterEach(() => db?.close());

function logWith(rows: readonly { at: number; kind?: 'verdict' | 'override'; overrides?: string }[]): WritableDB {
  const opened = openWritableDatabase(':memory:');
  const insert = opened.prepare(
    `INSERT INTO checkins (id, at, outcome, readable, reason_codes, credential_kind, source, venue, kind, overrides, override_reason)
     VALUES (?, ?, 'admit', 1, '[]', NULL, 'keyboard-wedge', 'Venue', ?, ?, ?)`,
  );
  rows.forEach((row, i) => {
    const kind = row.kind ?? 'verdict';
    insert.run(`ROW${String(i).padStart(23, '0')}`, row.at, kind, row.overrides ?? null, kind === 'override' ? 'documents seen' : null);
  });
  db = opened;
  return opened;
}

describe('hourlyCheckinCounts', () => {
  it('gives 24 zero hours on an empty log, the first starting 23 hours before the current one', () => {
    const result = hourlyCheckinCounts(logWith([]), NOW);
    expect(result.firstHourStart).toBe(FIRST_HOUR);
    expect(result.counts).toEqual(new Array(HOURLY_CHECKIN_HOURS).fill(0));
    expect(hourlyCheckinsSchema.safeParse(result).success).toBe(true);
  });

  it('puts a row on an hour boundary in the hour it starts, and the millisecond before in the previous one', () => {
    const result = hourlyCheckinCounts(
      logWith([{ at: CURRENT_HOUR }, { at: CURRENT_HOUR - 1 }, { at: FIRST_HOUR }, { at: FIRST_HOUR + HOUR_MS - 1 }, { at: NOW }]),
      NOW,
    );
    expect(result.counts.at(-1)).toBe(2);
    expect(result.counts.at(-2)).toBe(1);
    expect(result.counts[0]).toBe(2);
    // The hours in between had no check-in and are counted as 0, not left out.
    expect(result.counts.slice(1, -2)).toEqual(new Array(HOURLY_CHECKIN_HOURS - 3).fill(0));
  });

  it('leaves out rows older than the first hour and rows after now (a clock set back since)', () => {
    const result = hourlyCheckinCounts(
      logWith([{ at: FIRST_HOUR - 1 }, { at: NOW - 24 * HOUR_MS }, { at: NOW - 3 * 24 * HOUR_MS }, { at: NOW + 1 }, { at: NOW + HOUR_MS }, { at: NOW - 5 * HOUR_MS }]),
      NOW,
    );
    expect(result.counts.reduce((sum, n) => sum + n, 0)).toBe(1);
    expect(result.counts.at(-6)).toBe(1);
  });

  it('counts an overridden verdict once: the override row is not a second check-in', () => {
    const verdictAt = NOW - 10 * 60_000;
    const result = hourlyCheckinCounts(
      logWith([{ at: verdictAt }, { at: NOW - 5 * 60_000, kind: 'override', overrides: 'ROW00000000000000000000000' }]),
      NOW,
    );
    expect(result.counts.at(-1)).toBe(1);
  });

  it('counts every row of a busy day, not a sample of the latest', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => ({ at: NOW - Math.floor((i * 24 * HOUR_MS) / 5_000) }));
    const result = hourlyCheckinCounts(logWith(rows), NOW);
    const inWindow = rows.filter((row) => row.at >= FIRST_HOUR).length;
    expect(result.counts.reduce((sum, n) => sum + n, 0)).toBe(inWindow);
  });

  it('reads the time range through the checkins_at index', () => {
    const opened = logWith([]);
    const plan = opened.prepare(`EXPLAIN QUERY PLAN ${HOURLY_CHECKINS_SQL}`).all({ first: FIRST_HOUR, now: NOW }) as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toMatch(/SEARCH checkins USING INDEX checkins_at \(at>\? AND at<\?\)/);
  });
});
