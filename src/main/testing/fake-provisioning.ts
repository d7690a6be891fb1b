// A provisioning wizard's counterpart without a hub, for the shells' and the renderer's tests:
// any ticket whose text contains "token_used" is refused as used, anything not JSON is
// unreadable; otherwise it walks the real steps at once (never busy). The console PIN is 123456.
import type { ProvisionState } from '../../common/ipc/provision-view.js';
import { groupedFingerprint, provisionError, unprovisionedState } from '../provision/provision-state.js';
import type { ProvisioningControl } from '../provision/provisioning-control.js';

export const FAKE_ROOT_FINGERPRINT = groupedFingerprint('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');

export function createFakeProvisioning(now: () => number = Date.now): ProvisioningControl & { current: ProvisionState } {
  const fake = {
    current: unprovisionedState(true),
    state: () => fake.current,
    enrol(request: { text: string }) {
      if (fake.current.step !== 'unprovisioned') {
        fake.current = { ...fake.current, error: provisionError('wrong_step', 'This kiosk is already enrolled; factory-reset it first.', now()) };
        return fake.current;
      }
      let ticket: unknown;
      try {
        ticket = JSON.parse(request.text);
      } catch {
        ticket = undefined;
      }
      if (typeof ticket !== 'object' || ticket === null) {
        fake.current = { ...fake.current, error: provisionError('ticket_unreadable', 'This QR code is not an enrolment ticket.', now()) };
      } else if (request.text.includes('token_used')) {
        fake.current = { ...fake.current, error: provisionError('token_used', 'This enrolment token was already used once; ask the operator for a new QR code.', now()) };
      } else {
        fake.current = {
          ...fake.current,
          step: 'awaiting_fingerprint',
          error: null,
          hubUrl: 'https://hub.example.vn/',
          deviceId: 'dev-00000000000000000000000000000000',
          rootFingerprint: FAKE_ROOT_FINGERPRINT,
        };
      }
      return fake.current;
    },
    confirmFingerprint(request: { answer: 'match' | 'mismatch' }) {
      if (request.answer === 'mismatch') {
        fake.current = { ...unprovisionedState(true), error: provisionError('fingerprint_mismatch', 'Enrolment abandoned: the root key is not the authority\'s.', now()) };
        return fake.current;
      }
      fake.current = {
        ...fake.current,
        step: 'self_test',
        assignment: { venueId: 'HN-01', venueName: 'Nội Bài T2', laneId: null, laneName: null, mode: 'venue' },
        firstSync: { at: now(), bundlesInstalled: 4, policyId: 'venue-status-v1' },
        selfTest: [{ id: 'keyboard-wedge', name: 'Keyboard scanner', source: 'keyboard-wedge', passed: false, lastScanAt: null, lastText: null }],
      };
      return fake.current;
    },
    sync: () => fake.current,
    finish(request: { skipScanners?: boolean }) {
      if (fake.current.step !== 'self_test') return fake.current;
      if (request.skipScanners !== true && !fake.current.selfTest.some((s) => s.passed)) {
        fake.current = { ...fake.current, error: provisionError('no_scanner', 'No scanner has read a test code yet: scan one on each scanner.', now()) };
      } else {
        fake.current = { ...fake.current, step: 'ready', error: null, demo: false };
      }
      return fake.current;
    },
    resetPrepare: () => ({ token: 'fake-reset-token', expiresAt: now() + 120_000, deviceId: fake.current.deviceId, pendingCheckins: 0 }),
    factoryReset(request: { pin: string; token: string }) {
      if (request.pin !== '123456') return { result: 'refused' as const, code: 'wrong_pin' as const, retryAfterMs: 0, message: 'Wrong PIN.' };
      if (request.token !== 'fake-reset-token') return { result: 'refused' as const, code: 'bad_token' as const, retryAfterMs: 0, message: 'Ask for a new reset token.' };
      fake.current = unprovisionedState(true);
      return { result: 'wiped' as const, state: fake.current };
    },
  };
  return fake;
}
