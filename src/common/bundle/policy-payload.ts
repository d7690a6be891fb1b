// The policy bundle: the venue's or lane's rules as data. Today a status policy (what each
// health status means at this door); the rules issue adds formats, each named by "format" so an
// older kiosk refuses what it cannot apply instead of misreading it.
import { HEALTH_STATUSES } from '../types/credential.js';
import type { Policy, StatusPolicy } from '../types/policy.js';
import { OUTCOMES, type Outcome } from '../types/verdict.js';
import { decodeCanonical, encodeCanonical, hasOnlyKeys, readText } from './bundle-format.js';
import { bundleFail, bundleOk, type BundleResult } from './bundle-types.js';
import { decodePolicyV2Map, POLICY_FORMAT_V2, policyV2Map } from './policy-v2-payload.js';

export const POLICY_FORMAT_STATUS = 'status-v1';
export { POLICY_FORMAT_V2 };

/** status-v1: a status table only; policy-v2 (policy-v2-payload.ts): every policy kind with its door rules and EU rules. */
export type PolicyPayload = { format: typeof POLICY_FORMAT_STATUS; policy: StatusPolicy } | { format: typeof POLICY_FORMAT_V2; policy: Policy };

export function encodePolicyPayload(payload: PolicyPayload): Uint8Array {
  if (payload.format === POLICY_FORMAT_V2) return encodeCanonical(policyV2Map(payload.policy));
  return encodeCanonical(
    new Map<string, unknown>([
      ['format', payload.format],
      ['id', payload.policy.id],
      ['outcomes', new Map(HEALTH_STATUSES.map((status) => [status, payload.policy.outcomes[status]]))],
    ]),
  );
}

export function decodePolicyPayload(bytes: Uint8Array): BundleResult<PolicyPayload> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return decoded;
  const map = decoded.value;
  if (!(map instanceof Map)) return bundleFail('malformed', 'policy is not a map');
  // The format first: a newer format's fields are not this kiosk's to judge.
  const format = readText(map, 'format');
  if (format === POLICY_FORMAT_V2) {
    const policy = decodePolicyV2Map(map);
    return policy.ok ? bundleOk({ format: POLICY_FORMAT_V2, policy: policy.value }) : policy;
  }
  if (format !== POLICY_FORMAT_STATUS) {
    return bundleFail('unsupported_version', `policy format ${JSON.stringify(format)}; this kiosk applies ${POLICY_FORMAT_STATUS} and ${POLICY_FORMAT_V2}`);
  }
  if (!hasOnlyKeys(map, ['format', 'id', 'outcomes'])) return bundleFail('malformed', 'policy is not {format, id, outcomes}');
  const id = readText(map, 'id');
  const outcomes = map.get('outcomes');
  if (id === undefined || id === '' || !(outcomes instanceof Map) || !hasOnlyKeys(outcomes, HEALTH_STATUSES)) {
    return bundleFail('malformed', 'policy without an id or with outcomes for unknown statuses');
  }
  const table = {} as Record<(typeof HEALTH_STATUSES)[number], Outcome>;
  for (const status of HEALTH_STATUSES) {
    const outcome = OUTCOMES.find((o) => o === outcomes.get(status));
    if (outcome === undefined) return bundleFail('malformed', `policy gives no admit/deny/review for ${status}`);
    table[status] = outcome;
  }
  return bundleOk({ format: POLICY_FORMAT_STATUS, policy: { kind: 'status', id, outcomes: table } });
}
