// Rule selection and evaluation as the EU DCC validation apps do it: the rules of the arrival
// country (Acceptance) and of the issuing country (Invalidation) that apply to the certificate's
// type, valid at the validation clock, in their highest version; each rule's Logic evaluated on
// { payload, external }. A rule passes only when its Logic evaluates to true; false, any other
// value, an error, an invalid Logic or an engine this evaluator cannot stand in for all fail it.
import { CERTLOGIC_SPEC_VERSION } from '../certlogic/version.js';
import { parseCertLogicDateTime } from '../certlogic/date-time.js';
import { evaluateCompiledCertLogic } from '../certlogic/evaluate.js';
import { describeCertLogicValue } from '../certlogic/values.js';
import {
  compareRuleVersions,
  parseRuleVersion,
  type BusinessRule,
  type RuleCertificateType,
  type RuleType,
} from './business-rule.js';

/** The certificate types a DCC holds (one of v, t, r); General rules apply to all of them. */
export type DccCertificateType = Exclude<RuleCertificateType, 'General'>;

/**
 * The external parameters, the `external` half of the data context. Key names and formats are
 * those of the EU validation apps: date-times as ISO 8601 strings, value sets as code lists.
 */
export interface ExternalParameters {
  /** The verification time ("now"), e.g. "2022-03-01T10:00:00Z". */
  readonly validationClock: string;
  /** Value set id -> its codes, e.g. "vaccines-covid-19-names" -> ["EU/1/20/1528", ...]. */
  readonly valueSets: Readonly<Record<string, readonly string[]>>;
  /** Arrival country: whose Acceptance rules apply. */
  readonly countryCode: string;
  /** Certificate expiry and issue time (CWT exp, iat) as ISO 8601 date-times. */
  readonly exp?: string;
  readonly iat?: string;
  /** Issuing country: whose Invalidation rules apply. */
  readonly issuerCountryCode?: string;
  readonly kid?: string;
  readonly region?: string;
}

export interface RuleSelection {
  readonly type: RuleType;
  readonly country: string;
  readonly certificateType: DccCertificateType;
  /** The validation clock as an instant (ms since the epoch). */
  readonly atMillis: number;
}

export type RuleFailure =
  /** The Logic evaluated to false: the certificate does not meet the rule. */
  | 'logic_false'
  /** The Logic evaluated to something other than a boolean. */
  | 'logic_not_boolean'
  /** The Logic is not valid CertLogic. */
  | 'logic_invalid'
  /** Evaluation failed (type mismatch, malformed date, ...). */
  | 'evaluation_error'
  /** The rule needs another engine, or a newer CertLogic than this one. */
  | 'engine_unsupported'
  /** The rule was written for another major version of the DCC schema than the certificate's. */
  | 'schema_version_mismatch';

export type RuleOutcome =
  | { readonly rule: BusinessRule; readonly passed: true }
  | { readonly rule: BusinessRule; readonly passed: false; readonly failure: RuleFailure; readonly detail: string };

export interface RulesVerdict {
  /** One outcome per selected rule, ordered by rule type then identifier. */
  readonly outcomes: readonly RuleOutcome[];
  /** True when every selected rule passed (also when none was selected: the caller decides). */
  readonly passed: boolean;
}

export type RulesVerdictResult =
  | { readonly ok: true; readonly value: RulesVerdict }
  | { readonly ok: false; readonly problem: string };

const SUPPORTED_ENGINE = 'CERTLOGIC';
const SUPPORTED_ENGINE_VERSION = parseRuleVersion(CERTLOGIC_SPEC_VERSION);

/** The type of a DCC payload: the one of v (vaccination), t (test), r (recovery) it holds. */
export function dccCertificateType(payload: unknown): DccCertificateType | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const holds = (key: string) => {
    const entries: unknown = Object.hasOwn(payload, key) ? Reflect.get(payload, key) : undefined;
    return Array.isArray(entries) && entries.length > 0;
  };
  const types: DccCertificateType[] = [];
  if (holds('v')) types.push('Vaccination');
  if (holds('t')) types.push('Test');
  if (holds('r')) types.push('Recovery');
  const [only] = types;
  return types.length === 1 ? only : undefined;
}

/**
 * The rules that apply: of the given type and country, for the certificate type or General,
 * with validFrom <= clock < validTo, and of those the highest Version per Identifier (on equal
 * versions, the one valid from later). Ordered by Identifier.
 */
export function selectRules(rules: readonly BusinessRule[], selection: RuleSelection): BusinessRule[] {
  const country = selection.country.toUpperCase();
  const latest = new Map<string, BusinessRule>();
  for (const rule of rules) {
    if (rule.type !== selection.type || rule.country !== country) continue;
    if (rule.certificateType !== 'General' && rule.certificateType !== selection.certificateType) continue;
    if (!(rule.validFromMillis <= selection.atMillis && selection.atMillis < rule.validToMillis)) continue;
    const current = latest.get(rule.identifier);
    const order = current === undefined ? 1 : compareRuleVersions(rule.version, current.version);
    if (order > 0 || (order === 0 && current !== undefined && rule.validFromMillis > current.validFromMillis)) {
      latest.set(rule.identifier, rule);
    }
  }
  return [...latest.values()].sort((left, right) => (left.identifier < right.identifier ? -1 : left.identifier > right.identifier ? 1 : 0));
}

/** The data context a rule's Logic reads: { payload, external }, with nothing added. */
export function ruleDataContext(payload: unknown, external: unknown): { payload: unknown; external: unknown } {
  return { payload, external };
}

/** Evaluates one rule's Logic on a data context; never throws. */
export function evaluateRuleLogic(rule: BusinessRule, data: unknown): RuleOutcome {
  if (!rule.compiledLogic.ok) {
    const [first] = rule.compiledLogic.issues;
    return { rule, passed: false, failure: 'logic_invalid', detail: `the Logic is not valid CertLogic: ${first?.message ?? 'invalid'}` };
  }
  const result = evaluateCompiledCertLogic(rule.compiledLogic.value, data);
  if (!result.ok) return { rule, passed: false, failure: 'evaluation_error', detail: result.error.message };
  if (result.value === true) return { rule, passed: true };
  if (result.value === false) return { rule, passed: false, failure: 'logic_false', detail: 'the Logic evaluated to false' };
  return {
    rule,
    passed: false,
    failure: 'logic_not_boolean',
    detail: `the Logic evaluated to ${describeCertLogicValue(result.value)}, not a boolean`,
  };
}

function engineProblem(rule: BusinessRule, payload: unknown): RuleOutcome | undefined {
  if (rule.engine.toUpperCase() !== SUPPORTED_ENGINE) {
    return { rule, passed: false, failure: 'engine_unsupported', detail: `the rule needs the engine "${rule.engine}"` };
  }
  if (SUPPORTED_ENGINE_VERSION === undefined || compareRuleVersions(rule.engineVersion, SUPPORTED_ENGINE_VERSION) > 0) {
    return {
      rule,
      passed: false,
      failure: 'engine_unsupported',
      detail: `the rule needs CertLogic ${rule.engineVersion.text}; this evaluator implements ${CERTLOGIC_SPEC_VERSION}`,
    };
  }
  const ver: unknown = typeof payload === 'object' && payload !== null && Object.hasOwn(payload, 'ver') ? Reflect.get(payload, 'ver') : undefined;
  const payloadVersion = typeof ver === 'string' ? parseRuleVersion(ver) : undefined;
  if (payloadVersion === undefined || payloadVersion.major !== rule.schemaVersion.major) {
    return {
      rule,
      passed: false,
      failure: 'schema_version_mismatch',
      detail:
        payloadVersion === undefined
          ? 'the certificate names no schema version (ver)'
          : `the rule is for DCC schema ${rule.schemaVersion.text}, the certificate is ${payloadVersion.text}`,
    };
  }
  return undefined;
}

/**
 * Validates a DCC payload against a rule set as the EU validation apps do: selects the arrival
 * country's Acceptance rules and the issuing country's Invalidation rules (when
 * `issuerCountryCode` is given) for the certificate type at the validation clock, and evaluates
 * each on { payload, external }. Never throws; fails only when the validation clock is not a
 * date-time.
 */
export function validateWithRules(
  rules: readonly BusinessRule[],
  payload: unknown,
  external: ExternalParameters,
  certificateType: DccCertificateType,
): RulesVerdictResult {
  const clock = parseCertLogicDateTime(external.validationClock);
  if (clock === undefined) return { ok: false, problem: `the validation clock is not a date-time: "${external.validationClock}"` };
  const at = { certificateType, atMillis: clock.epochMillis };
  const selected = [
    ...selectRules(rules, { ...at, type: 'Acceptance', country: external.countryCode }),
    ...(external.issuerCountryCode === undefined
      ? []
      : selectRules(rules, { ...at, type: 'Invalidation', country: external.issuerCountryCode })),
  ];
  const data = ruleDataContext(payload, external);
  const outcomes = selected.map((rule) => engineProblem(rule, payload) ?? evaluateRuleLogic(rule, data));
  return { ok: true, value: { outcomes, passed: outcomes.every((outcome) => outcome.passed) } };
}
