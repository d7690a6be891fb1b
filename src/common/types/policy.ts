// Policies are data (DESIGN.md, "policy" stage): what a door requires, shipped as signed policy
// bundles (src/common/bundle/policy-payload.ts). Three kinds:
//   status       what each health status means at this door (preset "green status only");
//   evidence     vaccinated, recently tested negative or recently recovered, from the status
//                cache's facts, a PC1 pass's vaccination summary or an EU DCC's own content,
//                the DCC evaluated with the arrival country's business rules when carried;
//   border-lane  a valid travel document (MRZ) plus a DCC valid under the arrival rules, two
//                scans of one traveller combined by the lane session in main.
// Every kind carries door rules: what a stale status cache means, the duplicate window and the
// clock tolerances (see DoorRules).
import type { BusinessRule } from '../rules/business-rule.js';
import type { HealthStatus } from './credential.js';
import type { Outcome } from './verdict.js';

/**
 * What stale status data means here. Status data is stale once its newest status bundle is past
 * its expiry. "warn" (venues): a verdict stays as it is, with a "status data N hours old"
 * reason, while the data is at most `maxAgeHours` old; older, an admit becomes a review.
 * "review" (border lanes): any admit on stale data becomes a review.
 */
export type StaleCacheRule = { action: 'warn'; maxAgeHours: number } | { action: 'review' };

/**
 * The device clock against the newest signed bundle installed (its issue time is the
 * publisher's clock, so it bounds "now" from below). Behind it by more than `maxBehindMinutes`
 * the clock is wrong for certain: admits become reviews, since a clock set back makes expired
 * passes look valid. Ahead by more than `maxAheadHours`, either the clock is wrong or the kiosk
 * has not synced for that long: staff are told, the outcome stands (a clock ahead only makes
 * passes look older, never valid).
 */
export interface ClockRule {
  maxBehindMinutes: number;
  maxAheadHours: number;
}

export interface DoorRules {
  staleCache: StaleCacheRule;
  /** The same code scanned again within this many seconds is "already checked in", not a new check-in. 0: off. */
  duplicateWindowSeconds: number;
  clock: ClockRule;
}

/** Publisher clocks may run minutes ahead of a kiosk's; three days covers a venue closed over a weekend. */
export const DEFAULT_CLOCK_RULE: ClockRule = { maxBehindMinutes: 5, maxAheadHours: 72 };

/**
 * Door rules of a status policy that names none (status-v1 bundles, DEFAULT_VENUE_POLICY): stale
 * data warns up to a day, and no duplicate window, so a kiosk without a policy bundle logs every
 * scan as it always did.
 */
export const DEFAULT_DOOR_RULES: DoorRules = {
  staleCache: { action: 'warn', maxAgeHours: 24 },
  duplicateWindowSeconds: 0,
  clock: DEFAULT_CLOCK_RULE,
};

export interface StatusPolicy {
  kind: 'status';
  id: string;
  outcomes: Record<HealthStatus, Outcome>;
  /** Absent in status-v1 bundles: DEFAULT_DOOR_RULES apply. */
  door?: DoorRules;
}

/** Thresholds for evidence read from the status cache, a PC1 pass or a DCC without rules. */
export interface EvidenceThresholds {
  minDoses: number;
  /** A negative test counts for this many hours after the sample was taken. */
  negativeTestHours: number;
  /** A recovery counts for this many days after the first positive test (or the recovery date). */
  recoveryDays: number;
}

/** EU DCC business rules a policy carries: the arrival country's Acceptance rules apply. */
export interface CarriedRules {
  /** ISO 3166 alpha-2 code of the arrival country ("VN"). */
  arrivalCountry: string;
  rules: readonly BusinessRule[];
  /** Value set id -> codes, as the rules' `external.valueSets` reads them. */
  valueSets: Readonly<Record<string, readonly string[]>>;
}

export interface EvidencePolicy {
  kind: 'evidence';
  id: string;
  evidence: EvidenceThresholds;
  /** When present, a DCC is judged by the rules that apply to it; without any, by the thresholds. */
  rules: CarriedRules | null;
  door: DoorRules;
}

export interface BorderLanePolicy {
  kind: 'border-lane';
  id: string;
  evidence: EvidenceThresholds;
  rules: CarriedRules | null;
  /** The traveller's second document must be scanned within this many seconds of the first. */
  laneWindowSeconds: number;
  door: DoorRules;
}

export type Policy = StatusPolicy | EvidencePolicy | BorderLanePolicy;
export type PolicyKind = Policy['kind'];
export const POLICY_KINDS: readonly PolicyKind[] = ['status', 'evidence', 'border-lane'];

export function doorRulesOf(policy: Policy): DoorRules {
  return policy.door ?? DEFAULT_DOOR_RULES;
}

/** Venue default: green enters, red stays out, anything uncertain goes to staff. */
export const DEFAULT_VENUE_POLICY: StatusPolicy = {
  kind: 'status',
  id: 'venue-status-v1',
  outcomes: { green: 'admit', yellow: 'review', red: 'deny', unknown: 'review' },
};

// ---- Presets: what the publisher starts from ----------------------------------------------

/** Venue door rules: stale data admits with a warning for a day, the same code within a minute is one check-in. */
export const VENUE_DOOR_RULES: DoorRules = {
  staleCache: { action: 'warn', maxAgeHours: 24 },
  duplicateWindowSeconds: 60,
  clock: DEFAULT_CLOCK_RULE,
};

/**
 * Border door rules: stale data sends the traveller to review; no duplicate window (a rescan in
 * the lane replaces the document waiting for its pair, which is what a guard means by it).
 */
export const BORDER_DOOR_RULES: DoorRules = {
  staleCache: { action: 'review' },
  duplicateWindowSeconds: 0,
  clock: DEFAULT_CLOCK_RULE,
};

export const DEFAULT_EVIDENCE: EvidenceThresholds = { minDoses: 2, negativeTestHours: 72, recoveryDays: 180 };

/** Preset (a): the health status alone decides; only green enters. */
export function greenOnlyPreset(id = 'venue-green-only-v1'): StatusPolicy {
  return { kind: 'status', id, outcomes: { ...DEFAULT_VENUE_POLICY.outcomes }, door: VENUE_DOOR_RULES };
}

/** Preset (b): 2 doses, a negative test within 72 h or a recovery within 180 days. */
export function evidencePreset(options: { id?: string; rules?: CarriedRules | null } = {}): EvidencePolicy {
  return {
    kind: 'evidence',
    id: options.id ?? 'venue-evidence-v1',
    evidence: DEFAULT_EVIDENCE,
    rules: options.rules ?? null,
    door: VENUE_DOOR_RULES,
  };
}

/** Preset (c): a travel document and a DCC valid under the arrival rules, within three minutes. */
export function borderLanePreset(options: { id?: string; rules?: CarriedRules | null } = {}): BorderLanePolicy {
  return {
    kind: 'border-lane',
    id: options.id ?? 'border-lane-v1',
    evidence: DEFAULT_EVIDENCE,
    rules: options.rules ?? null,
    laneWindowSeconds: 180,
    door: BORDER_DOOR_RULES,
  };
}
