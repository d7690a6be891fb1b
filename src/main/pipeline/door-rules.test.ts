import { describe, expect, it } from 'vitest';
import type { BundleType } from '../../common/bundle/bundle-types.js';
import { BORDER_DOOR_RULES, DEFAULT_DOOR_RULES, VENUE_DOOR_RULES, type DoorRules } from '../../common/types/policy.js';
import type { ReasonCode } from '../../common/types/reasons.js';
import type { Outcome } from '../../common/types/verdict.js';
import { applyDoorRules, checkDoor, type ClockState } from './door-rules.js';
import { bundleAge, NO_BUNDLES, type BundleFreshness } from './freshness.js';
import { FIXED_NOW_MS } from './test-fixtures.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface Installed {
  type: BundleType;
  issuedAt: number;
  expiresAt: number;
}

function freshnessOf(bundles: readonly Installed[]): BundleFreshness {
  const ages = (nowMs: number) => bundles.map((b, i) => bundleAge({ ...b, sequence: i + 1 }, nowMs));
  return { ages, ageOf: (type, nowMs) => ages(nowMs).find((age) => age.type === type) ?? null };
}

const ADMIT = { outcome: 'admit' as const, reasons: [{ code: 'status_green' as const }] };
const DENY = { outcome: 'deny' as const, reasons: [{ code: 'status_red' as const }] };

describe('door rules: the clock against the newest signed bundle', () => {
  // The newest bundle (a status delta) was signed at T; the device clock reads T + offset.
  const T = FIXED_NOW_MS;
  const installed = freshnessOf([
    { type: 'key-list', issuedAt: T - 30 * DAY_MS, expiresAt: T + 300 * DAY_MS },
    { type: 'status-snapshot', issuedAt: T - 2 * HOUR_MS, expiresAt: T + 10 * DAY_MS },
    { type: 'status-delta', issuedAt: T, expiresAt: T + 10 * DAY_MS },
  ]);

  it.each<[string, number, ClockState, Outcome, ReasonCode[]]>([
    ['an hour after the newest bundle', HOUR_MS, 'ok', 'admit', ['status_green']],
    ['4 minutes before it (publisher clock skew)', -4 * MINUTE_MS, 'ok', 'admit', ['status_green']],
    ['6 minutes before it', -6 * MINUTE_MS, 'behind', 'review', ['status_green', 'clock_behind']],
    ['set back a month', -30 * DAY_MS, 'behind', 'review', ['status_green', 'clock_behind']],
    ['71 hours after it (a weekend offline)', 71 * HOUR_MS, 'ok', 'admit', ['status_green']],
    ['73 hours after it', 73 * HOUR_MS, 'ahead', 'admit', ['status_green', 'clock_ahead']],
    ['set forward a year', 365 * DAY_MS, 'ahead', 'admit', ['status_green', 'clock_ahead']],
  ])('clock %s: %s, an admit becomes %s', (_name, offset, state, outcome, codes) => {
    // Door rules without stale data in play: a year ahead also makes the status data stale.
    const rules: DoorRules = { ...DEFAULT_DOOR_RULES, staleCache: { action: 'warn', maxAgeHours: 24 * 400 } };
    const door = checkDoor(installed, rules, T + offset);
    expect(door.clock.state).toBe(state);
    expect(door.clock.offsetMs).toBe(offset);
    const decided = applyDoorRules(ADMIT, door);
    expect(decided.outcome).toBe(outcome === 'admit' && door.stale.downgradeAdmit ? 'review' : outcome);
    expect(decided.reasons.map((r) => r.code).filter((c) => c !== 'cache_stale')).toEqual(codes);
  });

  it('keeps a deny a deny, and says the clock is behind', () => {
    const decided = applyDoorRules(DENY, checkDoor(installed, DEFAULT_DOOR_RULES, T - DAY_MS));
    expect(decided).toEqual({ outcome: 'deny', reasons: [{ code: 'status_red' }, { code: 'clock_behind', detail: expect.stringMatching(/24\.0 h behind status-delta #3/) as unknown }] });
  });

  it('follows the policy\'s tolerances', () => {
    const strict: DoorRules = { ...DEFAULT_DOOR_RULES, clock: { maxBehindMinutes: 0, maxAheadHours: 1 } };
    expect(checkDoor(installed, strict, T - 1).clock.state).toBe('behind');
    expect(checkDoor(installed, strict, T + 2 * HOUR_MS).clock.state).toBe('ahead');
  });

  it('has nothing to say on a kiosk with no bundles', () => {
    const door = checkDoor(NO_BUNDLES, DEFAULT_DOOR_RULES, 0);
    expect(door.clock).toEqual({ state: 'no_bundles', newestIssuedAt: null, offsetMs: null, reason: null });
    expect(applyDoorRules(ADMIT, door)).toBe(ADMIT);
    expect(checkDoor(undefined, DEFAULT_DOOR_RULES, T).clock.state).toBe('no_bundles');
  });
});

describe('door rules: stale status data', () => {
  const T = FIXED_NOW_MS;
  // A snapshot signed at T valid 6 h, and a delta signed at T + 1 h valid 6 h: stale from T + 7 h.
  const installed = freshnessOf([
    { type: 'status-snapshot', issuedAt: T, expiresAt: T + 6 * HOUR_MS },
    { type: 'status-delta', issuedAt: T + HOUR_MS, expiresAt: T + 7 * HOUR_MS },
  ]);
  // The clock is generous here so that only staleness speaks.
  const relaxedClock = { maxBehindMinutes: 5, maxAheadHours: 24 * 30 };
  const venue: DoorRules = { ...VENUE_DOOR_RULES, clock: relaxedClock };
  const border: DoorRules = { ...BORDER_DOOR_RULES, clock: relaxedClock };

  it.each<[string, DoorRules, number, Outcome, ReasonCode[]]>([
    ['venue, data fresh (the delta covers the expired snapshot)', venue, T + 6.5 * HOUR_MS, 'admit', ['status_green']],
    ['venue, stale, 10 h old: admits with a warning', venue, T + 11 * HOUR_MS, 'admit', ['status_green', 'cache_stale']],
    ['venue, stale, 24 h old: still a warning', venue, T + 25 * HOUR_MS, 'admit', ['status_green', 'cache_stale']],
    ['venue, stale, 26 h old: too old to admit alone', venue, T + 27 * HOUR_MS, 'review', ['status_green', 'cache_too_old']],
    ['border, fresh', border, T + 2 * HOUR_MS, 'admit', ['status_green']],
    ['border, stale by a minute: review', border, T + 7 * HOUR_MS + MINUTE_MS, 'review', ['status_green', 'cache_too_old']],
  ])('%s', (_name, rules, nowMs, outcome, codes) => {
    const decided = applyDoorRules(ADMIT, checkDoor(installed, rules, nowMs));
    expect(decided.outcome).toBe(outcome);
    expect(decided.reasons.map((r) => r.code)).toEqual(codes);
  });

  it('says how old the data is', () => {
    const door = checkDoor(installed, venue, T + 11 * HOUR_MS);
    expect(door.stale).toMatchObject({ stale: true, ageMs: 10 * HOUR_MS, reason: { code: 'cache_stale', detail: expect.stringMatching(/^status data 10\.0 h old \(status-delta #2/) as unknown } });
  });

  it('keeps a deny on stale data a deny, with the warning', () => {
    expect(applyDoorRules(DENY, checkDoor(installed, venue, T + 11 * HOUR_MS)).reasons.map((r) => r.code)).toEqual(['status_red', 'cache_stale']);
  });

  it('reports a clock set back and stale data together', () => {
    // Status data signed ten days ago, long expired; a key list signed a day after the clock's "now".
    const stale = freshnessOf([
      { type: 'status-snapshot', issuedAt: T - 10 * DAY_MS, expiresAt: T - 9 * DAY_MS },
      { type: 'key-list', issuedAt: T + DAY_MS, expiresAt: T + 300 * DAY_MS },
    ]);
    const decided = applyDoorRules(ADMIT, checkDoor(stale, BORDER_DOOR_RULES, T));
    expect(decided).toMatchObject({ outcome: 'review', reasons: [{ code: 'status_green' }, { code: 'clock_behind' }, { code: 'cache_too_old' }] });
  });
});
