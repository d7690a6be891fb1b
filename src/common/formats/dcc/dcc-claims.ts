// EU Digital COVID Certificate (hcert, eHealth Network spec v1.3): the CWT claims and the payload
// the kiosk reads from them. Pure: no Node; compression, schema validation and signatures are the
// caller's (src/main/pipeline/decoders/dcc).
import { decode, type TagDecoder } from 'cborg';
import type { DccCertificateType, Holder } from '../../types/credential.js';
import { stageFail, stageOk, type StageResult } from '../../types/result.js';
import { isCanonicalSubjectId } from '../../types/subject-id.js';

export const DCC_PREFIX = 'HC1:';
/**
 * Largest inflated COSE message accepted. A QR code holds at most ~4,300 base45 characters
 * (~2.9 KB compressed); real certificates inflate to under 2 KB, so 64 KiB is far beyond any
 * genuine one and still small enough that a zlib bomb costs nothing.
 */
export const DCC_MAX_INFLATED_BYTES = 64 * 1024;

/** CWT claim keys (RFC 8392) and the hcert claim (eHN spec §2.6.4). */
export const CLAIM_ISS = 1;
export const CLAIM_EXP = 4;
export const CLAIM_IAT = 6;
export const CLAIM_HCERT = -260;
export const HCERT_EU_DCC_V1 = 1;

/** Deepest JSON nesting a payload may have; a real one nests 3 levels. */
const MAX_PAYLOAD_DEPTH = 16;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// RFC 8949 §6.1: a tagged item converts to JSON as its content. Issuers use tag 0 (date/time
// text) and tag 1 (epoch) inside the payload; every other tag is refused.
const contentOnly: TagDecoder = (content) => content();
const claimsDecodeOptions = {
  useMaps: true,
  rejectDuplicateMapKeys: true,
  tags: { 0: contentOnly, 1: contentOnly },
};

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}

/** Decodes the COSE payload as a CWT claims map; map keys stay as CBOR gave them. */
export function decodeDccCwtClaims(payload: Uint8Array): StageResult<Map<unknown, unknown>> {
  let value: unknown;
  try {
    value = decode(payload, claimsDecodeOptions);
  } catch (error) {
    return stageFail({ code: 'cwt_invalid', detail: `CBOR: ${describe(error)}` });
  }
  if (!(value instanceof Map)) return stageFail({ code: 'cwt_invalid', detail: 'CWT payload is not a map' });
  return stageOk(value);
}

/** Why a CBOR value has no JSON form (internal: the recursion returns it instead of a result). */
class NoJson {
  constructor(readonly detail: string) {}
}

function toJson(value: unknown, depth: number): JsonValue | NoJson {
  if (depth > MAX_PAYLOAD_DEPTH) return new NoJson(`payload nests deeper than ${MAX_PAYLOAD_DEPTH}`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : new NoJson('payload holds a non-finite number');
  if (Array.isArray(value)) {
    const items: JsonValue[] = new Array<JsonValue>(value.length);
    for (let i = 0; i < value.length; i++) {
      const converted = toJson(value[i], depth + 1);
      if (converted instanceof NoJson) return converted;
      items[i] = converted;
    }
    return items;
  }
  if (value instanceof Map) {
    const object: JsonObject = {};
    for (const [key, item] of value) {
      if (typeof key !== 'string') return new NoJson('payload map has a key that is not text');
      const converted = toJson(item, depth + 1);
      if (converted instanceof NoJson) return converted;
      // "__proto__" is an own property like any other key, never the object's prototype.
      if (key === '__proto__') Object.defineProperty(object, key, { value: converted, enumerable: true, writable: true, configurable: true });
      else object[key] = converted;
    }
    return object;
  }
  const kind = value instanceof Uint8Array ? 'a byte string' : typeof value;
  return new NoJson(`payload holds ${kind}, which JSON cannot`);
}

/** CBOR (as decoded with maps) to JSON, or why it has no JSON form. */
export function cborToJson(value: unknown, depth = 0): StageResult<JsonValue> {
  const converted = toJson(value, depth);
  return converted instanceof NoJson ? stageFail({ code: 'claims_invalid', detail: converted.detail }) : stageOk(converted);
}

export interface DccCwt {
  /** Issuer: ISO 3166-1 alpha-2 as the spec asks (some write a ministry's name); "" when absent. */
  issuer: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
  /** The eu_DCC_v1 payload (hcert claim -260, key 1) as JSON. */
  payload: JsonObject;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 2 ** 40;
}

/** The hcert payload alone, as JSON: what the DCC schema and the business rules read. */
export function extractHcertPayload(claims: Map<unknown, unknown>): StageResult<JsonObject> {
  const hcert = claims.get(CLAIM_HCERT);
  if (!(hcert instanceof Map)) return stageFail({ code: 'claims_invalid', detail: `hcert claim (${CLAIM_HCERT}) is missing or not a map` });
  const body: unknown = hcert.get(HCERT_EU_DCC_V1);
  if (!(body instanceof Map)) return stageFail({ code: 'claims_invalid', detail: 'hcert has no eu_DCC_v1 (key 1) map' });
  const json = cborToJson(body);
  if (!json.ok) return json;
  const payload = json.value;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return stageFail({ code: 'claims_invalid', detail: 'eu_DCC_v1 is not an object' });
  }
  return stageOk(payload);
}

/** Reads iss, iat, exp and the hcert payload; every missing or mistyped claim is named. */
export function parseDccCwt(claims: Map<unknown, unknown>): StageResult<DccCwt> {
  const issuer = claims.get(CLAIM_ISS);
  const issuedAt = claims.get(CLAIM_IAT);
  const expiresAt = claims.get(CLAIM_EXP);
  if (issuer !== undefined && (typeof issuer !== 'string' || issuer.length > 200)) {
    return stageFail({ code: 'claims_invalid', detail: 'iss (1) is not text' });
  }
  if (!isNumericDate(issuedAt)) return stageFail({ code: 'claims_invalid', detail: 'iat (6) is missing or not a time' });
  if (!isNumericDate(expiresAt)) return stageFail({ code: 'claims_invalid', detail: 'exp (4) is missing or not a time' });
  const payload = extractHcertPayload(claims);
  if (!payload.ok) return payload;
  return stageOk({
    issuer: issuer ?? '',
    issuedAt: Math.floor(issuedAt),
    expiresAt: Math.floor(expiresAt),
    payload: payload.value,
  });
}

const TYPE_KEYS: readonly (readonly [string, DccCertificateType])[] = [
  ['v', 'vaccination'],
  ['t', 'test'],
  ['r', 'recovery'],
];

export const DCC_TYPE_KEY: Record<DccCertificateType, string> = { vaccination: 'v', test: 't', recovery: 'r' };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Vaccination, test or recovery: the payload must hold exactly one of v, t, r. */
export function dccCertificateType(payload: JsonObject): StageResult<DccCertificateType> {
  const present = TYPE_KEYS.filter(([key]) => Object.hasOwn(payload, key));
  const only = present[0];
  if (only === undefined || present.length > 1) {
    const found = present.map(([key]) => key).join(', ') || 'none';
    return stageFail({ code: 'dcc_schema_invalid', detail: `needs exactly one of v, t, r; found ${found}` });
  }
  return stageOk(only[1]);
}

/** The first entry of the certificate's v, t or r list. */
export function firstDccEntry(payload: JsonObject, type: DccCertificateType): JsonObject | null {
  const list = payload[DCC_TYPE_KEY[type]];
  if (!Array.isArray(list)) return null;
  const first = list[0];
  return isObject(first) ? first : null;
}

/** Canonical subject id of a DCC: "DCC:" + the UVCI (ci) upper-cased; null when it has none usable. */
export function dccSubjectId(uvci: unknown): string | null {
  if (typeof uvci !== 'string') return null;
  const id = `DCC:${uvci.trim().toUpperCase()}`;
  return isCanonicalSubjectId(id) ? id : null;
}

const DOB = /^\d{4}(?:-\d{2}(?:-\d{2})?)?/;

function text(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** ICAO 9303 transliteration ("MUSTERFRAU<GOESSINGER") made readable. */
function fromTransliterated(value: string): string {
  return value.replace(/<+/g, ' ').trim();
}

/**
 * Holder as the certificate names them: family name then given name (the order Vietnamese
 * names and passports' MRZ use), falling back to the transliterated fields when the national
 * spelling is absent.
 */
export function dccHolder(payload: JsonObject): Holder {
  const nam = payload.nam;
  const names = isObject(nam) ? nam : {};
  const family = text(names.fn) || fromTransliterated(text(names.fnt));
  const given = text(names.gn) || fromTransliterated(text(names.gnt));
  const dob = DOB.exec(text(payload.dob));
  return {
    name: [family, given].filter((part) => part.length > 0).join(' ').normalize('NFC'),
    dateOfBirth: dob === null ? null : dob[0],
  };
}

export interface DccSummary {
  certificateType: DccCertificateType;
  subjectIds: string[];
  holder: Holder;
}

/** What the pipeline needs from a (schema-valid) payload: its type, subject id and holder. */
export function summariseDccPayload(payload: JsonObject): StageResult<DccSummary> {
  const type = dccCertificateType(payload);
  if (!type.ok) return type;
  const entry = firstDccEntry(payload, type.value);
  if (entry === null) return stageFail({ code: 'dcc_schema_invalid', detail: `${DCC_TYPE_KEY[type.value]} has no entry` });
  const subjectId = dccSubjectId(entry.ci);
  return stageOk({
    certificateType: type.value,
    subjectIds: subjectId === null ? [] : [subjectId],
    holder: dccHolder(payload),
  });
}
