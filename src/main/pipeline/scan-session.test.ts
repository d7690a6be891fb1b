import { describe, expect, it } from 'vitest';
import type { VerdictView } from '../../common/ipc/contract.js';
import {
  borderLanePreset,
  DEFAULT_VENUE_POLICY,
  evidencePreset,
  greenOnlyPreset,
  type Policy,
} from '../../common/types/policy.js';
import type { ReasonCode } from '../../common/types/reasons.js';
import type { Outcome } from '../../common/types/verdict.js';
import { issuerKeyOf } from '../demo/demo-authority.js';
import { moduleLogger } from '../log.js';
import { MemoryStatusCache } from '../status/memory-status-cache.js';
import { MapTrustStore } from '../trust/trust-store.js';
import { EMPTY_ALIAS_MAP } from './alias.js';
import { createDecoderRegistry } from './decoders/registry.js';
import { DuplicateWindow } from './duplicate-window.js';
import { bundleAge, type BundleFreshness } from './freshness.js';
import type { PipelineState } from './pipeline.js';
import { createScanSession } from './scan-session.js';
import type { StatusLookup } from './status.js';
import { FIXED_NOW_MS, pipelineFixture, scanOf } from './test-fixtures.js';
import { createDccIssuer, dccPayload, issueDcc, NGOC, passportMrz, VN_ARRIVAL_RULES, type DccContent, type DccPerson } from './test-policies.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A kiosk's pure pipeline plus its scan session, a movable clock, and a log of the rows it wrote. */
function kiosk(initialPolicy: Policy, options: { status?: StatusLookup } = {}) {
  const fixture = pipelineFixture();
  const dccIssuer = createDccIssuer('VN');
  let nowMs = FIXED_NOW_MS;
  let policy = initialPolicy;
  const state: PipelineState = {
    decoders: createDecoderRegistry({ now: () => nowMs }),
    trust: new MapTrustStore([issuerKeyOf(fixture.authority), dccIssuer.key]),
    status: options.status ?? { lookup: () => undefined, issuedAt: null },
    aliases: EMPTY_ALIAS_MAP,
    get policy() {
      return policy;
    },
    now: () => nowMs,
    logger: moduleLogger('test'),
  };
  const session = createScanSession(state);
  const rows: VerdictView[] = [];
  return {
    session,
    rows,
    pass: fixture.pass,
    dcc: (content: DccContent, person: DccPerson = NGOC) => issueDcc(dccIssuer, dccPayload(content, person)),
    setPolicy(next: Policy) {
      policy = next;
    },
    advance(ms: number) {
      nowMs += ms;
    },
    /** Scans as the core does: a new check-in is written (here: kept in `rows`), a repeat is not. */
    scan(text: string): VerdictView {
      const decision = session.decide(scanOf(text));
      if (decision.kind === 'repeat') return decision.view;
      const view = decision.commit(`row-${rows.length + 1}`);
      rows.push(view);
      return view;
    },
  };
}

const codes = (view: VerdictView): ReasonCode[] => view.reasons.map((r) => r.code);

describe('duplicate window (stateful, in main)', () => {
  it('answers the same code within the window with the earlier check-in, and writes no row', () => {
    const k = kiosk(greenOnlyPreset());
    const pass = k.pass();
    const first = k.scan(pass);
    k.advance(59_000);
    const again = k.scan(pass);
    expect(k.rows).toHaveLength(1);
    expect(again).toMatchObject({ checkinId: first.checkinId, outcome: 'admit', decidedAt: FIXED_NOW_MS + 59_000 });
    expect(again.reasons[0]).toEqual({ code: 'already_checked_in', detail: 'checked in 59 s ago' });
    expect(codes(again).slice(1)).toEqual(codes(first));
  });

  it.each<[string, number, (k: ReturnType<typeof kiosk>, pass: string) => string, boolean]>([
    ['the same code 1 s later', 1_000, (_k, pass) => pass, true],
    ['the same code with a scanner\'s AIM prefix and CR', 5_000, (_k, pass) => `]Q1${pass}\r`, true],
    ['the same code after the 60 s window', 60_000, (_k, pass) => pass, false],
    ['another person\'s pass', 1_000, (k) => k.pass({ subjectId: 'VN-ID:079190009999' }), false],
  ])('%s: repeat %s', (_name, after, second, repeat) => {
    const k = kiosk(greenOnlyPreset());
    const pass = k.pass();
    k.scan(pass);
    k.advance(after);
    const view = k.scan(second(k, pass));
    expect(codes(view)[0] === 'already_checked_in').toBe(repeat);
    expect(k.rows).toHaveLength(repeat ? 1 : 2);
  });

  it('does not hold an unreadable scan against the next try', () => {
    const k = kiosk(greenOnlyPreset());
    k.scan('PC1:DAMAGED');
    const again = k.scan('PC1:DAMAGED');
    expect(again.readable).toBe(false);
    expect(k.rows).toHaveLength(2);
  });

  it('is off under a policy without a window (the venue default): every scan is a row, as before', () => {
    const k = kiosk(DEFAULT_VENUE_POLICY);
    const pass = k.pass();
    k.scan(pass);
    expect(codes(k.scan(pass))).toEqual(['status_green', 'status_from_pass']);
    expect(k.rows).toHaveLength(2);
  });

  it('follows the policy in force at each scan', () => {
    const k = kiosk(DEFAULT_VENUE_POLICY);
    const pass = k.pass();
    k.scan(pass);
    k.setPolicy(greenOnlyPreset());
    k.scan(pass);
    expect(codes(k.scan(pass))[0]).toBe('already_checked_in');
    expect(k.rows).toHaveLength(2);
  });

  it('shows a staff override on a repeat of the overridden verdict', () => {
    const k = kiosk(greenOnlyPreset());
    const pass = k.pass({ status: 'yellow' });
    const first = k.scan(pass);
    expect(first.outcome).toBe('review');
    k.session.overridden(first.checkinId, 'admit');
    expect(k.scan(pass)).toMatchObject({ outcome: 'admit', checkinId: first.checkinId });
  });

  it('keys codes by a keyed pseudonym, never their text', () => {
    const pass = pipelineFixture().pass();
    const window = new DuplicateWindow({ key: new Uint8Array(32).fill(7) });
    const pseudonym = window.pseudonymOf(pass);
    expect(pseudonym).toHaveLength(22);
    expect(pass).not.toContain(pseudonym);
    expect(pseudonym).not.toContain(pass.slice(4, 12));
    expect(window.pseudonymOf(` ]Q1${pass}\r\n`)).toBe(pseudonym);
    expect(new DuplicateWindow({ key: new Uint8Array(32).fill(8) }).pseudonymOf(pass)).not.toBe(pseudonym);
  });

  it('forgets the oldest codes beyond its size', () => {
    const window = new DuplicateWindow({ maxEntries: 2 });
    const view = { checkinId: 'x' } as VerdictView;
    for (const code of ['a', 'b', 'c']) window.remember(window.pseudonymOf(code), view, FIXED_NOW_MS, 60_000);
    expect(window.size).toBe(2);
    expect(window.find(window.pseudonymOf('a'), FIXED_NOW_MS, 60_000)).toBeUndefined();
    expect(window.find(window.pseudonymOf('c'), FIXED_NOW_MS, 60_000)).toBeDefined();
  });
});

describe('preset (b) end to end: signed DCCs and PC1 passes', () => {
  it.each<[string, (k: ReturnType<typeof kiosk>) => string, Outcome, ReasonCode[]]>([
    ['a DCC with 2 doses', (k) => k.dcc({ type: 'vaccination', doses: 2 }), 'admit', ['dcc_rules_passed', 'evidence_vaccinated']],
    ['a DCC test 60 h old (rules: 48 h)', (k) => k.dcc({ type: 'test', hoursAgo: 60 }), 'deny', ['dcc_rules_failed']],
    ['a PC1 pass with 2 doses', (k) => k.pass({ status: 'green' }), 'admit', ['evidence_vaccinated', 'status_from_pass']],
  ])('%s -> %s', (_name, code, outcome, expected) => {
    const k = kiosk(evidencePreset({ rules: VN_ARRIVAL_RULES }));
    const view = k.scan(code(k));
    expect(view.outcome).toBe(outcome);
    expect(codes(view)).toEqual(expected);
  });
});

describe('border lane session (stateful, in main): two documents, one traveller', () => {
  const lane = () => kiosk(borderLanePreset({ rules: VN_ARRIVAL_RULES }));
  const OTHER_NAME: DccPerson = { fn: 'Mustermann', gn: 'Erika', fnt: 'MUSTERMANN', gnt: 'ERIKA', dob: NGOC.dob };
  const OTHER_BIRTH: DccPerson = { ...NGOC, dob: '1991-04-12' };
  type Step = [what: (k: ReturnType<typeof kiosk>) => string, waitMs: number];
  const PASSPORT: Step = [() => passportMrz(), 0];
  const GOOD_DCC: Step = [(k) => k.dcc({ type: 'vaccination', doses: 2 }), 0];

  it.each<[string, Step[], Outcome[], ReasonCode[]]>([
    ['passport then certificate', [PASSPORT, GOOD_DCC], ['review', 'admit'], ['travel_document_valid', 'dcc_rules_passed', 'evidence_vaccinated']],
    ['certificate then passport', [GOOD_DCC, PASSPORT], ['review', 'admit'], ['travel_document_valid', 'dcc_rules_passed', 'evidence_vaccinated']],
    [
      'a certificate of someone born another day',
      [PASSPORT, [(k) => k.dcc({ type: 'vaccination', doses: 2 }, OTHER_BIRTH), 0]],
      ['review', 'deny'],
      ['travel_document_valid', 'dcc_rules_passed', 'evidence_vaccinated', 'holder_birth_date_mismatch'],
    ],
    [
      'a certificate in another name',
      [PASSPORT, [(k) => k.dcc({ type: 'vaccination', doses: 2 }, OTHER_NAME), 0]],
      ['review', 'review'],
      ['travel_document_valid', 'dcc_rules_passed', 'evidence_vaccinated', 'holder_name_mismatch'],
    ],
    ['the certificate after the 3-minute window', [PASSPORT, [GOOD_DCC[0], 181_000]], ['review', 'review'], ['lane_scan_other_document', 'dcc_rules_passed', 'evidence_vaccinated']],
    ['the passport rescanned, then the certificate', [PASSPORT, [PASSPORT[0], 20_000], GOOD_DCC], ['review', 'review', 'admit'], ['travel_document_valid', 'dcc_rules_passed', 'evidence_vaccinated']],
    [
      'a failing certificate, then a good one for the passport still waiting',
      [PASSPORT, [(k) => k.dcc({ type: 'test', hoursAgo: 60 }), 0], GOOD_DCC],
      ['review', 'deny', 'admit'],
      ['travel_document_valid', 'dcc_rules_passed', 'evidence_vaccinated'],
    ],
    ['an expired passport waits for nothing', [[() => passportMrz({ expiryDate: '260101' }), 0], GOOD_DCC], ['deny', 'review'], ['lane_scan_other_document', 'dcc_rules_passed', 'evidence_vaccinated']],
    ['an unreadable scan between the two changes nothing', [PASSPORT, [() => 'HC1:BROKEN', 0], GOOD_DCC], ['review', 'deny', 'admit'], ['travel_document_valid', 'dcc_rules_passed', 'evidence_vaccinated']],
  ])('%s', (_name, steps, outcomes, lastCodes) => {
    const k = lane();
    const views = steps.map(([what, waitMs]) => {
      k.advance(waitMs);
      return k.scan(what(k));
    });
    expect(views.map((v) => v.outcome)).toEqual(outcomes);
    expect(codes(views.at(-1) ?? views[0] ?? ({} as VerdictView))).toEqual(lastCodes);
    // Every scan is its own check-in row: the waiting one too.
    expect(k.rows).toHaveLength(steps.length);
  });

  it('tells the first scan to scan the other document', () => {
    const k = lane();
    expect(codes(k.scan(passportMrz()))).toEqual(['lane_scan_other_document', 'travel_document_valid']);
    expect(k.session.doorState().laneWaiting).toBe('travel-document');
    k.scan(k.dcc({ type: 'vaccination', doses: 2 }));
    expect(k.session.doorState().laneWaiting).toBeNull();
  });

  it('releases the lane when a guard overrides the waiting verdict', () => {
    const k = lane();
    const waiting = k.scan(passportMrz());
    k.session.overridden(waiting.checkinId, 'admit');
    expect(k.session.doorState().laneWaiting).toBeNull();
    expect(k.scan(k.dcc({ type: 'vaccination', doses: 2 })).outcome).toBe('review');
  });

  it('sends the pair to review when the status data is stale (border rule)', () => {
    const cache = new MemoryStatusCache(new Uint8Array(32), FIXED_NOW_MS - 2 * DAY_MS);
    const freshness: BundleFreshness = {
      ages: (nowMs) => [bundleAge({ type: 'status-snapshot', sequence: 1, issuedAt: FIXED_NOW_MS - 2 * DAY_MS, expiresAt: FIXED_NOW_MS - DAY_MS }, nowMs)],
      ageOf: () => null,
    };
    const k = kiosk(borderLanePreset({ rules: VN_ARRIVAL_RULES }), { status: { lookup: (ids) => cache.lookup(ids), issuedAt: cache.issuedAt, freshness } });
    k.scan(passportMrz());
    const pair = k.scan(k.dcc({ type: 'vaccination', doses: 2 }));
    expect(pair.outcome).toBe('review');
    expect(codes(pair).at(-1)).toBe('cache_too_old');
    expect(pair.reasons.filter((r) => r.code === 'cache_too_old')).toHaveLength(1);
  });

  it('keeps the two halves apart when the policy changes between them', () => {
    const k = lane();
    k.scan(passportMrz());
    k.setPolicy(borderLanePreset({ id: 'border-lane-v2', rules: VN_ARRIVAL_RULES }));
    k.advance(HOUR_MS / 60);
    expect(k.scan(k.dcc({ type: 'vaccination', doses: 2 })).outcome).toBe('review');
  });
});
