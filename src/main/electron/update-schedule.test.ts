import { describe, expect, it } from 'vitest';
import { decideInstall, DEFAULT_MIN_IDLE_MS, type InstallPolicy, parseClockTime } from './update-schedule.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const VIETNAM = 7 * 60;

/** The instant it is hh:mm local time in a zone `offset` minutes east of UTC, on 2024-03-10. */
function at(hhmm: string, offset = VIETNAM): number {
  const minutes = parseClockTime(hhmm);
  if (minutes === null) throw new Error(`bad time ${hhmm}`);
  return Date.UTC(2024, 2, 10) + (minutes - offset) * MINUTE;
}

const night: InstallPolicy = { window: { startMinute: 60, endMinute: 5 * 60 }, minIdleMs: 20 * MINUTE };

describe('decideInstall', () => {
  it('installs at night when nobody has scanned for a while', () => {
    const now = at('02:00');
    expect(decideInstall({ nowMs: now, utcOffsetMinutes: VIETNAM }, now - HOUR, night)).toEqual({ install: true });
  });

  it('installs at night when the kiosk has never scanned anything', () => {
    expect(decideInstall({ nowMs: at('01:00'), utcOffsetMinutes: VIETNAM }, null, night)).toEqual({ install: true });
  });

  it('waits for the night window, and says how long until it opens', () => {
    const now = at('14:30');
    expect(decideInstall({ nowMs: now, utcOffsetMinutes: VIETNAM }, null, night)).toEqual({
      install: false,
      reason: 'outside-night-window',
      retryInMs: 10 * HOUR + 30 * MINUTE,
    });
  });

  it('closes the window at its end minute', () => {
    expect(decideInstall({ nowMs: at('04:59'), utcOffsetMinutes: VIETNAM }, null, night).install).toBe(true);
    expect(decideInstall({ nowMs: at('05:00'), utcOffsetMinutes: VIETNAM }, null, night)).toMatchObject({
      install: false,
      reason: 'outside-night-window',
      retryInMs: 20 * HOUR,
    });
  });

  it('waits while people are still being checked in, until the kiosk has been idle long enough', () => {
    const now = at('02:00');
    expect(decideInstall({ nowMs: now, utcOffsetMinutes: VIETNAM }, now - 5 * MINUTE, night)).toEqual({
      install: false,
      reason: 'recent-scan',
      retryInMs: 15 * MINUTE,
    });
    expect(decideInstall({ nowMs: now, utcOffsetMinutes: VIETNAM }, now - 20 * MINUTE, night).install).toBe(true);
  });

  it('reads the window in local time, not UTC', () => {
    // 02:00 in Hanoi is 19:00 UTC the day before: inside the window there, outside it in UTC.
    const now = at('02:00');
    expect(decideInstall({ nowMs: now, utcOffsetMinutes: VIETNAM }, null, night).install).toBe(true);
    expect(decideInstall({ nowMs: now, utcOffsetMinutes: 0 }, null, night).install).toBe(false);
    // West of UTC too (negative offsets).
    expect(decideInstall({ nowMs: at('03:00', -300), utcOffsetMinutes: -300 }, null, night).install).toBe(true);
  });

  it('handles a window that spans midnight', () => {
    const lateEvening: InstallPolicy = { window: { startMinute: 22 * 60, endMinute: 4 * 60 }, minIdleMs: DEFAULT_MIN_IDLE_MS };
    expect(decideInstall({ nowMs: at('23:30'), utcOffsetMinutes: VIETNAM }, null, lateEvening).install).toBe(true);
    expect(decideInstall({ nowMs: at('00:10'), utcOffsetMinutes: VIETNAM }, null, lateEvening).install).toBe(true);
    expect(decideInstall({ nowMs: at('21:00'), utcOffsetMinutes: VIETNAM }, null, lateEvening)).toMatchObject({
      reason: 'outside-night-window',
      retryInMs: HOUR,
    });
  });

  it('never installs with an empty window', () => {
    const never: InstallPolicy = { window: { startMinute: 120, endMinute: 120 }, minIdleMs: 0 };
    expect(decideInstall({ nowMs: at('02:00'), utcOffsetMinutes: VIETNAM }, null, never).install).toBe(false);
  });

  it('treats a scan a little in the future (clock skew) as just now', () => {
    const now = at('02:00');
    expect(decideInstall({ nowMs: now, utcOffsetMinutes: VIETNAM }, now + 2 * MINUTE, night)).toEqual({
      install: false,
      reason: 'recent-scan',
      retryInMs: 20 * MINUTE,
    });
  });

  it('ignores a last scan far in the future (a clock that was wrong, then corrected)', () => {
    const now = at('02:00');
    expect(decideInstall({ nowMs: now, utcOffsetMinutes: VIETNAM }, now + 30 * 24 * HOUR, night)).toEqual({ install: true });
  });
});

describe('parseClockTime', () => {
  it('reads 24-hour HH:MM', () => {
    expect(parseClockTime('00:00')).toBe(0);
    expect(parseClockTime('01:30')).toBe(90);
    expect(parseClockTime('23:59')).toBe(23 * 60 + 59);
  });

  it.each(['24:00', '1:30', '01:60', '0130', '', '01:30 ', 'noon'])('refuses %j', (text) => {
    expect(parseClockTime(text)).toBeNull();
  });
});
