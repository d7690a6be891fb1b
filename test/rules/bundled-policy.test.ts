// Policies as signed bundles, end to end: the real publisher signs policy-v2 bundles and status
// data, the real bundle store installs them, and the kiosk core decides by the newest policy it
// holds, reading evidence from the status cache's facts, the data's age and the clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePolicyPayload, POLICY_FORMAT_V2 } from '../../src/common/bundle/policy-payload.js';
import type { KioskHealth } from '../../src/common/ipc/contract.js';
import { borderLanePreset, evidencePreset, type Policy } from '../../src/common/types/policy.js';
import { BundleStore } from '../../src/main/bundles/bundle-store.js';
import { openKioskCore } from '../../src/main/core/open-kiosk-core.js';
import { issueDemoPass } from '../../src/main/demo/demo-authority.js';
import { handleIpcRequest } from '../../src/main/ipc/handle-request.js';
import { moduleLogger } from '../../src/main/log.js';
import { FIXED_NOW_MS, scanOf } from '../../src/main/pipeline/test-fixtures.js';
import { bundleBytes } from '../../src/hub/publisher/publisher.js';
import { DAY_MS, idOf, recordOf, TestAuthority } from '../bundles/test-authority.js';

const HOUR_MS = 3_600_000;

function setup() {
  const authority = new TestAuthority({ now: FIXED_NOW_MS - HOUR_MS });
  authority.validForMs = 6 * HOUR_MS;
  let clock = FIXED_NOW_MS;
  const store = BundleStore.open({
    dir: mkdtempSync(join(tmpdir(), 'pccovid-policy-bundles-')),
    rootKeys: authority.rootKeys,
    deviceKey: authority.device.privateKey,
    now: () => authority.clock.now,
  });
  store.install(authority.keyList());
  store.install(authority.epochKeyBundle());
  const validUntil = FIXED_NOW_MS + 30 * DAY_MS;
  store.install(
    authority.snapshot([
      { id: idOf(1), record: recordOf('green', validUntil, 2) },
      { id: idOf(2), record: recordOf('green', validUntil, 1) },
      { id: idOf(3), record: { ...recordOf('green', validUntil, 0), lastNegativeTestAt: FIXED_NOW_MS - 20 * HOUR_MS } },
    ]),
  );
  const installPolicy = (policy: Policy): void => {
    const payload = encodePolicyPayload({ format: POLICY_FORMAT_V2, policy });
    store.install(bundleBytes(authority.publisher.publish({ type: 'policy', payload, validForMs: 30 * DAY_MS })));
  };
  const kiosk = openKioskCore({
    dataDir: join(mkdtempSync(join(tmpdir(), 'pccovid-policy-kiosk-')), 'data'),
    authorityKeyDir: mkdtempSync(join(tmpdir(), 'pccovid-policy-authority-')),
    now: () => clock,
    bundles: store,
  });
  const passOf = (subject: number): string => issueDemoPass(kiosk.demoAuthority, { nowMs: clock, subjectId: idOf(subject) });
  const health = (): KioskHealth => {
    const result = handleIpcRequest(kiosk, 'kiosk:health', {}, moduleLogger('test'));
    if (!result.ok) throw new Error(result.error.message);
    return result.value as KioskHealth;
  };
  return { kiosk, installPolicy, passOf, health, setClock: (ms: number) => (clock = ms) };
}

describe('policy bundles through the kiosk core', () => {
  it('decides by the installed evidence policy, from the status cache entry\'s facts', () => {
    const { kiosk, installPolicy, passOf, health } = setup();
    installPolicy(evidencePreset());
    expect(health().policy).toEqual({ id: 'venue-evidence-v1', kind: 'evidence', source: 'bundle' });
    const decide = (subject: number) => kiosk.submitScan(scanOf(passOf(subject)));
    expect(decide(1)).toMatchObject({ outcome: 'admit', reasons: [{ code: 'evidence_vaccinated' }] });
    expect(decide(2)).toMatchObject({ outcome: 'deny', reasons: [{ code: 'no_qualifying_evidence' }] });
    expect(decide(3)).toMatchObject({ outcome: 'admit', reasons: [{ code: 'evidence_negative_test' }] });
    kiosk.close();
  });

  it('switches to a newer policy bundle at the next scan', () => {
    const { kiosk, installPolicy, passOf } = setup();
    installPolicy(evidencePreset());
    installPolicy(borderLanePreset());
    expect(kiosk.submitScan(scanOf(passOf(1)))).toMatchObject({ outcome: 'review', reasons: [{ code: 'lane_document_not_accepted' }] });
    kiosk.close();
  });

  it.each<[string, number, string, string[]]>([
    ['fresh data', FIXED_NOW_MS, 'admit', ['evidence_vaccinated']],
    ['data 10 h old, past its expiry: admitted with a warning', FIXED_NOW_MS + 9 * HOUR_MS, 'admit', ['evidence_vaccinated', 'cache_stale']],
    ['data 30 h old: too old to admit alone', FIXED_NOW_MS + 29 * HOUR_MS, 'review', ['evidence_vaccinated', 'cache_too_old']],
    ['a clock set back before the data was signed', FIXED_NOW_MS - 2 * HOUR_MS, 'review', ['evidence_vaccinated', 'clock_behind']],
  ])('venue evidence policy with %s', (_name, clockMs, outcome, codes) => {
    const { kiosk, installPolicy, passOf, setClock, health } = setup();
    installPolicy(evidencePreset());
    setClock(clockMs);
    const verdict = kiosk.submitScan(scanOf(passOf(1)));
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.reasons.map((r) => r.code)).toEqual(codes);
    expect(health().statusData.stale).toBe(codes.includes('cache_stale') || codes.includes('cache_too_old'));
    kiosk.close();
  });
});
