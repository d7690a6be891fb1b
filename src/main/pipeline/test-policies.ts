// Shared by the policy, lane and session tests: EU DCCs issued here with an ES256 key (signed
// for real, so they go through decode and verify), a traveller's passport, and the arrival
// country's business rules in the DCC Gateway's JSON.
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { encode } from 'cborg';
import { buildCoseSign1 } from '../../common/cose/cose-sign1.js';
import { base45Encode } from '../../common/formats/base45.js';
import { CLAIM_EXP, CLAIM_HCERT, CLAIM_IAT, CLAIM_ISS, DCC_PREFIX, HCERT_EU_DCC_V1 } from '../../common/formats/dcc/dcc-claims.js';
import { encodeMrz, type MrzFields } from '../../common/formats/mrz/mrz-encode.js';
import { parseBusinessRule, type BusinessRule } from '../../common/rules/business-rule.js';
import type { CarriedRules } from '../../common/types/policy.js';
import { FIXED_NOW_MS } from './test-fixtures.js';
import { toHex, type IssuerKey } from './verify.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface DccIssuer {
  country: string;
  kid: Uint8Array;
  privateKey: KeyObject;
  /** The trust store entry (no certificate: it may sign every type). */
  key: IssuerKey;
}

export function createDccIssuer(country = 'VN'): DccIssuer {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = createPublicKey(privateKey);
  const kid = Uint8Array.from(publicKey.export({ type: 'spki', format: 'der' }).subarray(-8));
  return { country, kid, privateKey, key: { kidHex: toHex(kid), issuer: country, alg: 'ES256', publicKey } };
}

export interface DccPerson {
  fn: string;
  gn: string;
  fnt: string;
  gnt: string;
  dob: string;
}

/** The holder of the sample documents (identity-samples.ts): born 1990-04-12. */
export const NGOC: DccPerson = { fn: 'Trần', gn: 'Thị Bích Ngọc', fnt: 'TRAN', gnt: 'THI<BICH<NGOC', dob: '1990-04-12' };

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
let uvciCounter = 0;
const uvci = (): string => `URN:UVCI:01:VN:TEST${String(++uvciCounter).padStart(6, '0')}`;

export type DccContent =
  | { type: 'vaccination'; doses: number; series?: number; daysAgo?: number }
  | { type: 'test'; hoursAgo: number; detected?: boolean }
  | { type: 'recovery'; positiveDaysAgo: number };

/** A schema-valid eu_DCC_v1 payload at FIXED_NOW_MS (or `nowMs`). */
export function dccPayload(content: DccContent, person: DccPerson = NGOC, nowMs = FIXED_NOW_MS): Record<string, unknown> {
  const base = { ver: '1.3.0', nam: { fn: person.fn, gn: person.gn, fnt: person.fnt, gnt: person.gnt }, dob: person.dob };
  const common = { tg: '840539006', co: 'VN', is: 'Ministry of Health', ci: uvci() };
  switch (content.type) {
    case 'vaccination':
      return {
        ...base,
        v: [
          {
            ...common,
            vp: '1119349007',
            mp: 'EU/1/20/1528',
            ma: 'ORG-100030215',
            dn: content.doses,
            sd: content.series ?? Math.max(2, content.doses),
            dt: isoDate(nowMs - (content.daysAgo ?? 30) * DAY_MS),
          },
        ],
      };
    case 'test':
      return {
        ...base,
        t: [
          {
            ...common,
            tt: 'LP217198-3',
            ma: '1232',
            sc: new Date(nowMs - content.hoursAgo * HOUR_MS).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            tr: content.detected === true ? '260373001' : '260415000',
            tc: 'Test centre',
          },
        ],
      };
    case 'recovery':
      return {
        ...base,
        r: [
          {
            ...common,
            fr: isoDate(nowMs - content.positiveDaysAgo * DAY_MS),
            df: isoDate(nowMs - (content.positiveDaysAgo - 11) * DAY_MS),
            du: isoDate(nowMs - content.positiveDaysAgo * DAY_MS + 180 * DAY_MS),
          },
        ],
      };
    default: {
      const unreachable: never = content;
      return unreachable;
    }
  }
}

/** "HC1:..." signed by the issuer: issued a day before FIXED_NOW_MS, valid a year. */
export function issueDcc(issuer: DccIssuer, payload: Record<string, unknown>, nowMs = FIXED_NOW_MS): string {
  const claims = new Map<number, unknown>([
    [CLAIM_ISS, issuer.country],
    [CLAIM_IAT, Math.floor((nowMs - DAY_MS) / 1000)],
    [CLAIM_EXP, Math.floor((nowMs + 365 * DAY_MS) / 1000)],
    [CLAIM_HCERT, new Map([[HCERT_EU_DCC_V1, payload]])],
  ]);
  const cose = buildCoseSign1('ES256', issuer.kid, encode(claims), (toBeSigned) =>
    Uint8Array.from(sign('sha256', toBeSigned, { key: issuer.privateKey, dsaEncoding: 'ieee-p1363' })),
  );
  return DCC_PREFIX + base45Encode(deflateSync(cose, { level: 9 }));
}

/** A Vietnamese passport (TD3) of NGOC by default; expiry as YYMMDD. */
export function passportMrz(fields: Partial<MrzFields> = {}): string {
  return encodeMrz('TD3', {
    documentCode: 'P',
    issuingState: 'VNM',
    documentNumber: 'C1234567',
    nationality: 'VNM',
    surname: 'TRAN',
    givenNames: 'THI BICH NGOC',
    birthDate: '900412',
    sex: 'F',
    expiryDate: '310101',
    optional: '',
    ...fields,
  }).join('\r\n');
}

function rule(json: Record<string, unknown>): BusinessRule {
  const parsed = parseBusinessRule({
    Type: 'Acceptance',
    Country: 'VN',
    Version: '1.0.0',
    SchemaVersion: '1.3.0',
    Engine: 'CERTLOGIC',
    EngineVersion: '1.0.0',
    ValidFrom: '2021-06-01T00:00:00Z',
    ValidTo: '2030-06-01T00:00:00Z',
    ...json,
  });
  if (!parsed.ok) throw new Error(`test rule: ${parsed.problems.join('; ')}`);
  return parsed.value;
}

/**
 * Vietnam's arrival rules for the tests, deliberately unlike the built-in thresholds so a test
 * can tell which decided: a completed series of at least 2 doses, a test within 48 h (not 72),
 * and the vaccine product in the value set. No recovery rule: recoveries fall back to thresholds.
 */
export const VN_ARRIVAL_RULES: CarriedRules = {
  arrivalCountry: 'VN',
  valueSets: { 'vaccines-covid-19-names': ['EU/1/20/1528', 'EU/1/20/1507'] },
  rules: [
    rule({
      Identifier: 'VR-VN-0001',
      CertificateType: 'Vaccination',
      Description: [{ lang: 'en', desc: 'At least 2 doses, series completed.' }],
      AffectedFields: ['v.0.dn', 'v.0.sd'],
      Logic: { and: [{ '>=': [{ var: 'payload.v.0.dn' }, 2] }, { '>=': [{ var: 'payload.v.0.dn' }, { var: 'payload.v.0.sd' }] }] },
    }),
    rule({
      Identifier: 'VR-VN-0002',
      CertificateType: 'Vaccination',
      Description: [{ lang: 'en', desc: 'Vaccine product accepted in Vietnam.' }],
      AffectedFields: ['v.0.mp'],
      Logic: { in: [{ var: 'payload.v.0.mp' }, { var: 'external.valueSets.vaccines-covid-19-names' }] },
    }),
    rule({
      Identifier: 'TR-VN-0001',
      CertificateType: 'Test',
      Description: [{ lang: 'en', desc: 'Negative test taken at most 48 hours ago.' }],
      AffectedFields: ['t.0.tr', 't.0.sc'],
      Logic: {
        and: [
          { '===': [{ var: 'payload.t.0.tr' }, '260415000'] },
          { 'not-after': [{ plusTime: [{ var: 'external.validationClock' }, 0, 'day'] }, { plusTime: [{ var: 'payload.t.0.sc' }, 48, 'hour'] }] },
        ],
      },
    }),
  ],
};
