// The kiosk's "how fresh is what I decide by" indicator, decided apart from the DOM: offline
// when check-ins wait for upload longer than the threshold or the last upload failed, stale when
// the status data is older than the policy allows, else the data's age in hours.
import type { KioskHealth, SyncStatus } from '../common/ipc/contract.js';

/** Check-ins waiting longer than this mean the kiosk has not reached the hub for a while. */
export const OFFLINE_AFTER_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;

export type Freshness =
  | { state: 'unknown' }
  | { state: 'online'; dataAgeHours: number | null }
  | { state: 'offline'; dataAgeHours: number | null }
  | { state: 'stale'; dataAgeHours: number | null; offline: boolean };

export function describeFreshness(sync: SyncStatus | null, health: KioskHealth | null): Freshness {
  if (sync === null && health === null) return { state: 'unknown' };
  const ageMs = health?.statusData.ageMs ?? null;
  const dataAgeHours = ageMs === null ? null : Math.max(0, Math.floor(ageMs / HOUR_MS));
  const waitingLong = (sync?.oldestPendingAgeMs ?? 0) > OFFLINE_AFTER_MS;
  const lastFailed =
    sync !== null && sync.lastError !== null && (sync.lastSuccessAt === null || sync.lastError.at > sync.lastSuccessAt);
  const offline = waitingLong || lastFailed;
  if (health?.statusData.stale === true) return { state: 'stale', dataAgeHours, offline };
  return offline ? { state: 'offline', dataAgeHours } : { state: 'online', dataAgeHours };
}
