import { describe, expect, it } from 'vitest';
import type { HealthStatus, StatusSourceKind } from '../../common/types/credential.js';
import { DEFAULT_VENUE_POLICY, type StatusPolicy } from '../../common/types/policy.js';
import { applyPolicy } from './policy.js';

describe('policy stage', () => {
  it.each<[HealthStatus, StatusSourceKind, string, string[]]>([
    ['green', 'cache', 'admit', ['status_green']],
    ['green', 'pass', 'admit', ['status_green', 'status_from_pass']],
    ['yellow', 'cache', 'review', ['status_yellow']],
    ['red', 'cache', 'deny', ['status_red']],
    ['red', 'pass', 'deny', ['status_red', 'status_from_pass']],
    ['unknown', 'cache', 'review', ['status_unknown']],
  ])('venue default: %s from %s -> %s', (status, source, outcome, codes) => {
    const decision = applyPolicy({ status, source }, DEFAULT_VENUE_POLICY);
    expect(decision.outcome).toBe(outcome);
    expect(decision.reasons.map((reason) => reason.code)).toEqual(codes);
  });

  it('follows the policy data, not a built-in table', () => {
    const strict: StatusPolicy = { kind: 'status', id: 'hospital', outcomes: { green: 'admit', yellow: 'deny', red: 'deny', unknown: 'deny' } };
    expect(applyPolicy({ status: 'yellow', source: 'cache' }, strict).outcome).toBe('deny');
  });
});
