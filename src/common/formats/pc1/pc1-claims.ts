// The PC-Covid pass (PC1): CWT claims layout, parsing and encoding. See README.md beside this
// file for the wire format. Pure: compression and signing are injected by the caller.
import { encode } from 'cborg';
import { buildCoseSign1 } from '../../cose/cose-sign1.js';
import {
  HEALTH_STATUSES,
  type HealthStatus,
  type VaccinationSummary,
} from '../../types/credential.js';
import { isIsoDate } from '../../types/dates.js';
import { hasControlCharacters } from '../identity-text.js';
import { stageFail, stageOk, type StageResult } from '../../types/result.js';
import { isCanonicalSubjectId } from '../../types/subject-id.js';

export const PC1_PREFIX = 'PC1:';
/** Largest inflated COSE message a PC1 pass may hold; real passes are ~250 bytes. */
export const PC1_MAX_INFLATED_BYTES = 4096;

/** CWT claim keys (RFC 8392) and the PC-Covid private claim. */
export const CLAIM_ISS = 1;
export const CLAIM_EXP = 4;
export const CLAIM_IAT = 6;
export const CLAIM_PCCOVID = -70001;
export const PC1_SCHEMA_VERSION = 1;

export interface Pc1Claims {
  issuer: string;
  issuedAt: number;
  expiresAt: number;
  subjectId: string;
  name: string;
  dateOfBirth: string;
  status: HealthStatus;
  vaccination: VaccinationSummary;
}

const MAX_TEXT = 200;

function fail<T>(detail: string): StageResult<T> {
  return stageFail({ code: 'claims_invalid', detail });
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isShortText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT;
}

/** Reads a CWT claims map into PC1 claims; every missing or mistyped claim is named. */
export function parsePc1Claims(claims: Map<unknown, unknown>): StageResult<Pc1Claims> {
  const issuer = claims.get(CLAIM_ISS);
  const expiresAt = claims.get(CLAIM_EXP);
  const issuedAt = claims.get(CLAIM_IAT);
  const body = claims.get(CLAIM_PCCOVID);
  if (!isShortText(issuer)) return fail('iss (1) is missing or not text');
  if (!isInteger(issuedAt) || issuedAt < 0) return fail('iat (6) is missing or not a time');
  if (!isInteger(expiresAt) || expiresAt < 0) return fail('exp (4) is missing or not a time');
  if (expiresAt <= issuedAt) return fail('exp (4) is not after iat (6)');
  if (!(body instanceof Map)) return fail(`PC-Covid claim (${CLAIM_PCCOVID}) is missing`);
  if (body.get('v') !== PC1_SCHEMA_VERSION) return fail('unsupported PC-Covid claim version');
  const subjectId = body.get('sid');
  const name = body.get('nam');
  const dateOfBirth = body.get('dob');
  const status = body.get('hs');
  const vaccination = body.get('vac');
  if (!isShortText(subjectId) || !isCanonicalSubjectId(subjectId)) {
    return fail('sid is not a canonical subject id');
  }
  // The name is put on screen: control characters or a blank would show nothing a person can read.
  if (!isShortText(name) || name.trim().length === 0 || hasControlCharacters(name)) {
    return fail('nam (name) is missing or not printable text');
  }
  if (typeof dateOfBirth !== 'string' || !isIsoDate(dateOfBirth)) {
    return fail('dob is not a date (YYYY-MM-DD)');
  }
  if (typeof status !== 'string' || !HEALTH_STATUSES.includes(status as HealthStatus)) {
    return fail('hs is not one of green, yellow, red, unknown');
  }
  if (!(vaccination instanceof Map)) return fail('vac (vaccination summary) is missing');
  const doses = vaccination.get('n');
  const lastDoseDate = vaccination.get('ld');
  if (!isInteger(doses) || doses < 0 || doses > 20) return fail('vac.n is not a dose count');
  if (lastDoseDate !== undefined && (typeof lastDoseDate !== 'string' || !isIsoDate(lastDoseDate))) {
    return fail('vac.ld is not a date (YYYY-MM-DD)');
  }
  return stageOk({
    issuer,
    issuedAt,
    expiresAt,
    subjectId,
    name: name.normalize('NFC'),
    dateOfBirth,
    status: status as HealthStatus,
    vaccination: lastDoseDate === undefined ? { doses } : { doses, lastDoseDate },
  });
}

export function encodePc1Claims(claims: Pc1Claims): Uint8Array {
  const vaccination = new Map<string, unknown>([['n', claims.vaccination.doses]]);
  if (claims.vaccination.lastDoseDate !== undefined) {
    vaccination.set('ld', claims.vaccination.lastDoseDate);
  }
  const body = new Map<string, unknown>([
    ['v', PC1_SCHEMA_VERSION],
    ['sid', claims.subjectId],
    ['nam', claims.name.normalize('NFC')],
    ['dob', claims.dateOfBirth],
    ['hs', claims.status],
    ['vac', vaccination],
  ]);
  return encode(
    new Map<number, unknown>([
      [CLAIM_ISS, claims.issuer],
      [CLAIM_IAT, claims.issuedAt],
      [CLAIM_EXP, claims.expiresAt],
      [CLAIM_PCCOVID, body],
    ]),
  );
}

export interface Pc1Signer {
  kid: Uint8Array;
  /** Ed25519 signature over the COSE Sig_structure. */
  sign: (toBeSigned: Uint8Array) => Uint8Array;
}

/**
 * Encodes a signed PC1 pass: "PC1:" + base45(zlib(COSE_Sign1)). Compression and base45 are
 * passed in so that this file stays free of Node.
 */
export function encodePc1Pass(
  claims: Pc1Claims,
  signer: Pc1Signer,
  deflate: (bytes: Uint8Array) => Uint8Array,
  base45Encode: (bytes: Uint8Array) => string,
): string {
  const cose = buildCoseSign1('EdDSA', signer.kid, encodePc1Claims(claims), signer.sign);
  return PC1_PREFIX + base45Encode(deflate(cose));
}
