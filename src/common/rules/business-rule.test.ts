import { describe, expect, it } from 'vitest';
import { compareRuleVersions, parseBusinessRule, parseRuleVersion, ruleDescription } from './business-rule.js';

const ruleJson = {
  Identifier: 'VR-EU-0002',
  Type: 'Acceptance',
  Country: 'EU',
  Version: '1.0.2',
  SchemaVersion: '1.0.0',
  Engine: 'CERTLOGIC',
  EngineVersion: '0.7.5',
  CertificateType: 'Vaccination',
  Description: [
    { lang: 'en', desc: 'The vaccination schedule must be complete.' },
    { lang: 'de', desc: 'Die Impfserie muss vollständig sein.' },
  ],
  ValidFrom: '2021-07-01T00:00:00Z',
  ValidTo: '2030-06-01T00:00:00Z',
  AffectedFields: ['v.0', 'v.0.dn', 'v.0.sd'],
  Logic: { if: [{ var: 'payload.v.0' }, { '>=': [{ var: 'payload.v.0.dn' }, { var: 'payload.v.0.sd' }] }, true] },
};

describe('parseBusinessRule', () => {
  it('reads a rule in the Gateway format', () => {
    const parsed = parseBusinessRule(ruleJson);
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        identifier: 'VR-EU-0002',
        type: 'Acceptance',
        country: 'EU',
        version: { major: 1, minor: 0, patch: 2 },
        certificateType: 'Vaccination',
        validFromMillis: Date.parse('2021-07-01T00:00:00Z'),
        validToMillis: Date.parse('2030-06-01T00:00:00Z'),
        affectedFields: ['v.0', 'v.0.dn', 'v.0.sd'],
        compiledLogic: { ok: true },
      },
    });
  });

  it('names every missing or mistyped field', () => {
    const { Identifier: _identifier, ...withoutIdentifier } = ruleJson;
    const parsed = parseBusinessRule({ ...withoutIdentifier, Type: 'Other', Version: 'one', ValidTo: '2020-01-01T00:00:00Z', Logic: true });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      'Identifier is missing',
      'Type is not one of Acceptance, Invalidation',
      'Version is not a version (major.minor.patch): "one"',
      'ValidFrom is not before ValidTo',
      'Logic is not a CertLogic expression object',
    ]);
  });

  it.each([null, [], 'rule', 1])('rejects %j', (json) => {
    expect(parseBusinessRule(json).ok).toBe(false);
  });

  it('keeps a rule whose Logic is invalid CertLogic, so that it fails when evaluated', () => {
    const parsed = parseBusinessRule({ ...ruleJson, Logic: { unknownOperation: [1] } });
    expect(parsed).toMatchObject({ ok: true, value: { compiledLogic: { ok: false } } });
  });

  it('picks the description in a language, else English', () => {
    const parsed = parseBusinessRule(ruleJson);
    if (!parsed.ok) throw new Error('the sample rule must parse');
    expect(ruleDescription(parsed.value, 'DE')).toBe('Die Impfserie muss vollständig sein.');
    expect(ruleDescription(parsed.value, 'vi')).toBe('The vaccination schedule must be complete.');
  });
});

describe('rule versions', () => {
  it('compare numerically, not as text', () => {
    const version = (text: string) => {
      const parsed = parseRuleVersion(text);
      if (parsed === undefined) throw new Error(`not a version: ${text}`);
      return parsed;
    };
    expect(compareRuleVersions(version('1.0.10'), version('1.0.9'))).toBeGreaterThan(0);
    expect(compareRuleVersions(version('2.0.0'), version('10.0.0'))).toBeLessThan(0);
    expect(compareRuleVersions(version('1.2.3'), version('1.2.3'))).toBe(0);
    expect(parseRuleVersion('1.0')).toBeUndefined();
  });
});
