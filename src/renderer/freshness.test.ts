import { describe, expect, it } from 'vitest';
import type { KioskHealth, SyncStatus } from '../common/ipc/contract.js';
import { clockWarning, describeFreshness, OFFLINE_AFTER_MS } from './freshness.js';

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

function withHubClock(hubOffsetMs: number | null, state: 'ok' | 'wrong' | 'unknown', bundleOffsetMs: number | null = null): KioskHealth {
  return { ...health(HOUR), hubClock: { state, hubOffsetMs, checkedAt: 0, bundleOffsetMs, message: state === 'wrong' ? 'wrong' : null } };
}

describe('clockWarning', () => {
  it('says how many minutes, and which way, the kiosk clock is off the hub clock', () => {
    expect(clockWarning(withHubClock(-20 * 60_000 - 20_000, 'wrong'))).toEqual({ key: 'clockBehindHub', values: { minutes: 20 } });
    expect(clockWarning(withHubClock(7 * 60_000 + 40_000, 'wrong'))).toEqual({ key: 'clockAheadOfHub', values: { minutes: 8 } });
  });

  it('falls back to the signed-data warning when the hub clock agrees but the clock is behind its newest data', () => {
    // Wrong because of the bundle (set back), the hub offset within what the hub accepts.
    expect(clockWarning(withHubClock(30_000, 'wrong', -3 * HOUR))).toEqual({ key: 'clockWrong', values: {} });
    expect(clockWarning({ ...health(HOUR), clock: { state: 'behind', newestBundleIssuedAt: 1, offsetMs: -HOUR, reason: null } })).toEqual({ key: 'clockWrong', values: {} });
  });

  it('says nothing when the clocks agree or the hub was never asked', () => {
    expect(clockWarning(withHubClock(40_000, 'ok'))).toBeNull();
    expect(clockWarning(withHubClock(null, 'unknown'))).toBeNull();
    expect(clockWarning(health(HOUR))).toBeNull();
  });
});

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

  it("is offline while the hub refuses the kiosk's syncs because the clocks disagree, even with nothing waiting", () => {
    expect(describeFreshness(sync({ lastSuccessAt: 30 }), withHubClock(-20 * 60_000, 'wrong')).state).toBe('offline');
    expect(describeFreshness(sync({ lastSuccessAt: 30 }), withHubClock(-60_000, 'ok')).state).toBe('online');
  });

  it('says stale when the policy calls the status data too old, and whether offline too', () => {
    expect(describeFreshness(sync({ lastError: { code: 'x', message: 'y', at: 1 } }), health(30 * HOUR, true))).toEqual({
      state: 'stale',
      dataAgeHours: 30,
      offline: true,
    });
  });
});
