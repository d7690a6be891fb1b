// Stage 4, policy: the venue's or lane's rules, as data, turn what is known of a subject (status,
// the cache entry's facts, the credential's own content) into an outcome with reasons. Pure:
// the door rules (clock, stale data) are applied after it by door-rules.ts.
import type { HealthStatus, SubjectStatus, VerifiedCredential } from '../../common/types/credential.js';
import type { EvidencePolicy, Policy, StatusPolicy } from '../../common/types/policy.js';
import type { Reason, ReasonCode } from '../../common/types/reasons.js';
import type { Outcome } from '../../common/types/verdict.js';
import { evaluateDcc, evidenceFromPc1, evidenceFromStatusEntry, type EvidenceJudgement } from './evidence.js';
import { laneHalfOf, NOT_ACCEPTED_IN_LANE, waitingDecision, type LaneHalf } from './lane.js';
import type { StatusEntry } from './status.js';

export interface PolicyDecision {
  outcome: Outcome;
  reasons: Reason[];
}

export interface PolicyInput {
  verified: VerifiedCredential;
  status: SubjectStatus;
  /** The current cache entry behind the status, when there is one. */
  entry: StatusEntry | undefined;
  nowMs: number;
}

export interface PolicyResult {
  decision: PolicyDecision;
  /** In a border lane: the half this scan is, for the lane session to pair. */
  laneHalf?: LaneHalf;
}

const STATUS_REASONS: Record<HealthStatus, ReasonCode> = {
  green: 'status_green',
  yellow: 'status_yellow',
  red: 'status_red',
  unknown: 'status_unknown',
};

/** A status policy: the table says what each status means. */
export function applyPolicy(status: SubjectStatus, policy: StatusPolicy): PolicyDecision {
  const reasons: Reason[] = [{ code: STATUS_REASONS[status.status] }];
  if (status.source === 'pass') reasons.push({ code: 'status_from_pass' });
  return { outcome: policy.outcomes[status.status], reasons };
}

/**
 * An evidence policy. Red keeps anyone out whatever they show; any one piece of evidence admits
 * (a yellow status goes to staff even then). Without any: a DCC that fails, or a person the kiosk knows
 * (cache entry, PC1 pass), is denied with the reason; a person nobody knows goes to staff.
 */
export function applyEvidencePolicy(input: PolicyInput, policy: EvidencePolicy): PolicyDecision {
  const { status, entry, nowMs } = input;
  const { credential } = input.verified;
  const fromPass: Reason[] = status.source === 'pass' ? [{ code: 'status_from_pass' }] : [];
  if (status.status === 'red') return { outcome: 'deny', reasons: [{ code: 'status_red' }, ...fromPass] };

  const judgements: EvidenceJudgement[] = [];
  if (entry !== undefined) judgements.push(evidenceFromStatusEntry(entry, policy.evidence, nowMs));
  else if (credential.kind === 'pc1') judgements.push(evidenceFromPc1(credential, policy.evidence));
  if (credential.kind === 'dcc') judgements.push(evaluateDcc(credential, policy.evidence, policy.rules, nowMs));

  const found = judgements.flatMap((judgement) => (judgement.qualifies ? judgement.reasons : []));
  if (found.length > 0) {
    if (status.status === 'yellow') return { outcome: 'review', reasons: [{ code: 'status_yellow' }, ...found, ...fromPass] };
    return { outcome: 'admit', reasons: [...found, ...fromPass] };
  }
  if (judgements.length === 0) return { outcome: 'review', reasons: [{ code: 'status_unknown' }] };
  const why = judgements.flatMap((judgement) => judgement.reasons);
  return { outcome: 'deny', reasons: [...why, ...fromPass] };
}

export function decidePolicy(input: PolicyInput, policy: Policy): PolicyResult {
  switch (policy.kind) {
    case 'status':
      return { decision: applyPolicy(input.status, policy) };
    case 'evidence':
      return { decision: applyEvidencePolicy(input, policy) };
    case 'border-lane': {
      const half = laneHalfOf(input.verified, input.status, policy, input.nowMs);
      return half === null ? { decision: NOT_ACCEPTED_IN_LANE } : { decision: waitingDecision(half), laneHalf: half };
    }
    default: {
      const unreachable: never = policy;
      return unreachable;
    }
  }
}
