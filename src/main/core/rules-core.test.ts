// The rules issue through the kiosk core and the IPC handler both shells use: the installed
// policy decides, duplicates are not logged twice, a guard overrides a review once (its own row),
// and the clock's state reaches staff (kiosk:health) and every verdict.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_FORMAT_V2, type PolicyPayload } from '../../common/bundle/policy-payload.js';
import type { KioskHealth, OverrideResult, RequestOf, VerdictView } from '../../common/ipc/contract.js';
import { borderLanePreset, greenOnlyPreset, type Policy } from '../../common/types/policy.js';
import { issueDemoPass } from '../demo/demo-authority.js';
import { handleIpcRequest } from '../ipc/handle-request.js';
import { moduleLogger } from '../log.js';
import { bundleAge, type BundleFreshness } from '../pipeline/freshness.js';
import type { StatusLookup } from '../pipeline/status.js';
import { FIXED_NOW_MS, scanOf } from '../pipeline/test-fixtures.js';
import { passportMrz } from '../pipeline/test-policies.js';
import { MemoryStatusCache } from '../status/memory-status-cache.js';
import { openKioskCore, type InstalledBundles, type OpenedKiosk } from './open-kiosk-core.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const logger = moduleLogger('test');

interface Setup {
  policy?: Policy | null;
  /** Issue time of the newest installed bundle; null: none installed. */
  newestBundleAt?: number | null;
  clockMs?: number;
}

function open(setup: Setup = {}): { kiosk: OpenedKiosk; setClock(ms: number): void; bundles: { policy: PolicyPayload | null } } {
  let clock = setup.clockMs ?? FIXED_NOW_MS;
  const newest = setup.newestBundleAt === undefined ? FIXED_NOW_MS - HOUR_MS : setup.newestBundleAt;
  const freshness: BundleFreshness = {
    ages: (nowMs) => (newest === null ? [] : [bundleAge({ type: 'status-snapshot', sequence: 7, issuedAt: newest, expiresAt: newest + 10 * DAY_MS }, nowMs)]),
    ageOf: () => null,
  };
  const cache = new MemoryStatusCache(new Uint8Array(32), newest);
  const status: StatusLookup = { lookup: (ids) => cache.lookup(ids), issuedAt: newest, freshness };
  const policy = setup.policy === undefined ? greenOnlyPreset() : setup.policy;
  const bundles: InstalledBundles & { policy: PolicyPayload | null } = {
    policy: policy === null ? null : { format: POLICY_FORMAT_V2, policy },
    status,
  };
  const kiosk = openKioskCore({
    dataDir: join(mkdtempSync(join(tmpdir(), 'pccovid-rules-')), 'data'),
    authorityKeyDir: mkdtempSync(join(tmpdir(), 'pccovid-rules-authority-')),
    now: () => clock,
    bundles,
  });
  return { kiosk, bundles, setClock: (ms) => (clock = ms) };
}

function ipc<T>(kiosk: OpenedKiosk, channel: string, request: unknown): T {
  const result = handleIpcRequest(kiosk, channel, request, logger, () => FIXED_NOW_MS);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const override = (kiosk: OpenedKiosk, request: RequestOf<'checkin:override'>): OverrideResult => ipc(kiosk, 'checkin:override', request);
const rowCount = (kiosk: OpenedKiosk): number => kiosk.db.prepare('SELECT count(*) FROM checkins').pluck().get() as number;

describe('kiosk core: the installed policy decides', () => {
  it('uses the venue default without a policy bundle, and the bundle once installed', () => {
    const { kiosk, bundles } = open({ policy: null });
    const pass = issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS });
    kiosk.submitScan(scanOf(pass));
    kiosk.submitScan(scanOf(pass));
    expect(rowCount(kiosk)).toBe(2);
    expect(ipc<KioskHealth>(kiosk, 'kiosk:health', {}).policy).toEqual({ id: 'venue-status-v1', kind: 'status', source: 'default' });

    // A policy bundle lands (the bundle store's policy changes): the next scan follows it.
    bundles.policy = { format: POLICY_FORMAT_V2, policy: borderLanePreset() };
    expect(kiosk.submitScan(scanOf(passportMrz())).reasons.map((r) => r.code)).toEqual(['lane_scan_other_document', 'travel_document_valid']);
    expect(ipc<KioskHealth>(kiosk, 'kiosk:health', {})).toMatchObject({ policy: { id: 'border-lane-v1', kind: 'border-lane', source: 'bundle' }, laneWaiting: 'travel-document' });
    kiosk.close();
  });

  it('logs the same code scanned again within the window once, and answers "already checked in"', () => {
    const { kiosk, setClock } = open();
    const pass = issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS });
    const first = kiosk.submitScan(scanOf(pass));
    setClock(FIXED_NOW_MS + 30_000);
    const again = kiosk.submitScan(scanOf(pass, 'serial'));
    expect(again).toMatchObject({ checkinId: first.checkinId, outcome: 'admit', reasons: [{ code: 'already_checked_in' }, { code: 'status_green' }, { code: 'status_from_pass' }] });
    expect(rowCount(kiosk)).toBe(1);
    setClock(FIXED_NOW_MS + 61_000);
    expect(kiosk.submitScan(scanOf(pass)).checkinId).not.toBe(first.checkinId);
    expect(rowCount(kiosk)).toBe(2);
    kiosk.close();
  });
});

describe('checkin:override', () => {
  type Scenario = (kiosk: OpenedKiosk) => { checkinId: string };
  const review: Scenario = (kiosk) => kiosk.submitScan(scanOf(issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS, status: 'yellow' })));
  const admitted: Scenario = (kiosk) => kiosk.submitScan(scanOf(issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS })));
  const denied: Scenario = (kiosk) => kiosk.submitScan(scanOf(issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS, status: 'red' })));
  const unreadable: Scenario = (kiosk) => kiosk.submitScan(scanOf('PC1:DAMAGED'));
  const overriddenOnce: Scenario = (kiosk) => {
    const target = review(kiosk);
    override(kiosk, { checkinId: target.checkinId, outcome: 'admit', reason: 'Vaccination card checked by hand' });
    return target;
  };
  const theOverrideRow: Scenario = (kiosk) => {
    const result = override(kiosk, { checkinId: review(kiosk).checkinId, outcome: 'deny', reason: 'Fever' });
    if (result.result !== 'overridden') throw new Error('setup');
    return { checkinId: result.checkinId };
  };
  const nothing: Scenario = () => ({ checkinId: '01J0000000000000000000000Z' });

  it.each<[string, Scenario, OverrideResult['result'], string | null]>([
    ['a review verdict', review, 'overridden', null],
    ['an admitted verdict', admitted, 'refused', 'not_review'],
    ['a denied verdict', denied, 'refused', 'not_review'],
    ['an unreadable scan', unreadable, 'refused', 'not_review'],
    ['a review already overridden', overriddenOnce, 'refused', 'already_overridden'],
    ['an override row', theOverrideRow, 'refused', 'not_a_verdict'],
    ['a check-in this kiosk never logged', nothing, 'refused', 'not_found'],
  ])('%s: %s', (_name, scenario, result, code) => {
    const { kiosk } = open();
    const target = scenario(kiosk);
    const rowsBefore = rowCount(kiosk);
    const answer = override(kiosk, { checkinId: target.checkinId, outcome: 'admit', reason: '  Medical exemption letter seen  ' });
    expect(answer.result).toBe(result);
    if (answer.result === 'refused') {
      expect(answer.code).toBe(code);
      expect(answer.message).toContain(target.checkinId);
      expect(rowCount(kiosk)).toBe(rowsBefore);
    } else {
      expect(answer).toMatchObject({ overrides: target.checkinId, outcome: 'admit', at: FIXED_NOW_MS });
      expect(rowCount(kiosk)).toBe(rowsBefore + 1);
      // Its own row, kind override, pointing at the verdict, with the reason (trimmed).
      expect(kiosk.db.prepare('SELECT kind, outcome, overrides, override_reason, source, device FROM checkins WHERE id = ?').get(answer.checkinId)).toEqual({
        kind: 'override',
        outcome: 'admit',
        overrides: target.checkinId,
        override_reason: 'Medical exemption letter seen',
        source: 'staff',
        device: kiosk.deviceKey.deviceId,
      });
      // The verdict row itself is never changed.
      expect(kiosk.db.prepare('SELECT outcome FROM checkins WHERE id = ?').pluck().get(target.checkinId)).toBe('review');
    }
    kiosk.close();
  });

  it.each<[string, unknown]>([
    ['an empty reason', { checkinId: '01J0000000000000000000000Z', outcome: 'admit', reason: '' }],
    ['a reason of blanks', { checkinId: '01J0000000000000000000000Z', outcome: 'admit', reason: '   ' }],
    ['a reason with a control character', { checkinId: '01J0000000000000000000000Z', outcome: 'admit', reason: 'ok\u0007' }],
    ['an outcome of review', { checkinId: '01J0000000000000000000000Z', outcome: 'review', reason: 'why' }],
    ['an id that is not a check-in id', { checkinId: 'row-1', outcome: 'deny', reason: 'why' }],
  ])('refuses %s before it reaches the core', (_name, request) => {
    const { kiosk } = open();
    const result = handleIpcRequest(kiosk, 'checkin:override', request, logger);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    kiosk.close();
  });

  it('shows the overridden outcome when the same code is scanned again in the window', () => {
    const { kiosk } = open();
    const pass = issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS, status: 'yellow' });
    const first = kiosk.submitScan(scanOf(pass));
    override(kiosk, { checkinId: first.checkinId, outcome: 'admit', reason: 'Checked by hand' });
    expect(kiosk.submitScan(scanOf(pass))).toMatchObject({ checkinId: first.checkinId, outcome: 'admit', reasons: [{ code: 'already_checked_in' }, { code: 'status_yellow' }, { code: 'status_from_pass' }] });
    kiosk.close();
  });
});

describe('clock tamper: reported in verdicts and to staff', () => {
  const NEWEST = FIXED_NOW_MS;
  it.each<[string, number, KioskHealth['clock']['state'], VerdictView['outcome'], string[]]>([
    ['a clock an hour after the newest bundle', NEWEST + HOUR_MS, 'ok', 'admit', ['status_green', 'status_from_pass']],
    ['a clock set back two days', NEWEST - 2 * DAY_MS, 'behind', 'review', ['status_green', 'status_from_pass', 'clock_behind']],
    ['a clock four days ahead', NEWEST + 4 * DAY_MS, 'ahead', 'admit', ['status_green', 'status_from_pass', 'clock_ahead']],
  ])('%s', (_name, clockMs, state, outcome, codes) => {
    const { kiosk } = open({ newestBundleAt: NEWEST, clockMs, policy: null });
    const verdict = kiosk.submitScan(scanOf(issueDemoPass(kiosk.demoAuthority, { nowMs: clockMs })));
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.reasons.map((r) => r.code)).toEqual(codes);
    const health = ipc<KioskHealth>(kiosk, 'kiosk:health', {});
    expect(health).toMatchObject({ now: clockMs, clock: { state, newestBundleIssuedAt: NEWEST, offsetMs: clockMs - NEWEST } });
    expect(health.clock.reason?.code ?? null).toBe(state === 'ok' ? null : `clock_${state}`);
    kiosk.close();
  });

  it('says when there is nothing to compare the clock with', () => {
    const { kiosk } = open({ newestBundleAt: null });
    expect(ipc<KioskHealth>(kiosk, 'kiosk:health', {})).toMatchObject({ clock: { state: 'no_bundles', reason: null }, statusData: { ageMs: null, stale: false } });
    kiosk.close();
  });

  it('tells staff an expired pass may be the clock\'s fault', () => {
    const { kiosk } = open({ newestBundleAt: NEWEST, clockMs: NEWEST + 400 * DAY_MS });
    const verdict = kiosk.submitScan(scanOf(issueDemoPass(kiosk.demoAuthority, { nowMs: NEWEST })));
    expect(verdict.reasons.map((r) => r.code)).toEqual(['expired', 'clock_ahead']);
    kiosk.close();
  });
});
