// Part of stage 4 (policy), pure: a border lane's two documents. Each scan is one half: a travel
// document (MRZ: check digits already verified by the decoder; here, not expired and not a visa
// alone) or an EU DCC (valid under the arrival rules). The lane session in main
// (lane-session.ts) keeps the first half until the second arrives and combines them here: the
// worse of the two outcomes, and the holders must agree (a different date of birth is another
// person's certificate: deny; a differently spelt name goes to the guard: review).
import type { DccCredential, IdentityCredential, SubjectStatus, VerifiedCredential } from '../../common/types/credential.js';
import type { BorderLanePolicy } from '../../common/types/policy.js';
import type { Reason } from '../../common/types/reasons.js';
import type { Outcome } from '../../common/types/verdict.js';
import { evaluateDcc } from './evidence.js';
import type { PolicyDecision } from './policy.js';

const DAY_MS = 86_400_000;

export type LaneRole = 'travel-document' | 'health-certificate';

export interface LaneHalf {
  role: LaneRole;
  /** The document on its own: admit when it is good, deny when it is not (review on a yellow status). */
  decision: PolicyDecision;
  /** Spellings of the holder's name to compare; kept in memory only, never logged or shown. */
  names: readonly string[];
  dateOfBirth: string | null;
}

const SEVERITY: Record<Outcome, number> = { admit: 0, review: 1, deny: 2 };

export function worstOutcome(...outcomes: Outcome[]): Outcome {
  let worst: Outcome = 'admit';
  for (const outcome of outcomes) if (SEVERITY[outcome] > SEVERITY[worst]) worst = outcome;
  return worst;
}

/** A red status in the cache keeps anyone out; yellow sends them to the guard; the rest says nothing here. */
function withStatus(decision: PolicyDecision, status: SubjectStatus): PolicyDecision {
  if (status.source !== 'cache') return decision;
  switch (status.status) {
    case 'red':
      return { outcome: 'deny', reasons: [...decision.reasons, { code: 'status_red' }] };
    case 'yellow':
      return { outcome: worstOutcome(decision.outcome, 'review'), reasons: [...decision.reasons, { code: 'status_yellow' }] };
    case 'green':
    case 'unknown':
      return decision;
    default: {
      const unreachable: never = status.status;
      return unreachable;
    }
  }
}

function travelDocumentHalf(credential: IdentityCredential, nowMs: number): LaneHalf | null {
  const { identity, holder } = credential;
  // A visa is read with the passport it is in; alone it is not the traveller's document.
  if (identity.documentCode === undefined || identity.documentCode.startsWith('V')) return null;
  const names = [holder.name];
  if (identity.surname !== undefined) names.push(`${identity.surname} ${identity.givenNames ?? ''}`);
  const what = `${identity.documentCode} of ${identity.issuingState ?? '?'}, expires ${identity.expiryDate ?? '?'}`;
  const expiresAt = identity.expiryDate === undefined ? Number.NaN : Date.parse(identity.expiryDate);
  // Valid through its expiry date.
  const expired = !Number.isFinite(expiresAt) || nowMs >= expiresAt + DAY_MS;
  const decision: PolicyDecision = expired
    ? { outcome: 'deny', reasons: [{ code: 'travel_document_expired', detail: what }] }
    : { outcome: 'admit', reasons: [{ code: 'travel_document_valid', detail: what }] };
  return { role: 'travel-document', decision, names, dateOfBirth: holder.dateOfBirth };
}

function transliteratedName(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null || !Object.hasOwn(payload, 'nam')) return null;
  const nam: unknown = Reflect.get(payload, 'nam');
  if (typeof nam !== 'object' || nam === null) return null;
  const part = (key: string): string => {
    const value: unknown = Object.hasOwn(nam, key) ? Reflect.get(nam, key) : undefined;
    return typeof value === 'string' ? value.replace(/<+/g, ' ') : '';
  };
  const name = `${part('fnt')} ${part('gnt')}`.trim();
  return name === '' ? null : name;
}

function healthCertificateHalf(credential: DccCredential, policy: BorderLanePolicy, nowMs: number): LaneHalf {
  const judged = evaluateDcc(credential, policy.evidence, policy.rules, nowMs);
  const names = [credential.holder.name];
  // The ICAO transliteration (fnt, gnt) is what a passport's MRZ spells.
  const icao = transliteratedName(credential.payload);
  if (icao !== null) names.push(icao);
  return {
    role: 'health-certificate',
    decision: { outcome: judged.qualifies ? 'admit' : 'deny', reasons: judged.reasons },
    names,
    dateOfBirth: credential.holder.dateOfBirth,
  };
}

/** The half a scan is in a border lane, or null when it is neither a travel document nor a DCC. */
export function laneHalfOf(verified: VerifiedCredential, status: SubjectStatus, policy: BorderLanePolicy, nowMs: number): LaneHalf | null {
  const { credential } = verified;
  let half: LaneHalf | null;
  switch (credential.kind) {
    case 'mrz':
      half = travelDocumentHalf(credential, nowMs);
      break;
    case 'dcc':
      half = healthCertificateHalf(credential, policy, nowMs);
      break;
    case 'pc1':
    case 'pccovid-v1':
    case 'health-declaration':
    case 'cccd':
      half = null;
      break;
    default: {
      const unreachable: never = credential;
      return unreachable;
    }
  }
  return half === null ? null : { ...half, decision: withStatus(half.decision, status) };
}

/** What one half shows while its pair is awaited: the guard scans the other document. */
export function waitingDecision(half: LaneHalf): PolicyDecision {
  if (half.decision.outcome === 'deny') return half.decision;
  return { outcome: 'review', reasons: [{ code: 'lane_scan_other_document' }, ...half.decision.reasons] };
}

export const NOT_ACCEPTED_IN_LANE: PolicyDecision = { outcome: 'review', reasons: [{ code: 'lane_document_not_accepted' }] };

/** Upper-case Latin letters only, one space between words: "Nguyễn  Đức-Anh" -> ["NGUYEN", "DUC", "ANH"]. */
export function nameTokens(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'D')
    .replace(/ß/g, 'SS')
    .toUpperCase()
    .split(/[^A-Z]+/)
    .filter((token) => token.length > 0);
}

/**
 * Same person by name: every word of the shorter spelling is a word of the longer one (a middle
 * name may be left out), in any order (documents order surname and given names differently).
 */
export function namesAgree(left: string, right: string): boolean {
  const a = nameTokens(left);
  const b = nameTokens(right);
  if (a.length === 0 || b.length === 0) return false;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  const pool = [...longer];
  for (const token of shorter) {
    const at = pool.indexOf(token);
    if (at < 0) return false;
    pool.splice(at, 1);
  }
  return true;
}

/** Same date of birth, as far as both know it ("1983", "1983-08" and "1983-08-12" agree). */
export function birthDatesAgree(left: string | null, right: string | null): boolean {
  if (left === null || right === null) return true;
  return left.length <= right.length ? right.startsWith(left) : left.startsWith(right);
}

export function holderMismatch(document: LaneHalf, certificate: LaneHalf): PolicyDecision {
  const reasons: Reason[] = [];
  let outcome: Outcome = 'admit';
  if (!birthDatesAgree(document.dateOfBirth, certificate.dateOfBirth)) {
    outcome = 'deny';
    // No dates in the detail: details travel to screens and logs, a date of birth is personal data.
    reasons.push({ code: 'holder_birth_date_mismatch' });
  }
  const agree = document.names.some((d) => certificate.names.some((c) => namesAgree(d, c)));
  if (!agree) {
    outcome = worstOutcome(outcome, 'review');
    reasons.push({ code: 'holder_name_mismatch' });
  }
  return { outcome, reasons };
}

/** Both documents of one traveller, in either order. */
export function combineLaneHalves(first: LaneHalf, second: LaneHalf): PolicyDecision {
  const [document, certificate] = first.role === 'travel-document' ? [first, second] : [second, first];
  const match = holderMismatch(document, certificate);
  return {
    outcome: worstOutcome(document.decision.outcome, certificate.decision.outcome, match.outcome),
    reasons: [...document.decision.reasons, ...certificate.decision.reasons, ...match.reasons],
  };
}
