// The kiosk's "how fresh is what I decide by" indicator, decided apart from the DOM: offline
// when check-ins wait for upload longer than the threshold, the last upload failed, or the hub
// refuses the kiosk's syncs because the clocks disagree; stale when the status data is older
// than the policy allows, else the data's age in hours. And what the screen says of the clock.
import type { KioskHealth, SyncStatus } from '../common/ipc/contract.js';
import { REQUEST_CLOCK_TOLERANCE_MS } from '../common/sync/checkin-wire.js';

/** Check-ins waiting longer than this mean the kiosk has not reached the hub for a while. */
export const OFFLINE_AFTER_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;

export type Freshness =
  | { state: 'unknown' }
  | { state: 'online'; dataAgeHours: number | null }
  | { state: 'offline'; dataAgeHours: number | null }
  | { state: 'stale'; dataAgeHours: number | null; offline: boolean };

export const CLOCK_WARNINGS = ['clockWrong', 'clockAheadOfHub', 'clockBehindHub'] as const;

export interface ClockWarning {
  key: (typeof CLOCK_WARNINGS)[number];
  values: Readonly<Record<string, number>>;
}

/** The kiosk clock minus the hub's at the last sync, when beyond what the hub accepts; else null. */
function offsetFromHubClock(health: KioskHealth | null): number | null {
  const hub = health?.hubClock;
  if (hub?.state !== 'wrong' || hub.hubOffsetMs === null) return null;
  return Math.abs(hub.hubOffsetMs) > REQUEST_CLOCK_TOLERANCE_MS ? hub.hubOffsetMs : null;
}

/**
 * What the door screen says about the kiosk clock, if anything: off the hub's clock (read at the
 * last sync) by more than the hub allows, in whole minutes and which way, since that is what
 * stops its syncs; else behind, or far ahead of, its newest signed data.
 */
export function clockWarning(health: KioskHealth): ClockWarning | null {
  const offsetMs = offsetFromHubClock(health);
  if (offsetMs !== null) {
    return { key: offsetMs > 0 ? 'clockAheadOfHub' : 'clockBehindHub', values: { minutes: Math.round(Math.abs(offsetMs) / 60_000) } };
  }
  if (health.clock.state === 'behind' || health.clock.state === 'ahead' || health.hubClock?.state === 'wrong') return { key: 'clockWrong', values: {} };
  return null;
}

export function describeFreshness(sync: SyncStatus | null, health: KioskHealth | null): Freshness {
  if (sync === null && health === null) return { state: 'unknown' };
  const ageMs = health?.statusData.ageMs ?? null;
  const dataAgeHours = ageMs === null ? null : Math.max(0, Math.floor(ageMs / HOUR_MS));
  const waitingLong = (sync?.oldestPendingAgeMs ?? 0) > OFFLINE_AFTER_MS;
  const lastFailed =
    sync !== null && sync.lastError !== null && (sync.lastSuccessAt === null || sync.lastError.at > sync.lastSuccessAt);
  const offline = waitingLong || lastFailed || offsetFromHubClock(health) !== null;
  if (health?.statusData.stale === true) return { state: 'stale', dataAgeHours, offline };
  return offline ? { state: 'offline', dataAgeHours } : { state: 'online', dataAgeHours };
}
