// Stage 4, policy: the venue's or lane's rules, as data, turn a subject's status into an
// outcome with reasons.
import type { HealthStatus, SubjectStatus } from '../../common/types/credential.js';
import type { Policy } from '../../common/types/policy.js';
import type { Reason, ReasonCode } from '../../common/types/reasons.js';
import type { Outcome } from '../../common/types/verdict.js';

export interface PolicyDecision {
  outcome: Outcome;
  reasons: Reason[];
}

const STATUS_REASONS: Record<HealthStatus, ReasonCode> = {
  green: 'status_green',
  yellow: 'status_yellow',
  red: 'status_red',
  unknown: 'status_unknown',
};

export function applyPolicy(status: SubjectStatus, policy: Policy): PolicyDecision {
  switch (policy.kind) {
    case 'status': {
      const reasons: Reason[] = [{ code: STATUS_REASONS[status.status] }];
      if (status.source === 'pass') reasons.push({ code: 'status_from_pass' });
      return { outcome: policy.outcomes[status.status], reasons };
    }
    default: {
      const unreachable: never = policy.kind;
      return unreachable;
    }
  }
}
