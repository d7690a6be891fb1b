// When a downloaded kiosk update may be installed: only at night, and only while nobody is being
// checked in. Installing restarts the kiosk for a minute or so; a person at the door must never
// see that. A pure function of the clock, the last scan and the policy, so it is tested alone.

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const DAY_MS = DAY_MINUTES * MINUTE_MS;

/** A daily window in local time, as minutes after midnight; start > end spans midnight (22:00–05:00). */
export interface NightWindow {
  startMinute: number;
  endMinute: number;
}

export interface InstallPolicy {
  window: NightWindow;
  /** How long without a scan before the kiosk counts as idle. */
  minIdleMs: number;
}

export interface InstallClock {
  nowMs: number;
  /** The local offset from UTC at nowMs, in minutes (+420 in Vietnam): -new Date(nowMs).getTimezoneOffset(). */
  utcOffsetMinutes: number;
}

export type InstallDecision =
  | { install: true }
  | { install: false; reason: 'outside-night-window' | 'recent-scan'; retryInMs: number };

export const DEFAULT_NIGHT_WINDOW: NightWindow = { startMinute: 1 * 60, endMinute: 5 * 60 };
export const DEFAULT_MIN_IDLE_MS = 20 * MINUTE_MS;

/** "01:30" -> 90; null for anything that is not a 24-hour HH:MM time (shared with the wire format). */
export { parseClockTime } from '../../common/sync/update-settings-wire.js';
function isInWindow(minute: number, window: NightWindow): boolean {
  if (window.startMinute === window.endMinute) return false;
  return window.startMinute < window.endMinute
    ? minute >= window.startMinute && minute < window.endMinute
    : minute >= window.startMinute || minute < window.endMinute;
}

/** Milliseconds since local midnight (always 0 ≤ x < one day, whatever the sign of the offset). */
function localMsOfDay(clock: InstallClock): number {
  const local = clock.nowMs + clock.utcOffsetMinutes * MINUTE_MS;
  return ((local % DAY_MS) + DAY_MS) % DAY_MS;
}

export function decideInstall(clock: InstallClock, lastScanAtMs: number | null, policy: InstallPolicy): InstallDecision {
  const msOfDay = localMsOfDay(clock);
  const minute = Math.floor(msOfDay / MINUTE_MS);
  if (!isInWindow(minute, policy.window)) {
    const startMs = policy.window.startMinute * MINUTE_MS;
    const untilStart = startMs > msOfDay ? startMs - msOfDay : DAY_MS - msOfDay + startMs;
    return { install: false, reason: 'outside-night-window', retryInMs: untilStart };
  }
  // A last scan far in the future is a clock that was wrong then corrected: it says nothing about
  // now, and trusting it would hold the update back for as long as the error was.
  const lastScanIsBelievable = lastScanAtMs !== null && lastScanAtMs <= clock.nowMs + policy.minIdleMs;
  if (lastScanIsBelievable) {
    const idleForMs = Math.max(0, clock.nowMs - lastScanAtMs);
    if (idleForMs < policy.minIdleMs) {
      return { install: false, reason: 'recent-scan', retryInMs: policy.minIdleMs - idleForMs };
    }
  }
  return { install: true };
}
