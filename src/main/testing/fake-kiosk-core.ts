// A KioskCore for the shells' tests: no database, no pipeline. It records the scans it gets,
// answers with a fixed verdict, and lets a test push a verdict as a hardware driver would.
import { type CheckinSummary, HOURLY_CHECKIN_HOURS, type KioskInfo, type VerdictView } from '../../common/ipc/contract.js';
import type { ScanEvent } from '../../common/types/credential.js';
import type { KioskCore } from '../core/kiosk-core.js';
import { createFakeProvisioning } from './fake-provisioning.js';

export const FAKE_INFO: KioskInfo = {
  venueName: 'Trường THCS Thử Nghiệm',
  mode: 'venue',
  defaultLocale: 'vi',
  verdictHoldMs: 1500,
  demo: true,
  version: '0.0.0-test',
  provisioning: 'unprovisioned',
};

export function sampleVerdict(overrides: Partial<VerdictView> = {}): VerdictView {
  return {
    outcome: 'admit',
    readable: true,
    reasons: [{ code: 'status_green' }],
    credentialKind: 'pc1',
    holder: { maskedName: 'N*** V** A', birthYear: '1990' },
    status: 'green',
    decidedAt: 1_700_000_000_000,
    checkinId: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
    ...overrides,
  };
}

export interface FakeKioskCore extends KioskCore {
  readonly scans: ScanEvent[];
  /** What submitScan answers; a test may replace it. */
  verdictFor: (scan: ScanEvent) => VerdictView;
  /** Delivers a verdict to onVerdict listeners, as a scan from a hardware driver would. */
  push(verdict: VerdictView): void;
  listenerCount(): number;
  closed: boolean;
}

export function createFakeKioskCore(info: KioskInfo = FAKE_INFO): FakeKioskCore {
  const listeners = new Set<(verdict: VerdictView) => void>();
  const scans: ScanEvent[] = [];
  const core: FakeKioskCore = {
    scans,
    closed: false,
    verdictFor: (scan) =>
      scan.text.startsWith('PC1:')
        ? sampleVerdict({ decidedAt: scan.receivedAt })
        : sampleVerdict({
            outcome: 'deny',
            readable: false,
            reasons: [{ code: 'unknown_format' }],
            credentialKind: null,
            holder: null,
            status: null,
            decidedAt: scan.receivedAt,
          }),
    info: () => info,
    submitScan(scan) {
      scans.push(scan);
      return core.verdictFor(scan);
    },
    recentCheckins(limit): CheckinSummary[] {
      return scans.slice(-limit).map((scan, index) => ({
        id: `fake-${index}`,
        at: scan.receivedAt,
        outcome: 'admit',
        readable: true,
        reasonCodes: ['status_green'],
        credentialKind: 'pc1',
        source: scan.source,
      }));
    },
    // Every scan counted in the current hour: enough for the shells' tests.
    hourlyCheckins: () => ({
      firstHourStart: Math.floor(Date.now() / 3_600_000) * 3_600_000 - (HOURLY_CHECKIN_HOURS - 1) * 3_600_000,
      counts: [...new Array<number>(HOURLY_CHECKIN_HOURS - 1).fill(0), scans.length],
    }),
    syncStatus: () => ({
      deviceId: 'dev-00000000000000000000000000000000',
      pendingCount: scans.length,
      oldestPendingAgeMs: scans.length === 0 ? null : 0,
      parkedCount: 0,
      oldestParkedAgeMs: null,
      uploadedCount: 0,
      lastSuccessAt: null,
      lastAttemptAt: null,
      lastError: null,
    }),
    devices: () => [],
    health: () => ({
      now: 1_700_000_000_000,
      clock: { state: 'no_bundles', newestBundleIssuedAt: null, offsetMs: null, reason: null },
      policy: { id: 'venue-status-v1', kind: 'status', source: 'default' },
      statusData: { ageMs: null, stale: false, reason: null },
      laneWaiting: null,
    }),
    overrideCheckin: (request) => ({ result: 'refused', code: 'not_found', message: `No check-in ${request.checkinId} on this fake kiosk.` }),
    // The fake's console PIN is 123456, never rate-limited.
    unlockConsole: (pin) => (pin === '123456' ? { result: 'unlocked' } : { result: 'refused', code: 'wrong_pin', retryAfterMs: 0 }),
    provisioning: createFakeProvisioning(),
    onVerdict(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    push(verdict) {
      for (const listener of listeners) listener(verdict);
    },
    listenerCount: () => listeners.size,
    close() {
      core.closed = true;
      listeners.clear();
    },
  };
  return core;
}
