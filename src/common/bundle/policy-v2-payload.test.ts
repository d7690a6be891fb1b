import { describe, expect, it } from 'vitest';
import { parseBusinessRule } from '../rules/business-rule.js';
import {
  borderLanePreset,
  DEFAULT_DOOR_RULES,
  DEFAULT_VENUE_POLICY,
  evidencePreset,
  greenOnlyPreset,
  type CarriedRules,
  type Policy,
} from '../types/policy.js';
import { encodeCanonical } from './bundle-format.js';
import { decodePolicyPayload, encodePolicyPayload, POLICY_FORMAT_STATUS, POLICY_FORMAT_V2 } from './policy-payload.js';
import { businessRuleJson, policyV2Map } from './policy-v2-payload.js';

const RULE_JSON = {
  Identifier: 'VR-VN-0001',
  Type: 'Acceptance',
  Country: 'VN',
  Version: '1.0.0',
  SchemaVersion: '1.3.0',
  Engine: 'CERTLOGIC',
  EngineVersion: '1.0.0',
  CertificateType: 'Vaccination',
  Description: [{ lang: 'en', desc: 'At least 2 doses.' }],
  ValidFrom: '2021-06-01T00:00:00Z',
  ValidTo: '2030-06-01T00:00:00Z',
  AffectedFields: ['v.0.dn'],
  Logic: { '>=': [{ var: 'payload.v.0.dn' }, 2] },
};

function rules(): CarriedRules {
  const parsed = parseBusinessRule(RULE_JSON);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return { arrivalCountry: 'VN', rules: [parsed.value], valueSets: { 'vaccines-covid-19-names': ['EU/1/20/1528'] } };
}

function roundTrip(policy: Policy): Policy {
  const decoded = decodePolicyPayload(encodePolicyPayload({ format: POLICY_FORMAT_V2, policy }));
  if (!decoded.ok) throw new Error(`${decoded.code}: ${decoded.detail}`);
  return decoded.value.policy;
}

/** The v2 map of a policy with one field replaced (or removed with undefined), encoded. */
function mutated(policy: Policy, key: string, value: unknown, inner?: string): Uint8Array {
  const map = policyV2Map(policy);
  if (inner === undefined) {
    if (value === undefined) map.delete(key);
    else map.set(key, value);
  } else {
    const nested = map.get(key);
    if (!(nested instanceof Map)) throw new Error(`${key} is not a map`);
    nested.set(inner, value);
  }
  return encodeCanonical(map);
}

describe('policy bundle format policy-v2', () => {
  it.each<[string, Policy]>([
    ['(a) green only', greenOnlyPreset()],
    ['(b) evidence without rules', evidencePreset()],
    ['(b) evidence with the arrival rules', evidencePreset({ rules: rules() })],
    ['(c) border lane', borderLanePreset({ rules: rules() })],
  ])('carries preset %s whole', (_name, policy) => {
    const back = roundTrip(policy);
    expect(JSON.stringify(back, (key, value: unknown) => (key === 'compiledLogic' ? undefined : value))).toBe(
      JSON.stringify(policy, (key, value: unknown) => (key === 'compiledLogic' ? undefined : value)),
    );
    if (back.kind !== 'status' && back.rules !== null) {
      // The rule is parsed and compiled again on the kiosk: ready to evaluate.
      expect(back.rules.rules[0]?.compiledLogic.ok).toBe(true);
      expect(businessRuleJson(back.rules.rules[0] ?? parseFail())).toEqual(RULE_JSON);
    }
  });

  it('writes the default door rules for a status policy that names none', () => {
    expect(roundTrip(DEFAULT_VENUE_POLICY)).toEqual({ ...DEFAULT_VENUE_POLICY, door: DEFAULT_DOOR_RULES });
  });

  it('still reads status-v1 bundles', () => {
    const decoded = decodePolicyPayload(encodePolicyPayload({ format: POLICY_FORMAT_STATUS, policy: DEFAULT_VENUE_POLICY }));
    expect(decoded).toEqual({ ok: true, value: { format: POLICY_FORMAT_STATUS, policy: DEFAULT_VENUE_POLICY } });
  });

  it('refuses a format it does not know as a newer version, whatever its fields', () => {
    const decoded = decodePolicyPayload(encodeCanonical(new Map<string, unknown>([['format', 'policy-v9'], ['anything', 1]])));
    expect(decoded).toMatchObject({ ok: false, code: 'unsupported_version' });
  });

  it.each<[string, () => Uint8Array, string, RegExp]>([
    ['an unknown kind', () => mutated(greenOnlyPreset(), 'kind', 'hospital'), 'unsupported_version', /policy kind "hospital"/],
    ['a field of another kind', () => mutated(greenOnlyPreset(), 'laneSeconds', 60), 'malformed', /a status policy is/],
    ['a missing field', () => mutated(borderLanePreset(), 'laneSeconds', undefined), 'malformed', /a border-lane policy is/],
    ['a duplicate window of a day', () => mutated(greenOnlyPreset(), 'door', 86_400, 'duplicateSeconds'), 'malformed', /door\.duplicateSeconds must be a whole number from 0 to 3600/],
    ['no doses needed', () => mutated(evidencePreset(), 'evidence', 0, 'minDoses'), 'malformed', /evidence\.minDoses/],
    ['a stale rule it does not know', () => mutated(evidencePreset(), 'door', 'ignore', 'stale'), 'malformed', /door\.stale/],
    ['a warn rule without its hours', () => mutated(borderLanePreset(), 'door', 'warn', 'stale'), 'malformed', /door\.staleMaxHours/],
    ['a lane window of a second', () => mutated(borderLanePreset(), 'laneSeconds', 1), 'malformed', /laneSeconds/],
    ['rules that are not a list', () => mutated(evidencePreset({ rules: rules() }), 'rules', '{', 'rules'), 'malformed', /rules\.rules is not a list/],
    ['a rule that is not JSON', () => mutated(evidencePreset({ rules: rules() }), 'rules', ['{'], 'rules'), 'malformed', /policy rule 0 is not valid JSON/],
    [
      'a rule missing its Logic',
      () => mutated(evidencePreset({ rules: rules() }), 'rules', [JSON.stringify({ ...RULE_JSON, Logic: undefined })], 'rules'),
      'malformed',
      /policy rule 0: Logic is missing/,
    ],
    ['an arrival country that is not a code', () => mutated(evidencePreset({ rules: rules() }), 'rules', 'Vietnam', 'arrival'), 'malformed', /two-letter/],
  ])('refuses %s', (_name, bytes, code, detail) => {
    const decoded = decodePolicyPayload(bytes());
    expect(decoded).toMatchObject({ ok: false, code });
    if (!decoded.ok) expect(decoded.detail).toMatch(detail);
  });
});

function parseFail(): never {
  throw new Error('no rule');
}
