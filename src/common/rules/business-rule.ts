// EU DCC business rules in the DCC Gateway's validation-rule format (Identifier, Type, Country,
// Version, SchemaVersion, Engine, EngineVersion, CertificateType, Description, ValidFrom, ValidTo,
// AffectedFields, Logic). Parsing checks what selection and evaluation rely on and names every
// problem; the Logic is compiled here, and an invalid Logic stays with the rule so that it fails
// when evaluated instead of silently dropping out of the rule set.
import { compileCertLogic, type CompileResult } from '../certlogic/compile.js';
import { parseCertLogicDateTime } from '../certlogic/date-time.js';

export const RULE_TYPES = ['Acceptance', 'Invalidation'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const RULE_CERTIFICATE_TYPES = ['General', 'Vaccination', 'Test', 'Recovery'] as const;
export type RuleCertificateType = (typeof RULE_CERTIFICATE_TYPES)[number];

/** A semantic version as rules write it ("1.0.2"); anything after the patch number is kept as written. */
export interface RuleVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly text: string;
}

export interface RuleDescription {
  readonly lang: string;
  readonly desc: string;
}

export interface BusinessRule {
  readonly identifier: string;
  readonly type: RuleType;
  /** ISO 3166 alpha-2 code of the country that set the rule ("EU" for the EU templates). */
  readonly country: string;
  readonly version: RuleVersion;
  readonly schemaVersion: RuleVersion;
  readonly engine: string;
  readonly engineVersion: RuleVersion;
  readonly certificateType: RuleCertificateType;
  readonly descriptions: readonly RuleDescription[];
  /** As written, and as instants: the rule applies from validFrom (inclusive) to validTo (exclusive). */
  readonly validFrom: string;
  readonly validTo: string;
  readonly validFromMillis: number;
  readonly validToMillis: number;
  readonly affectedFields: readonly string[];
  /** The Logic as written, and compiled; an invalid Logic makes every evaluation of the rule fail. */
  readonly logic: unknown;
  readonly compiledLogic: CompileResult;
}

export type BusinessRuleResult =
  | { readonly ok: true; readonly value: BusinessRule }
  | { readonly ok: false; readonly problems: readonly string[] };

const VERSION = /^(\d+)\.(\d+)\.(\d+)/;
const COUNTRY = /^[A-Z]{2}$/;

export function parseRuleVersion(text: string): RuleVersion | undefined {
  const match = VERSION.exec(text);
  if (match === null) return undefined;
  const [, major, minor, patch] = match;
  return { major: Number(major), minor: Number(minor), patch: Number(patch), text };
}

/** Negative, zero or positive as `left` is lower than, equal to or higher than `right`. */
export function compareRuleVersions(left: RuleVersion, right: RuleVersion): number {
  return left.major - right.major || left.minor - right.minor || left.patch - right.patch;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** Reads one rule.json value; every missing or mistyped field is named. */
export function parseBusinessRule(json: unknown): BusinessRuleResult {
  if (!isRecord(json)) return { ok: false, problems: ['a rule must be a JSON object'] };
  const problems: string[] = [];
  const text = (field: string): string | undefined => {
    const value = json[field];
    if (typeof value === 'string' && value !== '') return value;
    problems.push(`${field} is ${value === undefined ? 'missing' : 'not a non-empty string'}`);
    return undefined;
  };
  const version = (field: string): RuleVersion | undefined => {
    const value = text(field);
    if (value === undefined) return undefined;
    const parsed = parseRuleVersion(value);
    if (parsed === undefined) problems.push(`${field} is not a version (major.minor.patch): "${value}"`);
    return parsed;
  };
  const instant = (field: string): { text: string; millis: number } | undefined => {
    const value = text(field);
    if (value === undefined) return undefined;
    const parsed = parseCertLogicDateTime(value);
    if (parsed === undefined) problems.push(`${field} is not a date-time: "${value}"`);
    return parsed === undefined ? undefined : { text: value, millis: parsed.epochMillis };
  };

  const identifier = text('Identifier');
  const type = json.Type;
  if (!isOneOf(RULE_TYPES, type)) problems.push(`Type is not one of ${RULE_TYPES.join(', ')}`);
  const country = text('Country');
  if (country !== undefined && !COUNTRY.test(country)) problems.push(`Country is not a two-letter code: "${country}"`);
  const ruleVersion = version('Version');
  const schemaVersion = version('SchemaVersion');
  const engine = text('Engine');
  const engineVersion = version('EngineVersion');
  const certificateType = json.CertificateType;
  if (!isOneOf(RULE_CERTIFICATE_TYPES, certificateType)) {
    problems.push(`CertificateType is not one of ${RULE_CERTIFICATE_TYPES.join(', ')}`);
  }
  const descriptions: RuleDescription[] = [];
  const description = json.Description;
  if (!Array.isArray(description) || description.length === 0) {
    problems.push('Description is not a non-empty list of {lang, desc}');
  } else {
    for (const item of description) {
      if (isRecord(item) && typeof item.lang === 'string' && typeof item.desc === 'string') {
        descriptions.push({ lang: item.lang, desc: item.desc });
      } else {
        problems.push('Description holds an entry that is not {lang, desc} with two strings');
        break;
      }
    }
  }
  const validFrom = instant('ValidFrom');
  const validTo = instant('ValidTo');
  if (validFrom !== undefined && validTo !== undefined && validFrom.millis >= validTo.millis) {
    problems.push('ValidFrom is not before ValidTo');
  }
  const affected = json.AffectedFields;
  const affectedFields = Array.isArray(affected) ? affected.filter((field): field is string => typeof field === 'string') : [];
  if (!Array.isArray(affected) || affectedFields.length !== affected.length) problems.push('AffectedFields is not a list of strings');
  if (!('Logic' in json)) problems.push('Logic is missing');
  else if (!isRecord(json.Logic)) problems.push('Logic is not a CertLogic expression object');

  if (
    problems.length > 0 ||
    identifier === undefined ||
    !isOneOf(RULE_TYPES, type) ||
    country === undefined ||
    ruleVersion === undefined ||
    schemaVersion === undefined ||
    engine === undefined ||
    engineVersion === undefined ||
    !isOneOf(RULE_CERTIFICATE_TYPES, certificateType) ||
    validFrom === undefined ||
    validTo === undefined
  ) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    value: {
      identifier,
      type,
      country,
      version: ruleVersion,
      schemaVersion,
      engine,
      engineVersion,
      certificateType,
      descriptions,
      validFrom: validFrom.text,
      validTo: validTo.text,
      validFromMillis: validFrom.millis,
      validToMillis: validTo.millis,
      affectedFields,
      logic: json.Logic,
      compiledLogic: compileCertLogic(json.Logic),
    },
  };
}

/** The description in `lang`, else in English, else the first one. */
export function ruleDescription(rule: BusinessRule, lang: string): string | undefined {
  const pick = (wanted: string) => rule.descriptions.find((item) => item.lang.toLowerCase() === wanted.toLowerCase());
  return (pick(lang) ?? pick('en') ?? rule.descriptions[0])?.desc;
}
