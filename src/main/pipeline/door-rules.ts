// Part of stage 4 (policy), pure: the door rules every policy carries, applied to its decision
// from read-only state (the installed bundles' ages) and the injected clock.
//   clock    the device clock against the newest signed bundle's issue time (the publisher's
//            clock at signing: "now" cannot be earlier). Behind: admits become reviews. Far
//            ahead: reported, the outcome stands.
//   stale    status data past its newest bundle's expiry: a venue warns (up to N hours old,
//            then reviews), a border lane reviews.
import type { ClockRule, DoorRules, StaleCacheRule } from '../../common/types/policy.js';
import type { Reason } from '../../common/types/reasons.js';
import type { BundleAge, BundleFreshness } from './freshness.js';
import type { PolicyDecision } from './policy.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export type ClockState = 'ok' | 'behind' | 'ahead' | 'no_bundles';

export interface ClockCheck {
  state: ClockState;
  /** Issue time of the newest installed bundle (ms), null with none. */
  newestIssuedAt: number | null;
  /** now - newestIssuedAt, negative when the clock is behind; null with no bundles. */
  offsetMs: number | null;
  /** The reason verdicts carry while the clock is off, null when it is fine. */
  reason: Reason | null;
}

export interface StaleCheck {
  /** Past the newest status bundle's expiry. */
  stale: boolean;
  /** Age of the status data (ms since its newest bundle was issued); null without status data. */
  ageMs: number | null;
  /** What the rule says: a warning, a review, or nothing. */
  reason: Reason | null;
  downgradeAdmit: boolean;
}

export interface DoorCheck {
  clock: ClockCheck;
  stale: StaleCheck;
}

function hours(ms: number): string {
  return `${(ms / HOUR_MS).toFixed(1)} h`;
}

function describe(age: BundleAge): string {
  return `${age.type} #${age.sequence} issued ${new Date(age.issuedAt).toISOString()}`;
}

export function checkClock(ages: readonly BundleAge[], rule: ClockRule, nowMs: number): ClockCheck {
  let newest: BundleAge | null = null;
  for (const age of ages) if (newest === null || age.issuedAt > newest.issuedAt) newest = age;
  if (newest === null) return { state: 'no_bundles', newestIssuedAt: null, offsetMs: null, reason: null };
  const offsetMs = nowMs - newest.issuedAt;
  const clock = new Date(nowMs).toISOString();
  if (offsetMs < -rule.maxBehindMinutes * MINUTE_MS) {
    return {
      state: 'behind',
      newestIssuedAt: newest.issuedAt,
      offsetMs,
      reason: { code: 'clock_behind', detail: `clock ${clock} is ${hours(-offsetMs)} behind ${describe(newest)}` },
    };
  }
  if (offsetMs > rule.maxAheadHours * HOUR_MS) {
    return {
      state: 'ahead',
      newestIssuedAt: newest.issuedAt,
      offsetMs,
      reason: { code: 'clock_ahead', detail: `clock ${clock} is ${hours(offsetMs)} after ${describe(newest)}; more than ${rule.maxAheadHours} h` },
    };
  }
  return { state: 'ok', newestIssuedAt: newest.issuedAt, offsetMs, reason: null };
}

/** The status data's head: the newest status bundle (a delta brings a snapshot up to date). */
function statusHead(ages: readonly BundleAge[]): BundleAge | null {
  let head: BundleAge | null = null;
  for (const age of ages) {
    if (age.type !== 'status-snapshot' && age.type !== 'status-delta') continue;
    if (head === null || age.issuedAt > head.issuedAt) head = age;
  }
  return head;
}

export function checkStaleness(ages: readonly BundleAge[], rule: StaleCacheRule): StaleCheck {
  const head = statusHead(ages);
  if (head === null) return { stale: false, ageMs: null, reason: null, downgradeAdmit: false };
  if (!head.stale) return { stale: false, ageMs: head.ageMs, reason: null, downgradeAdmit: false };
  const detail = `status data ${hours(head.ageMs)} old (${describe(head)}, expired ${new Date(head.expiresAt).toISOString()})`;
  switch (rule.action) {
    case 'warn':
      return head.ageMs <= rule.maxAgeHours * HOUR_MS
        ? { stale: true, ageMs: head.ageMs, reason: { code: 'cache_stale', detail }, downgradeAdmit: false }
        : { stale: true, ageMs: head.ageMs, reason: { code: 'cache_too_old', detail: `${detail}; more than ${rule.maxAgeHours} h` }, downgradeAdmit: true };
    case 'review':
      return { stale: true, ageMs: head.ageMs, reason: { code: 'cache_too_old', detail }, downgradeAdmit: true };
    default: {
      const unreachable: never = rule;
      return unreachable;
    }
  }
}

const NO_AGES: readonly BundleAge[] = [];

/** The door of a kiosk with no bundles: nothing to say. */
export const NO_DOOR_CHECK: DoorCheck = {
  clock: { state: 'no_bundles', newestIssuedAt: null, offsetMs: null, reason: null },
  stale: { stale: false, ageMs: null, reason: null, downgradeAdmit: false },
};

export function checkDoor(freshness: BundleFreshness | undefined, rules: DoorRules, nowMs: number): DoorCheck {
  const ages = freshness === undefined ? NO_AGES : freshness.ages(nowMs);
  return { clock: checkClock(ages, rules.clock, nowMs), stale: checkStaleness(ages, rules.staleCache) };
}

/** The decision with the door's reasons after the policy's; an admit the door cannot vouch for becomes a review. */
export function applyDoorRules(decision: PolicyDecision, door: DoorCheck): PolicyDecision {
  const { clock, stale } = door;
  if (clock.reason === null && stale.reason === null) return decision;
  const reasons = [...decision.reasons];
  if (clock.reason !== null) reasons.push(clock.reason);
  if (stale.reason !== null) reasons.push(stale.reason);
  const downgrade = clock.state === 'behind' || stale.downgradeAdmit;
  return { outcome: downgrade && decision.outcome === 'admit' ? 'review' : decision.outcome, reasons };
}

/** Only the clock's reason, for verdicts no policy decided (a pass refused by verification). */
export function clockReasons(door: DoorCheck): Reason[] {
  return door.clock.reason === null ? [] : [door.clock.reason];
}
