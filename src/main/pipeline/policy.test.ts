import { describe, expect, it } from 'vitest';
import type {
  Credential,
  DccCredential,
  HealthStatus,
  Pc1Credential,
  StatusSourceKind,
  SubjectStatus,
} from '../../common/types/credential.js';
import {
  borderLanePreset,
  DEFAULT_VENUE_POLICY,
  evidencePreset,
  greenOnlyPreset,
  type Policy,
  type StatusPolicy,
} from '../../common/types/policy.js';
import type { ReasonCode } from '../../common/types/reasons.js';
import type { Outcome } from '../../common/types/verdict.js';
import { createMrzDecoder } from './decoders/mrz/mrz-decoder.js';
import { applyPolicy, decidePolicy } from './policy.js';
import type { StatusEntry } from './status.js';
import { FIXED_NOW_MS } from './test-fixtures.js';
import { dccPayload, passportMrz, VN_ARRIVAL_RULES, type DccContent } from './test-policies.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

describe('policy stage', () => {
  it.each<[HealthStatus, StatusSourceKind, string, string[]]>([
    ['green', 'cache', 'admit', ['status_green']],
    ['green', 'pass', 'admit', ['status_green', 'status_from_pass']],
    ['yellow', 'cache', 'review', ['status_yellow']],
    ['red', 'cache', 'deny', ['status_red']],
    ['red', 'pass', 'deny', ['status_red', 'status_from_pass']],
    ['unknown', 'cache', 'review', ['status_unknown']],
  ])('venue default and preset (a) green only: %s from %s -> %s', (status, source, outcome, codes) => {
    for (const policy of [DEFAULT_VENUE_POLICY, greenOnlyPreset()]) {
      const decision = applyPolicy({ status, source }, policy);
      expect(decision.outcome).toBe(outcome);
      expect(decision.reasons.map((reason) => reason.code)).toEqual(codes);
    }
  });

  it('follows the policy data, not a built-in table', () => {
    const strict: StatusPolicy = { kind: 'status', id: 'hospital', outcomes: { green: 'admit', yellow: 'deny', red: 'deny', unknown: 'deny' } };
    expect(applyPolicy({ status: 'yellow', source: 'cache' }, strict).outcome).toBe('deny');
  });
});

// ---- Inputs ------------------------------------------------------------------------------------

const SIGNATURE = { alg: 'ES256' as const, kid: new Uint8Array(8), toBeSigned: new Uint8Array(0), signature: new Uint8Array(0) };
const HOLDER = { name: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-04-12' };

function dcc(content: DccContent): DccCredential {
  return {
    kind: 'dcc',
    certificateType: content.type,
    subjectIds: ['DCC:URN:UVCI:01:VN:TEST'],
    holder: HOLDER,
    issuer: 'VN',
    issuedAt: Math.floor((FIXED_NOW_MS - DAY_MS) / 1000),
    expiresAt: Math.floor((FIXED_NOW_MS + 300 * DAY_MS) / 1000),
    payload: dccPayload(content),
    signature: SIGNATURE,
  };
}

function pc1(status: HealthStatus, doses: number): Pc1Credential {
  return {
    kind: 'pc1',
    subjectIds: ['VN-ID:079190001234'],
    holder: HOLDER,
    issuer: 'VN-MOH',
    issuedAt: 0,
    expiresAt: 0,
    statusAtIssue: status,
    vaccination: { doses, lastDoseDate: '2026-06-01' },
    signature: { ...SIGNATURE, alg: 'EdDSA' },
  };
}

const CCCD: Credential = {
  kind: 'cccd',
  subjectIds: ['VN-ID:079190001234'],
  holder: HOLDER,
  identity: { documentNumber: '079190001234' },
};

function mrz(fields: Parameters<typeof passportMrz>[0] = {}): Credential {
  const decoded = createMrzDecoder(() => FIXED_NOW_MS).decode(passportMrz(fields));
  if (!decoded.ok) throw new Error(decoded.reason.code);
  return decoded.value;
}

function entry(status: HealthStatus, facts: Partial<StatusEntry> = {}): StatusEntry {
  return { status, validUntil: FIXED_NOW_MS + DAY_MS, doses: 0, lastDoseDate: null, lastNegativeTestAt: null, recoveryDate: null, ...facts };
}

interface Case {
  name: string;
  credential: Credential;
  /** A cache entry for the subject; absent: the pass's own status (PC1) or nothing. */
  cached?: StatusEntry;
  outcome: Outcome;
  codes: ReasonCode[];
}

function decide(policy: Policy, c: Case) {
  const status: SubjectStatus =
    c.cached !== undefined
      ? { status: c.cached.status, source: 'cache', validUntil: c.cached.validUntil }
      : c.credential.kind === 'pc1'
        ? { status: c.credential.statusAtIssue, source: 'pass' }
        : { status: 'unknown', source: 'none' };
  return decidePolicy({ verified: { credential: c.credential, issuerKeyId: null }, status, entry: c.cached, nowMs: FIXED_NOW_MS }, policy);
}

// ---- Preset (b): evidence ---------------------------------------------------------------------

const daysAgo = (days: number): string => new Date(FIXED_NOW_MS - days * DAY_MS).toISOString().slice(0, 10);

const EVIDENCE_WITHOUT_RULES: Case[] = [
  { name: 'cache: 2 doses', credential: CCCD, cached: entry('green', { doses: 2, lastDoseDate: daysAgo(40) }), outcome: 'admit', codes: ['evidence_vaccinated'] },
  { name: 'cache: 1 dose, nothing else', credential: CCCD, cached: entry('green', { doses: 1 }), outcome: 'deny', codes: ['no_qualifying_evidence'] },
  { name: 'cache: negative test 24 h ago', credential: CCCD, cached: entry('green', { lastNegativeTestAt: FIXED_NOW_MS - 24 * HOUR_MS }), outcome: 'admit', codes: ['evidence_negative_test'] },
  { name: 'cache: negative test 73 h ago', credential: CCCD, cached: entry('green', { lastNegativeTestAt: FIXED_NOW_MS - 73 * HOUR_MS }), outcome: 'deny', codes: ['no_qualifying_evidence'] },
  { name: 'cache: recovered 100 days ago', credential: CCCD, cached: entry('green', { recoveryDate: daysAgo(100) }), outcome: 'admit', codes: ['evidence_recovered'] },
  { name: 'cache: recovered 181 days ago', credential: CCCD, cached: entry('green', { recoveryDate: daysAgo(181) }), outcome: 'deny', codes: ['no_qualifying_evidence'] },
  { name: 'cache: red whatever the doses', credential: CCCD, cached: entry('red', { doses: 3 }), outcome: 'deny', codes: ['status_red'] },
  { name: 'cache: yellow with 2 doses', credential: CCCD, cached: entry('yellow', { doses: 2 }), outcome: 'review', codes: ['status_yellow', 'evidence_vaccinated'] },
  { name: 'an ID card nobody knows', credential: CCCD, outcome: 'review', codes: ['status_unknown'] },
  { name: 'PC1: 2 doses on the pass', credential: pc1('green', 2), outcome: 'admit', codes: ['evidence_vaccinated', 'status_from_pass'] },
  { name: 'PC1: 1 dose on the pass', credential: pc1('green', 1), outcome: 'deny', codes: ['no_qualifying_evidence', 'status_from_pass'] },
  { name: 'PC1: red on the pass', credential: pc1('red', 3), outcome: 'deny', codes: ['status_red', 'status_from_pass'] },
  { name: 'PC1: the cache entry outranks the pass', credential: pc1('green', 3), cached: entry('green', { doses: 1 }), outcome: 'deny', codes: ['no_qualifying_evidence'] },
  { name: 'DCC: dose 2 of 2', credential: dcc({ type: 'vaccination', doses: 2 }), outcome: 'admit', codes: ['evidence_vaccinated'] },
  { name: 'DCC: dose 1 of 2', credential: dcc({ type: 'vaccination', doses: 1 }), outcome: 'deny', codes: ['no_qualifying_evidence'] },
  { name: 'DCC: negative test 60 h ago', credential: dcc({ type: 'test', hoursAgo: 60 }), outcome: 'admit', codes: ['evidence_negative_test'] },
  { name: 'DCC: negative test 73 h ago', credential: dcc({ type: 'test', hoursAgo: 73 }), outcome: 'deny', codes: ['no_qualifying_evidence'] },
  { name: 'DCC: positive test', credential: dcc({ type: 'test', hoursAgo: 2, detected: true }), outcome: 'deny', codes: ['no_qualifying_evidence'] },
  { name: 'DCC: recovered 100 days ago', credential: dcc({ type: 'recovery', positiveDaysAgo: 100 }), outcome: 'admit', codes: ['evidence_recovered'] },
  { name: 'DCC: recovered 200 days ago', credential: dcc({ type: 'recovery', positiveDaysAgo: 200 }), outcome: 'deny', codes: ['no_qualifying_evidence'] },
  { name: 'DCC: a red cache entry keeps out a good certificate', credential: dcc({ type: 'vaccination', doses: 3 }), cached: entry('red'), outcome: 'deny', codes: ['status_red'] },
];

const EVIDENCE_WITH_RULES: Case[] = [
  { name: 'DCC: dose 2 of 2 meets the rules', credential: dcc({ type: 'vaccination', doses: 2 }), outcome: 'admit', codes: ['dcc_rules_passed', 'evidence_vaccinated'] },
  // The thresholds alone would admit these two: the rules decide.
  { name: 'DCC: dose 2 of a 3-dose series fails the rules', credential: dcc({ type: 'vaccination', doses: 2, series: 3 }), outcome: 'deny', codes: ['dcc_rules_failed'] },
  { name: 'DCC: a test 60 h old fails the 48 h rule', credential: dcc({ type: 'test', hoursAgo: 60 }), outcome: 'deny', codes: ['dcc_rules_failed'] },
  { name: 'DCC: a test 24 h old meets the rules', credential: dcc({ type: 'test', hoursAgo: 24 }), outcome: 'admit', codes: ['dcc_rules_passed', 'evidence_negative_test'] },
  // No recovery rule in the set: the thresholds decide.
  { name: 'DCC: recovery, no rule applies, thresholds decide', credential: dcc({ type: 'recovery', positiveDaysAgo: 100 }), outcome: 'admit', codes: ['evidence_recovered'] },
  { name: 'cache facts are not the rules\' business', credential: CCCD, cached: entry('green', { doses: 2 }), outcome: 'admit', codes: ['evidence_vaccinated'] },
];

describe('preset (b): vaccinated, tested or recovered', () => {
  it.each(EVIDENCE_WITHOUT_RULES.map((c) => [c.name, c] as const))('without rules: %s', (_name, c) => {
    const { decision, laneHalf } = decide(evidencePreset(), c);
    expect(decision.outcome).toBe(c.outcome);
    expect(decision.reasons.map((r) => r.code)).toEqual(c.codes);
    expect(laneHalf).toBeUndefined();
  });

  it.each(EVIDENCE_WITH_RULES.map((c) => [c.name, c] as const))('with the arrival rules: %s', (_name, c) => {
    const { decision } = decide(evidencePreset({ rules: VN_ARRIVAL_RULES }), c);
    expect(decision.outcome).toBe(c.outcome);
    expect(decision.reasons.map((r) => r.code)).toEqual(c.codes);
  });

  it('names the rule that failed and why', () => {
    const { decision } = decide(evidencePreset({ rules: VN_ARRIVAL_RULES }), { name: '', credential: dcc({ type: 'vaccination', doses: 2, series: 3 }), outcome: 'deny', codes: [] });
    expect(decision.reasons[0]?.detail).toMatch(/^VR-VN-0001 \(At least 2 doses, series completed\.\): the Logic evaluated to false/);
  });

  it('refuses a vaccine product outside the rules\' value set', () => {
    const credential = dcc({ type: 'vaccination', doses: 2 });
    const payload = credential.payload as { v: { mp: string }[] };
    const first = payload.v[0];
    if (first !== undefined) first.mp = 'Sputnik-V';
    const { decision } = decide(evidencePreset({ rules: VN_ARRIVAL_RULES }), { name: '', credential, outcome: 'deny', codes: [] });
    expect(decision).toMatchObject({ outcome: 'deny', reasons: [{ code: 'dcc_rules_failed', detail: expect.stringContaining('VR-VN-0002') as unknown }] });
  });
});

// ---- Preset (c): one half of a border lane --------------------------------------------------------

const LANE_HALVES: (Case & { role: 'travel-document' | 'health-certificate' | null })[] = [
  { name: 'a valid passport waits for its certificate', credential: mrz(), role: 'travel-document', outcome: 'review', codes: ['lane_scan_other_document', 'travel_document_valid'] },
  { name: 'an expired passport is refused at once', credential: mrz({ expiryDate: '260101' }), role: 'travel-document', outcome: 'deny', codes: ['travel_document_expired'] },
  { name: 'a passport of someone the cache has red', credential: mrz(), cached: entry('red'), role: 'travel-document', outcome: 'deny', codes: ['travel_document_valid', 'status_red'] },
  { name: 'a visa alone is not the traveller\'s document', credential: mrz({ documentCode: 'V' }), role: null, outcome: 'review', codes: ['lane_document_not_accepted'] },
  { name: 'a good certificate waits for its passport', credential: dcc({ type: 'vaccination', doses: 2 }), role: 'health-certificate', outcome: 'review', codes: ['lane_scan_other_document', 'dcc_rules_passed', 'evidence_vaccinated'] },
  { name: 'a certificate failing the arrival rules is refused at once', credential: dcc({ type: 'test', hoursAgo: 60 }), role: 'health-certificate', outcome: 'deny', codes: ['dcc_rules_failed'] },
  { name: 'a PC1 pass is not what this lane checks', credential: pc1('green', 3), role: null, outcome: 'review', codes: ['lane_document_not_accepted'] },
];

describe('preset (c): border lane, one document at a time', () => {
  it.each(LANE_HALVES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { decision, laneHalf } = decide(borderLanePreset({ rules: VN_ARRIVAL_RULES }), c);
    expect(decision.outcome).toBe(c.outcome);
    expect(decision.reasons.map((r) => r.code)).toEqual(c.codes);
    expect(laneHalf?.role ?? null).toBe(c.role);
  });
});
