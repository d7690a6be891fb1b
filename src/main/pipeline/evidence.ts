// Part of stage 4 (policy), pure: what counts as evidence of protection. Vaccinated (enough
// doses), tested negative recently or recovered recently; read from the status cache entry's
// facts, a PC1 pass's vaccination summary, or an EU DCC's own content. A DCC is judged by the
// arrival country's business rules when the policy carries rules that apply to it (CertLogic,
// src/common/rules), else by the policy's thresholds.
import type { DccCredential, Pc1Credential } from '../../common/types/credential.js';
import type { CarriedRules, EvidenceThresholds } from '../../common/types/policy.js';
import type { Reason } from '../../common/types/reasons.js';
import { ruleDescription } from '../../common/rules/business-rule.js';
import { dccCertificateType, validateWithRules, type ExternalParameters } from '../../common/rules/validate-rules.js';
import type { StatusEntry } from './status.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** A test sample or dose a few minutes "in the future" is a clock difference, not a forgery. */
const FUTURE_SKEW_MS = 5 * 60_000;
/** SNOMED CT codes of a test result (DCC value set covid-19-lab-result). */
export const TEST_NOT_DETECTED = '260415000';
export const TEST_DETECTED = '260373001';

/** What qualifies (evidence_* and dcc_rules_passed), or why what was presented does not. */
export type EvidenceJudgement = { qualifies: true; reasons: Reason[] } | { qualifies: false; reasons: Reason[] };

function hoursText(ms: number): string {
  return `${Math.floor(ms / HOUR_MS)} h`;
}

/** Start of an ISO date (or date-time) in ms, or NaN. */
function instantOf(text: unknown): number {
  return typeof text === 'string' && text !== '' ? Date.parse(text) : Number.NaN;
}

function negativeTestEvidence(takenAt: number, thresholds: EvidenceThresholds, nowMs: number, source: string): Reason | string {
  const age = nowMs - takenAt;
  if (!Number.isFinite(age) || age < -FUTURE_SKEW_MS) return `${source}: test time is missing or in the future`;
  if (age > thresholds.negativeTestHours * HOUR_MS) {
    return `${source}: negative test ${hoursText(age)} ago; at most ${thresholds.negativeTestHours} h counts`;
  }
  return { code: 'evidence_negative_test', detail: `${source}: sample taken ${new Date(takenAt).toISOString()}` };
}

function recoveryEvidence(sinceAt: number, thresholds: EvidenceThresholds, nowMs: number, source: string): Reason | string {
  const age = nowMs - sinceAt;
  if (!Number.isFinite(age) || age < -FUTURE_SKEW_MS) return `${source}: recovery date is missing or in the future`;
  if (age > thresholds.recoveryDays * DAY_MS) {
    return `${source}: recovered ${Math.floor(age / DAY_MS)} days ago; at most ${thresholds.recoveryDays} days count`;
  }
  return { code: 'evidence_recovered', detail: `${source}: since ${new Date(sinceAt).toISOString().slice(0, 10)}` };
}

function dosesEvidence(doses: number, thresholds: EvidenceThresholds, source: string, lastDose?: string | null): Reason | string {
  if (doses < thresholds.minDoses) return `${source}: ${doses} dose(s); ${thresholds.minDoses} needed`;
  return { code: 'evidence_vaccinated', detail: `${source}: ${doses} doses${lastDose ? `, last on ${lastDose}` : ''}` };
}

function judged(results: readonly (Reason | string)[]): EvidenceJudgement {
  const found = results.filter((result): result is Reason => typeof result !== 'string');
  if (found.length > 0) return { qualifies: true, reasons: found };
  const why = results.filter((result): result is string => typeof result === 'string');
  return { qualifies: false, reasons: [{ code: 'no_qualifying_evidence', detail: why.join('; ') || 'no vaccination, test or recovery on record' }] };
}

/** The facts of a current status cache entry. */
export function evidenceFromStatusEntry(entry: StatusEntry, thresholds: EvidenceThresholds, nowMs: number): EvidenceJudgement {
  const results: (Reason | string)[] = [dosesEvidence(entry.doses ?? 0, thresholds, 'status record', entry.lastDoseDate)];
  if (entry.lastNegativeTestAt !== undefined && entry.lastNegativeTestAt !== null) {
    results.push(negativeTestEvidence(entry.lastNegativeTestAt, thresholds, nowMs, 'status record'));
  }
  if (entry.recoveryDate !== undefined && entry.recoveryDate !== null) {
    results.push(recoveryEvidence(instantOf(entry.recoveryDate), thresholds, nowMs, 'status record'));
  }
  return judged(results);
}

/** A PC1 pass's signed vaccination summary (used when the cache has no entry for its holder). */
export function evidenceFromPc1(credential: Pc1Credential, thresholds: EvidenceThresholds): EvidenceJudgement {
  return judged([dosesEvidence(credential.vaccination.doses, thresholds, 'pass', credential.vaccination.lastDoseDate)]);
}

function ownEntry(payload: unknown, key: 'v' | 't' | 'r'): Readonly<Record<string, unknown>> | null {
  if (typeof payload !== 'object' || payload === null || !Object.hasOwn(payload, key)) return null;
  const list: unknown = Reflect.get(payload, key);
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  return typeof first === 'object' && first !== null && !Array.isArray(first) ? (first as Readonly<Record<string, unknown>>) : null;
}

/** A DCC's content against the policy's thresholds, as the certificate states it. */
export function evidenceFromDccContent(credential: DccCredential, thresholds: EvidenceThresholds, nowMs: number): EvidenceJudgement {
  switch (credential.certificateType) {
    case 'vaccination': {
      const v = ownEntry(credential.payload, 'v');
      const dn = typeof v?.dn === 'number' ? v.dn : 0;
      const sd = typeof v?.sd === 'number' ? v.sd : 0;
      const given = instantOf(v?.dt);
      if (!Number.isFinite(given) || given - nowMs > FUTURE_SKEW_MS) return judged(['certificate: vaccination date is missing or in the future']);
      const result = dosesEvidence(dn, thresholds, 'certificate', typeof v?.dt === 'string' ? v.dt : null);
      return judged([typeof result === 'string' ? `${result} (dose ${dn} of ${sd})` : result]);
    }
    case 'test': {
      const t = ownEntry(credential.payload, 't');
      if (t?.tr !== TEST_NOT_DETECTED) {
        return judged([`certificate: test result ${t?.tr === TEST_DETECTED ? 'detected (positive)' : `"${String(t?.tr)}"`}`]);
      }
      return judged([negativeTestEvidence(instantOf(t.sc), thresholds, nowMs, 'certificate')]);
    }
    case 'recovery': {
      const r = ownEntry(credential.payload, 'r');
      const validFrom = instantOf(r?.df);
      // du is the last day the certificate holds (a date): valid through its end.
      const validUntil = instantOf(r?.du) + DAY_MS;
      if (Number.isFinite(validFrom) && nowMs < validFrom) return judged([`certificate: valid only from ${String(r?.df)}`]);
      if (Number.isFinite(validUntil) && nowMs >= validUntil) return judged([`certificate: valid only until ${String(r?.du)}`]);
      return judged([recoveryEvidence(instantOf(r?.fr), thresholds, nowMs, 'certificate')]);
    }
    default: {
      const unreachable: never = credential.certificateType;
      return unreachable;
    }
  }
}

const EVIDENCE_OF_TYPE = { vaccination: 'evidence_vaccinated', test: 'evidence_negative_test', recovery: 'evidence_recovered' } as const;

function isoOf(seconds: number): string | undefined {
  const ms = seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : undefined;
}

/** The external parameters the EU validation apps pass to rules: arrival country, clock, certificate facts. */
export function externalParametersOf(credential: DccCredential, rules: CarriedRules, nowMs: number): ExternalParameters {
  const exp = isoOf(credential.expiresAt);
  const iat = isoOf(credential.issuedAt);
  const issuer = credential.issuer.toUpperCase();
  return {
    validationClock: new Date(nowMs).toISOString(),
    valueSets: rules.valueSets,
    countryCode: rules.arrivalCountry,
    ...(exp === undefined ? {} : { exp }),
    ...(iat === undefined ? {} : { iat }),
    // The CWT issuer is the issuing country's code; whose Invalidation rules apply.
    ...(/^[A-Z]{2}$/.test(issuer) ? { issuerCountryCode: issuer } : {}),
    kid: Buffer.from(credential.signature.kid).toString('base64'),
  };
}

/**
 * A verified DCC as evidence. With rules that apply to it (the arrival country's Acceptance
 * rules, the issuing country's Invalidation rules, for its type, at the clock), the rules decide;
 * with none, the certificate's content is held against the thresholds.
 */
export function evaluateDcc(
  credential: DccCredential,
  thresholds: EvidenceThresholds,
  rules: CarriedRules | null,
  nowMs: number,
): EvidenceJudgement {
  if (rules === null) return evidenceFromDccContent(credential, thresholds, nowMs);
  const certificateType = dccCertificateType(credential.payload);
  if (certificateType === undefined) {
    return { qualifies: false, reasons: [{ code: 'dcc_rules_failed', detail: 'the certificate holds not exactly one of v, t, r' }] };
  }
  const result = validateWithRules(rules.rules, credential.payload, externalParametersOf(credential, rules, nowMs), certificateType);
  if (!result.ok) return { qualifies: false, reasons: [{ code: 'dcc_rules_failed', detail: result.problem }] };
  const { outcomes, passed } = result.value;
  if (outcomes.length === 0) return evidenceFromDccContent(credential, thresholds, nowMs);
  if (passed) {
    return {
      qualifies: true,
      reasons: [
        { code: 'dcc_rules_passed', detail: `${outcomes.length} rule(s) of ${rules.arrivalCountry}: ${outcomes.map((o) => o.rule.identifier).join(', ')}` },
        { code: EVIDENCE_OF_TYPE[credential.certificateType], detail: `certificate, by the rules of ${rules.arrivalCountry}` },
      ],
    };
  }
  const failed = outcomes.flatMap((outcome) =>
    outcome.passed ? [] : [`${outcome.rule.identifier} (${ruleDescription(outcome.rule, 'en') ?? outcome.failure}): ${outcome.detail}`],
  );
  return { qualifies: false, reasons: [{ code: 'dcc_rules_failed', detail: failed.join('; ').slice(0, 500) }] };
}
