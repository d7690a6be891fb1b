// Pieces of the provisioning state every implementation shares (the service, the shells' fake).
import type { ProvisioningControl } from './provisioning-control.js';
import type { ClockCheck, ProvisionError, ProvisionErrorCode, ProvisionState } from '../../common/ipc/provision-view.js';

export const UNKNOWN_CLOCK: ClockCheck = { state: 'unknown', hubOffsetMs: null, checkedAt: null, bundleOffsetMs: null, message: null };

export function unprovisionedState(demo: boolean): ProvisionState {
  return {
    step: 'unprovisioned',
    busy: false,
    error: null,
    hubUrl: null,
    deviceId: null,
    rootFingerprint: null,
    assignment: null,
    firstSync: null,
    selfTest: [],
    clock: UNKNOWN_CLOCK,
    demo,
  };
}

export function provisionError(code: ProvisionErrorCode, message: string, at: number): ProvisionError {
  return { code, message, at };
}

/** Hex in groups of four, as pccovid-hub prints fingerprints. */
export function groupedFingerprint(hex: string): string {
  return (hex.replace(/\s+/g, '').toLowerCase().match(/.{1,4}/g) ?? []).join(' ');
}

/** For a core opened without a provisioning service (CLI tools, tests): reports, refuses to act. */
export function staticProvisioning(state: () => ProvisionState, now: () => number): ProvisioningControl {
  const refuse = (): ProvisionState => ({
    ...state(),
    error: provisionError('wrong_step', 'This kiosk was started without its provisioning service; start it with `pccovid-kiosk start` or use `pccovid-kiosk provision`.', now()),
  });
  return {
    state,
    enrol: refuse,
    confirmFingerprint: refuse,
    sync: refuse,
    finish: refuse,
    resetPrepare: () => ({ token: '', expiresAt: 0, deviceId: state().deviceId, pendingCheckins: 0 }),
    factoryReset: () => ({ result: 'refused', code: 'bad_token', retryAfterMs: 0, message: 'This kiosk was started without its provisioning service; use `pccovid-kiosk reset`.' }),
  };
}
