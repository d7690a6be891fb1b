import { describe, expect, it } from 'vitest';
import { parseBusinessRule, type BusinessRule } from './business-rule.js';
import { dccCertificateType, selectRules, validateWithRules, type ExternalParameters, type RuleSelection } from './validate-rules.js';

interface RuleFields {
  id?: string;
  type?: string;
  country?: string;
  version?: string;
  certificateType?: string;
  validFrom?: string;
  validTo?: string;
  engine?: string;
  engineVersion?: string;
  logic?: unknown;
}

function rule(fields: RuleFields = {}): BusinessRule {
  const parsed = parseBusinessRule({
    Identifier: fields.id ?? 'VR-VN-0001',
    Type: fields.type ?? 'Acceptance',
    Country: fields.country ?? 'VN',
    Version: fields.version ?? '1.0.0',
    SchemaVersion: '1.0.0',
    Engine: fields.engine ?? 'CERTLOGIC',
    EngineVersion: fields.engineVersion ?? '0.7.5',
    CertificateType: fields.certificateType ?? 'Vaccination',
    Description: [{ lang: 'en', desc: 'A rule written for the tests of rule selection.' }],
    ValidFrom: fields.validFrom ?? '2021-06-01T00:00:00Z',
    ValidTo: fields.validTo ?? '2030-06-01T00:00:00Z',
    AffectedFields: ['v.0'],
    Logic: fields.logic ?? { if: [{ var: 'payload.v.0' }, true, false] },
  });
  if (!parsed.ok) throw new Error(`test rule does not parse: ${parsed.problems.join('; ')}`);
  return parsed.value;
}

const at = (iso: string): RuleSelection => ({
  type: 'Acceptance',
  country: 'VN',
  certificateType: 'Vaccination',
  atMillis: Date.parse(iso),
});

const ids = (rules: readonly BusinessRule[]) => rules.map((item) => `${item.identifier}@${item.version.text}`);

describe('selectRules', () => {
  it('keeps the arrival country’s rules of the type asked for', () => {
    const rules = [rule(), rule({ id: 'VR-DE-0001', country: 'DE' }), rule({ id: 'IR-VN-0001', type: 'Invalidation' })];
    expect(ids(selectRules(rules, at('2022-01-01T00:00:00Z')))).toEqual(['VR-VN-0001@1.0.0']);
    expect(ids(selectRules(rules, { ...at('2022-01-01T00:00:00Z'), country: 'de' }))).toEqual(['VR-DE-0001@1.0.0']);
  });

  it('keeps General rules and those of the certificate’s type', () => {
    const rules = [
      rule({ id: 'GR-VN-0001', certificateType: 'General' }),
      rule({ id: 'VR-VN-0001' }),
      rule({ id: 'TR-VN-0001', certificateType: 'Test' }),
      rule({ id: 'RR-VN-0001', certificateType: 'Recovery' }),
    ];
    expect(ids(selectRules(rules, at('2022-01-01T00:00:00Z')))).toEqual(['GR-VN-0001@1.0.0', 'VR-VN-0001@1.0.0']);
    expect(ids(selectRules(rules, { ...at('2022-01-01T00:00:00Z'), certificateType: 'Test' }))).toEqual([
      'GR-VN-0001@1.0.0',
      'TR-VN-0001@1.0.0',
    ]);
  });

  it('keeps rules valid at the clock: from ValidFrom (included) to ValidTo (excluded)', () => {
    const rules = [rule({ validFrom: '2022-01-01T00:00:00Z', validTo: '2022-02-01T00:00:00+01:00' })];
    expect(selectRules(rules, at('2021-12-31T23:59:59Z'))).toEqual([]);
    expect(selectRules(rules, at('2022-01-01T00:00:00Z'))).toHaveLength(1);
    expect(selectRules(rules, at('2022-01-31T22:59:59Z'))).toHaveLength(1);
    expect(selectRules(rules, at('2022-01-31T23:00:00Z'))).toEqual([]);
  });

  it('keeps the highest version of each identifier among those valid at the clock', () => {
    const rules = [
      rule({ version: '1.0.9' }),
      rule({ version: '1.0.10' }),
      rule({ version: '1.0.2' }),
      rule({ version: '2.0.0', validFrom: '2023-01-01T00:00:00Z' }),
    ];
    expect(ids(selectRules(rules, at('2022-06-01T00:00:00Z')))).toEqual(['VR-VN-0001@1.0.10']);
    expect(ids(selectRules(rules, at('2023-06-01T00:00:00Z')))).toEqual(['VR-VN-0001@2.0.0']);
  });
});

describe('dccCertificateType', () => {
  it.each([
    [{ v: [{ dn: 1 }] }, 'Vaccination'],
    [{ t: [{ tt: 'x' }] }, 'Test'],
    [{ r: [{ fr: '2021-01-01' }] }, 'Recovery'],
    [{ v: [], t: [{ tt: 'x' }] }, 'Test'],
    [{ v: [{}], t: [{}] }, undefined],
    [{}, undefined],
    [null, undefined],
  ])('%j is %s', (payload, expected) => {
    expect(dccCertificateType(payload)).toBe(expected);
  });
});

describe('validateWithRules', () => {
  const external: ExternalParameters = {
    validationClock: '2022-03-01T10:00:00Z',
    valueSets: { 'vaccines-covid-19-names': ['EU/1/20/1528', 'EU/1/20/1507'] },
    countryCode: 'VN',
    issuerCountryCode: 'DE',
  };
  const payload = { ver: '1.3.0', v: [{ mp: 'EU/1/20/1528', dn: 2, sd: 2, dt: '2021-12-01' }] };

  const outcomes = (rules: BusinessRule[], withPayload: unknown = payload) => {
    const result = validateWithRules(rules, withPayload, external, 'Vaccination');
    if (!result.ok) throw new Error(result.problem);
    return result.value;
  };

  it('evaluates each selected rule on { payload, external }', () => {
    const rules = [
      rule({ id: 'VR-VN-0001', logic: { in: [{ var: 'payload.v.0.mp' }, { var: 'external.valueSets.vaccines-covid-19-names' }] } }),
      rule({
        id: 'VR-VN-0002',
        logic: {
          'not-before': [{ plusTime: [{ var: 'external.validationClock' }, 0, 'day'] }, { plusTime: [{ var: 'payload.v.0.dt' }, 14, 'day'] }],
        },
      }),
    ];
    expect(outcomes(rules)).toMatchObject({ passed: true, outcomes: [{ passed: true }, { passed: true }] });
    const other = { ...payload, v: [{ ...payload.v[0], mp: 'Sputnik-V' }] };
    expect(outcomes(rules, other)).toMatchObject({
      passed: false,
      outcomes: [{ passed: false, failure: 'logic_false' }, { passed: true }],
    });
  });

  it('fails a rule whose evaluation fails, without throwing', () => {
    const verdict = outcomes([rule({ logic: { after: [{ var: 'payload.v.0.dt' }, 1] } })]);
    expect(verdict).toMatchObject({ passed: false, outcomes: [{ passed: false, failure: 'evaluation_error' }] });
  });

  it('fails a rule whose Logic is not valid CertLogic or not boolean', () => {
    expect(outcomes([rule({ logic: { some: [{ var: 'payload.v' }, true] } })]).outcomes).toMatchObject([{ failure: 'logic_invalid' }]);
    expect(outcomes([rule({ logic: { if: [true, 'yes', { var: 'payload.v' }] } })]).outcomes).toMatchObject([
      { failure: 'logic_not_boolean' },
    ]);
  });

  it('fails a rule this engine cannot stand in for', () => {
    expect(outcomes([rule({ engine: 'JSONLOGIC' })]).outcomes).toMatchObject([{ failure: 'engine_unsupported' }]);
    expect(outcomes([rule({ engineVersion: '2.0.0' })]).outcomes).toMatchObject([{ failure: 'engine_unsupported' }]);
    expect(outcomes([rule()], { ...payload, ver: '2.0.0' }).outcomes).toMatchObject([{ failure: 'schema_version_mismatch' }]);
    expect(outcomes([rule()], { v: payload.v }).outcomes).toMatchObject([{ failure: 'schema_version_mismatch' }]);
  });

  it('adds the issuing country’s Invalidation rules', () => {
    const rules = [rule(), rule({ id: 'IR-DE-0001', type: 'Invalidation', country: 'DE', certificateType: 'General', logic: { '!': [{ var: 'payload.v.0' }] } })];
    expect(outcomes(rules)).toMatchObject({
      passed: false,
      outcomes: [{ rule: { identifier: 'VR-VN-0001' }, passed: true }, { rule: { identifier: 'IR-DE-0001' }, failure: 'logic_false' }],
    });
  });

  it('passes when no rule applies (the caller decides what that means)', () => {
    expect(outcomes([rule({ country: 'FR', id: 'VR-FR-0001' })])).toEqual({ passed: true, outcomes: [] });
  });

  it('refuses a validation clock that is not a date-time', () => {
    expect(validateWithRules([rule()], payload, { ...external, validationClock: 'now' }, 'Vaccination')).toMatchObject({ ok: false });
  });
});
