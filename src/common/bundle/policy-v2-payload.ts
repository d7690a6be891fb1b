// Policy bundle format "policy-v2": every policy kind (status, evidence, border-lane) with its
// door rules, and the EU DCC business rules it carries as the Gateway's rule JSON. One canonical
// CBOR map with text keys:
//   format       "policy-v2"
//   kind         "status" | "evidence" | "border-lane"
//   id           text
//   door         {stale: "warn" | "review", staleMaxHours (warn only), duplicateSeconds,
//                 clockBehindMinutes, clockAheadHours}
//   outcomes     {green, yellow, red, unknown: "admit" | "deny" | "review"}        status only
//   evidence     {minDoses, testHours, recoveryDays}                    evidence, border-lane
//   rules        null | {arrival: "VN", rules: [rule JSON text], valueSets: {id: [code]}}
//   laneSeconds  the second document's window                                 border-lane only
// Every number is a bounded unsigned integer; a rule that does not parse refuses the bundle, so a
// kiosk never runs with part of a rule set.
import { parseBusinessRule, type BusinessRule } from '../rules/business-rule.js';
import { HEALTH_STATUSES, type HealthStatus } from '../types/credential.js';
import type {
  CarriedRules,
  DoorRules,
  EvidenceThresholds,
  Policy,
  PolicyKind,
  StaleCacheRule,
} from '../types/policy.js';
import { DEFAULT_DOOR_RULES, POLICY_KINDS } from '../types/policy.js';
import { OUTCOMES, type Outcome } from '../types/verdict.js';
import { hasOnlyKeys, readText, readUint } from './bundle-format.js';
import { bundleFail, bundleOk, type BundleResult } from './bundle-types.js';

export const POLICY_FORMAT_V2 = 'policy-v2';

/** Sane bounds: a value outside them is a publishing mistake, refused rather than applied. */
const BOUNDS = {
  staleMaxHours: [1, 24 * 365],
  duplicateSeconds: [0, 3600],
  clockBehindMinutes: [0, 24 * 60],
  clockAheadHours: [1, 24 * 365],
  minDoses: [1, 10],
  testHours: [1, 24 * 30],
  recoveryDays: [1, 3650],
  laneSeconds: [10, 3600],
} as const satisfies Record<string, readonly [number, number]>;
const MAX_RULES = 2000;
const MAX_VALUE_SETS = 200;
const MAX_CODES = 5000;

// ---- Encode ------------------------------------------------------------------------------------

function doorMap(door: DoorRules): Map<string, unknown> {
  const map = new Map<string, unknown>([['stale', door.staleCache.action]]);
  if (door.staleCache.action === 'warn') map.set('staleMaxHours', door.staleCache.maxAgeHours);
  map.set('duplicateSeconds', door.duplicateWindowSeconds);
  map.set('clockBehindMinutes', door.clock.maxBehindMinutes);
  map.set('clockAheadHours', door.clock.maxAheadHours);
  return map;
}

function evidenceMap(evidence: EvidenceThresholds): Map<string, unknown> {
  return new Map<string, unknown>([
    ['minDoses', evidence.minDoses],
    ['testHours', evidence.negativeTestHours],
    ['recoveryDays', evidence.recoveryDays],
  ]);
}

/** A parsed rule back in the Gateway's JSON (every field parseBusinessRule reads is kept). */
export function businessRuleJson(rule: BusinessRule): Record<string, unknown> {
  return {
    Identifier: rule.identifier,
    Type: rule.type,
    Country: rule.country,
    Version: rule.version.text,
    SchemaVersion: rule.schemaVersion.text,
    Engine: rule.engine,
    EngineVersion: rule.engineVersion.text,
    CertificateType: rule.certificateType,
    Description: rule.descriptions.map((d) => ({ lang: d.lang, desc: d.desc })),
    ValidFrom: rule.validFrom,
    ValidTo: rule.validTo,
    AffectedFields: [...rule.affectedFields],
    Logic: rule.logic,
  };
}

function rulesValue(rules: CarriedRules | null): unknown {
  if (rules === null) return null;
  return new Map<string, unknown>([
    ['arrival', rules.arrivalCountry],
    ['rules', rules.rules.map((rule) => JSON.stringify(businessRuleJson(rule)))],
    ['valueSets', new Map(Object.entries(rules.valueSets).map(([id, codes]) => [id, [...codes]]))],
  ]);
}

/** The v2 map of a policy (without canonical encoding: policy-payload.ts encodes it). */
export function policyV2Map(policy: Policy): Map<string, unknown> {
  const map = new Map<string, unknown>([
    ['format', POLICY_FORMAT_V2],
    ['kind', policy.kind],
    ['id', policy.id],
  ]);
  switch (policy.kind) {
    case 'status':
      map.set('door', doorMap(policy.door ?? DEFAULT_DOOR_RULES));
      map.set('outcomes', new Map(HEALTH_STATUSES.map((status) => [status, policy.outcomes[status]])));
      return map;
    case 'evidence':
      map.set('door', doorMap(policy.door));
      map.set('evidence', evidenceMap(policy.evidence));
      map.set('rules', rulesValue(policy.rules));
      return map;
    case 'border-lane':
      map.set('door', doorMap(policy.door));
      map.set('evidence', evidenceMap(policy.evidence));
      map.set('rules', rulesValue(policy.rules));
      map.set('laneSeconds', policy.laneWindowSeconds);
      return map;
    default: {
      const unreachable: never = policy;
      return unreachable;
    }
  }
}

// ---- Decode ------------------------------------------------------------------------------------

type Bounded = keyof typeof BOUNDS;

function bounded(map: Map<unknown, unknown>, key: Bounded, where: string): BundleResult<number> {
  const value = readUint(map, key);
  const [min, max] = BOUNDS[key];
  if (value === undefined || value < min || value > max) {
    return bundleFail('malformed', `policy ${where}.${key} must be a whole number from ${min} to ${max}`);
  }
  return bundleOk(value);
}

function decodeDoor(value: unknown): BundleResult<DoorRules> {
  if (!(value instanceof Map)) return bundleFail('malformed', 'policy door is not a map');
  const stale = readText(value, 'stale');
  const keys = ['stale', 'duplicateSeconds', 'clockBehindMinutes', 'clockAheadHours'];
  let staleCache: StaleCacheRule;
  if (stale === 'warn') {
    const maxAgeHours = bounded(value, 'staleMaxHours', 'door');
    if (!maxAgeHours.ok) return maxAgeHours;
    staleCache = { action: 'warn', maxAgeHours: maxAgeHours.value };
    keys.push('staleMaxHours');
  } else if (stale === 'review') {
    staleCache = { action: 'review' };
  } else {
    return bundleFail('malformed', 'policy door.stale is neither "warn" nor "review"');
  }
  if (!hasOnlyKeys(value, keys)) return bundleFail('malformed', `policy door has fields other than ${keys.join(', ')}`);
  const duplicate = bounded(value, 'duplicateSeconds', 'door');
  if (!duplicate.ok) return duplicate;
  const behind = bounded(value, 'clockBehindMinutes', 'door');
  if (!behind.ok) return behind;
  const ahead = bounded(value, 'clockAheadHours', 'door');
  if (!ahead.ok) return ahead;
  return bundleOk({
    staleCache,
    duplicateWindowSeconds: duplicate.value,
    clock: { maxBehindMinutes: behind.value, maxAheadHours: ahead.value },
  });
}

function decodeOutcomes(value: unknown): BundleResult<Record<HealthStatus, Outcome>> {
  if (!(value instanceof Map) || !hasOnlyKeys(value, HEALTH_STATUSES)) return bundleFail('malformed', 'policy outcomes are not a map of health statuses');
  const table: Partial<Record<HealthStatus, Outcome>> = {};
  for (const status of HEALTH_STATUSES) {
    const outcome = OUTCOMES.find((o) => o === value.get(status));
    if (outcome === undefined) return bundleFail('malformed', `policy gives no admit/deny/review for ${status}`);
    table[status] = outcome;
  }
  const { green, yellow, red, unknown } = table;
  if (green === undefined || yellow === undefined || red === undefined || unknown === undefined) return bundleFail('malformed', 'policy outcomes incomplete');
  return bundleOk({ green, yellow, red, unknown });
}

function decodeEvidence(value: unknown): BundleResult<EvidenceThresholds> {
  if (!(value instanceof Map) || !hasOnlyKeys(value, ['minDoses', 'testHours', 'recoveryDays'])) {
    return bundleFail('malformed', 'policy evidence is not {minDoses, testHours, recoveryDays}');
  }
  const minDoses = bounded(value, 'minDoses', 'evidence');
  if (!minDoses.ok) return minDoses;
  const testHours = bounded(value, 'testHours', 'evidence');
  if (!testHours.ok) return testHours;
  const recoveryDays = bounded(value, 'recoveryDays', 'evidence');
  if (!recoveryDays.ok) return recoveryDays;
  return bundleOk({ minDoses: minDoses.value, negativeTestHours: testHours.value, recoveryDays: recoveryDays.value });
}

function decodeRules(value: unknown): BundleResult<CarriedRules | null> {
  if (value === null) return bundleOk(null);
  if (!(value instanceof Map) || !hasOnlyKeys(value, ['arrival', 'rules', 'valueSets'])) {
    return bundleFail('malformed', 'policy rules are not null or {arrival, rules, valueSets}');
  }
  const arrival = readText(value, 'arrival');
  if (arrival === undefined || !/^[A-Z]{2}$/.test(arrival)) return bundleFail('malformed', 'policy rules.arrival is not a two-letter country code');
  const texts = value.get('rules');
  if (!Array.isArray(texts) || texts.length > MAX_RULES) return bundleFail('malformed', `policy rules.rules is not a list of at most ${MAX_RULES} rules`);
  const rules: BusinessRule[] = [];
  for (const [index, text] of texts.entries()) {
    if (typeof text !== 'string') return bundleFail('malformed', `policy rule ${index} is not JSON text`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return bundleFail('malformed', `policy rule ${index} is not valid JSON`);
    }
    const parsed = parseBusinessRule(json);
    if (!parsed.ok) return bundleFail('malformed', `policy rule ${index}: ${parsed.problems.slice(0, 3).join('; ')}`);
    rules.push(parsed.value);
  }
  const sets = value.get('valueSets');
  if (!(sets instanceof Map) || sets.size > MAX_VALUE_SETS) return bundleFail('malformed', 'policy rules.valueSets is not a map of value sets');
  const valueSets: Record<string, readonly string[]> = {};
  for (const [id, codes] of sets) {
    if (typeof id !== 'string' || !Array.isArray(codes) || codes.length > MAX_CODES || !codes.every((code) => typeof code === 'string')) {
      return bundleFail('malformed', 'policy rules.valueSets maps a value set id to something other than a list of codes');
    }
    Object.defineProperty(valueSets, id, { value: codes as string[], enumerable: true });
  }
  return bundleOk({ arrivalCountry: arrival, rules, valueSets });
}

const KEYS_OF: Record<PolicyKind, readonly string[]> = {
  status: ['format', 'kind', 'id', 'door', 'outcomes'],
  evidence: ['format', 'kind', 'id', 'door', 'evidence', 'rules'],
  'border-lane': ['format', 'kind', 'id', 'door', 'evidence', 'rules', 'laneSeconds'],
};

/** Reads a decoded v2 map (format already checked by policy-payload.ts). */
export function decodePolicyV2Map(map: Map<unknown, unknown>): BundleResult<Policy> {
  const kind = POLICY_KINDS.find((k) => k === map.get('kind'));
  if (kind === undefined) return bundleFail('unsupported_version', `policy kind ${JSON.stringify(map.get('kind'))}; this kiosk applies ${POLICY_KINDS.join(', ')}`);
  const keys = KEYS_OF[kind];
  if (!hasOnlyKeys(map, keys) || map.size !== keys.length) return bundleFail('malformed', `a ${kind} policy is {${keys.join(', ')}}`);
  const id = readText(map, 'id');
  if (id === undefined || id === '' || id.length > 200) return bundleFail('malformed', 'policy without an id');
  const door = decodeDoor(map.get('door'));
  if (!door.ok) return door;
  switch (kind) {
    case 'status': {
      const outcomes = decodeOutcomes(map.get('outcomes'));
      if (!outcomes.ok) return outcomes;
      return bundleOk({ kind, id, outcomes: outcomes.value, door: door.value });
    }
    case 'evidence':
    case 'border-lane': {
      const evidence = decodeEvidence(map.get('evidence'));
      if (!evidence.ok) return evidence;
      const rules = decodeRules(map.get('rules'));
      if (!rules.ok) return rules;
      if (kind === 'evidence') return bundleOk({ kind, id, evidence: evidence.value, rules: rules.value, door: door.value });
      const laneSeconds = bounded(map, 'laneSeconds', 'policy');
      if (!laneSeconds.ok) return laneSeconds;
      return bundleOk({ kind, id, evidence: evidence.value, rules: rules.value, laneWindowSeconds: laneSeconds.value, door: door.value });
    }
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}
