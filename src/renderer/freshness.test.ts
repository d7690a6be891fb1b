import { describe, expect, it } from 'vitest';
import type { KioskHealth, SyncStatus } from '../common/ipc/contract.js';
import { describeFreshness, OFFLINE_AFTER_MS } from './freshness.js';

const HOUR = 3_600_000;

function sync(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    deviceId: 'dev-1',
    pendingCount: 0,
    oldestPendingAgeMs: null,
    parkedCount: 0,
    oldestParkedAgeMs: null,
    uploadedCount: 0,
    lastSuccessAt: null,
    lastAttemptAt: null,
    lastError: null,
    ...overrides,
  };
}

function health(ageMs: number | null, stale = false): KioskHealth {
  return {
    now: 0,
    clock: { state: 'ok', newestBundleIssuedAt: null, offsetMs: null, reason: null },
    policy: { id: 'p', kind: 'status', source: 'default' },
    statusData: { ageMs, stale, reason: null },
    laneWaiting: null,
  };
}

describe('describeFreshness', () => {
  it('is unknown when neither channel answered', () => {
    expect(describeFreshness(null, null)).toEqual({ state: 'unknown' });
  });

  it('gives the status data age in whole hours', () => {
    expect(describeFreshness(sync(), health(5 * HOUR + 59 * 60_000))).toEqual({ state: 'online', dataAgeHours: 5 });
    expect(describeFreshness(sync(), health(null))).toEqual({ state: 'online', dataAgeHours: null });
  });

  it('is offline when check-ins wait too long or the last upload failed after the last success', () => {
    expect(describeFreshness(sync({ pendingCount: 3, oldestPendingAgeMs: OFFLINE_AFTER_MS + 1 }), null).state).toBe('offline');
    expect(describeFreshness(sync({ lastSuccessAt: 10, lastError: { code: 'x', message: 'y', at: 20 } }), null).state).toBe('offline');
    expect(describeFreshness(sync({ lastSuccessAt: 30, lastError: { code: 'x', message: 'y', at: 20 } }), null).state).toBe('online');
  });

  it('says stale when the policy calls the status data too old, and whether offline too', () => {
    expect(describeFreshness(sync({ lastError: { code: 'x', message: 'y', at: 1 } }), health(30 * HOUR, true))).toEqual({
      state: 'stale',
      dataAgeHours: 30,
      offline: true,
    });
  });
});
