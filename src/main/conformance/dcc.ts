// `pccovid-kiosk conformance dcc <dir>`: runs every EU DCC test file of the dgc-testdata layout
// found under <dir> (`<CC>/2DCode/raw/<name>.json`, any depth, any case of "raw"; QR images in
// the file's 2DCODE or in `<CC>/png/` or `<CC>/2DCode/png/`).
//
// Each file is run at its TESTCTX.VALIDATIONCLOCK with its TESTCTX.CERTIFICATE as the only
// trusted signer, through the kiosk's own stages (decoders/dcc, verify.ts, src/common/camera).
// Every EXPECTED* flag the file sets is checked as the dgc-testdata README defines it: true means
// the step must succeed, false that it must fail; an absent flag is not tested; unknown keys are
// ignored. A step reads the file's own field for its input when the file has it, else the value
// the chain derives from PREFIX (the code as scanned), so a negative case needs only the fields
// it is about. A step whose input the file lacks altogether (no image, no certificate) is skipped
// and said so; a file passes when no step failed and at least one ran.
//
//   EXPECTEDPICTUREDECODE    the QR image decodes (camera decoder) to exactly PREFIX
//   EXPECTEDUNPREFIX         PREFIX is "HC1:" followed by BASE45
//   EXPECTEDB45DECODE        BASE45 is valid base45 and decodes to COMPRESSED
//   EXPECTEDCOMPRESSION      COMPRESSED inflates (zlib, size capped) to COSE
//   EXPECTEDVERIFY           COSE is a COSE_Sign1 (ES256/PS256, kid) whose signature holds under
//                            the certificate found by that kid; certificate dates and key usage
//                            are the two flags below, not this one
//   EXPECTEDDECODE           COSE's payload is a CWT with an hcert whose content equals CBOR and JSON
//   EXPECTEDVALIDJSON        the whole chain from PREFIX yields a payload equal to JSON
//   EXPECTEDSCHEMAVALIDATION the payload is valid against the DCC schema (1.3.3)
//   EXPECTEDEXPIRATIONCHECK  at the clock: iat ≤ clock < exp, and the DCC's [iat, exp] lies
//                            within the certificate's validity (verify.ts)
//   EXPECTEDKEYUSAGE         the certificate's extended key usage allows the type (v, t or r) of
//                            the payload in COSE; whether the signature holds is EXPECTEDVERIFY's
//                            question (a file may expect a wrong signature and a right key usage,
//                            as the reference run in dgc-testdata's tests/ checks it)
//   EXPECTEDVALIDOBJECT      JSON is valid against the DCC schema
//   EXPECTEDENCODE           CBOR decodes to the same content as JSON
// Payloads compare as JSON values: map order does not matter, and two date-time texts that name
// the same instant are equal ("…T09:24:02Z" and "…T09:24:02.000+00:00"), as the README's notes
// on comparing decoded content ask.
//
// A test file can itself be wrong. Files whose error upstream acknowledges are listed in
// dcc-known-issues.json by the SHA-256 of their content (see dcc-known-issues.ts): a listed flag
// that fails only where the file's JSON contradicts its own signed payload is reported as KNOWN,
// counted neither passed nor failed, and every other flag of the file is still checked.
// `--strict` applies no such list; `--known-issues FILE` adds entries of the same format.
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, relative, sep } from 'node:path';
import { decode as decodeCbor } from 'cborg';
import { coseSign1ToBeSigned, parseCoseSign1 } from '../../common/cose/cose-sign1.js';
import { base45Decode } from '../../common/formats/base45.js';
import {
  cborToJson,
  DCC_MAX_INFLATED_BYTES,
  DCC_PREFIX,
  decodeDccCwtClaims,
  dccCertificateType,
  extractHcertPayload,
  type JsonObject,
  type JsonValue,
} from '../../common/formats/dcc/dcc-claims.js';
import type { StageResult } from '../../common/types/result.js';
import { readPng } from '../../../hardware/camera/png.js';
import { decodeQrFromRgba } from '../../common/camera/qr-decoder.js';
import type { CliIo } from '../cli/output.js';
import { dccCwtOf, parseDccCose, unprefixDcc } from '../pipeline/decoders/dcc/dcc-decoder.js';
import { DCC_SCHEMA_VERSION, validateDccPayload } from '../pipeline/decoders/dcc/dcc-schema.js';
import { inflateCapped } from '../pipeline/decoders/pc1/pc1-decoder.js';
import {
  checkDccKeyUsage,
  checkDccSignerValidity,
  checkDccTimes,
  dccSignersWhoseSignatureHolds,
  type IssuerKey,
} from '../pipeline/verify.js';
import { dccSignerKey } from '../trust/dcc-signers.js';
import { MapTrustStore } from '../trust/trust-store.js';
import { ConformanceTally, findFiles, readJsonFile, shorten } from './conformance-run.js';
import { excuses, knownIssueHash, knownIssuesBySha, readKnownIssues, shippedKnownIssues, type KnownIssue, type KnownIssues } from './dcc-known-issues.js';

export const DCC_EXPECTED_FLAGS = [
  'EXPECTEDPICTUREDECODE',
  'EXPECTEDUNPREFIX',
  'EXPECTEDB45DECODE',
  'EXPECTEDCOMPRESSION',
  'EXPECTEDVERIFY',
  'EXPECTEDDECODE',
  'EXPECTEDVALIDJSON',
  'EXPECTEDSCHEMAVALIDATION',
  'EXPECTEDEXPIRATIONCHECK',
  'EXPECTEDKEYUSAGE',
  'EXPECTEDVALIDOBJECT',
  'EXPECTEDENCODE',
] as const;

type Flag = (typeof DCC_EXPECTED_FLAGS)[number];
type Json = Readonly<Record<string, unknown>>;

/**
 * What a step found: whether it succeeded and, either way, why (for the failure line). A step
 * that compared a decoded payload with the file's JSON and found them different also says
 * where (`differences`, JSON pointers), so a known error in the file can be told from a bug.
 */
type Outcome = { succeeded: boolean; why: string; differences?: readonly string[] } | { untestable: string };

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function succeeded(why = 'it succeeded'): Outcome {
  return { succeeded: true, why };
}

function failedWith(why: string): Outcome {
  return { succeeded: false, why };
}

/** A decoded payload that is not the file's JSON: why, and every place where they differ. */
function differsFromJson(what: string, decoded: unknown, json: unknown): Outcome {
  return { succeeded: false, why: `${what} ${firstDifference(decoded, json)}`, differences: allDifferences(decoded, json) };
}

function reasonText(result: { ok: false; reason: { code: string; detail?: string } }): string {
  const { code, detail } = result.reason;
  return detail === undefined ? code : `${code} (${detail})`;
}

function hexBytes(text: unknown, field: string): StageResult<Uint8Array> {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    return { ok: false, reason: { code: 'cose_invalid', detail: `${field} is not hex` } };
  }
  return { ok: true, value: Uint8Array.from(Buffer.from(text, 'hex')) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

// RFC 3339 date-time, with the offsets issuers write (+hh, +hhmm, +hh:mm) and any fraction.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** Milliseconds since the epoch of an ISO 8601 date-time; no offset means UTC. */
export function parseIsoDateTime(text: string): number | null {
  const match = DATE_TIME.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(Number(`0.${fraction ?? '0'}`) * 1000));
  if (zone === undefined || zone === 'Z' || zone === 'z') return ms;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return ms - sign * offsetMinutes * 60_000;
}

/** JSON equality as the README asks: unordered maps, date-times compared as instants. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return true;
    const ta = parseIsoDateTime(a);
    const tb = parseIsoDateTime(b);
    return ta !== null && ta === tb;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
  }
  return a === b;
}

function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!sameJson(a[key], b[key])) return firstDifference(a[key], b[key], `${path}/${key}`);
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return firstDifference(a[i], b[i], `${path}/${i}`);
  }
  return `at ${path || '/'}: ${shorten(JSON.stringify(a) ?? 'nothing', 80)} vs ${shorten(JSON.stringify(b) ?? 'nothing', 80)}`;
}

/** Every JSON pointer at which two values differ (the innermost place of each difference). */
export function allDifferences(a: unknown, b: unknown, path = ''): string[] {
  if (sameJson(a, b)) return [];
  if (isRecord(a) && isRecord(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) => allDifferences(a[key], b[key], `${path}/${key}`));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item: unknown, i) => allDifferences(item, b[i], `${path}/${i}`));
  }
  return [path || '/'];
}

const CBOR_DECODE_OPTIONS = { useMaps: true, rejectDuplicateMapKeys: true, tags: { 0: (c: () => unknown) => c(), 1: (c: () => unknown) => c() } };

/** The CBOR field as an hcert payload: the test files hold either the payload or whole CWT claims. */
function payloadOfCborField(hex: unknown): StageResult<JsonValue> {
  const bytes = hexBytes(hex, 'CBOR');
  if (!bytes.ok) return bytes;
  let value: unknown;
  try {
    value = decodeCbor(bytes.value, CBOR_DECODE_OPTIONS);
  } catch (error) {
    return { ok: false, reason: { code: 'cwt_invalid', detail: `CBOR: ${error instanceof Error ? error.message : String(error)}` } };
  }
  if (value instanceof Map && value.has(-260)) return extractHcertPayload(value);
  return cborToJson(value);
}

/** One test file with what its steps share, each derived once on demand. */
class DccTestFile {
  private chainCose: StageResult<Uint8Array> | undefined;

  constructor(
    readonly file: string,
    readonly json: Json,
    readonly context: Json,
    private readonly images: readonly string[],
  ) {}

  field(name: string): unknown {
    return this.json[name];
  }

  has(name: string): boolean {
    return Object.hasOwn(this.json, name);
  }

  get prefix(): string | undefined {
    const value = this.json.PREFIX;
    return typeof value === 'string' ? value : undefined;
  }

  /** COSE bytes from the chain PREFIX → base45 → zlib. */
  coseFromPrefix(): StageResult<Uint8Array> {
    if (this.chainCose !== undefined) return this.chainCose;
    const prefix = this.prefix;
    const base45Text = prefix === undefined ? undefined : unprefixDcc(prefix);
    if (base45Text === undefined) {
      this.chainCose = { ok: false, reason: { code: 'empty_input', detail: 'the file has no PREFIX' } };
    } else if (!base45Text.ok) {
      this.chainCose = base45Text;
    } else {
      const compressed = base45Decode(base45Text.value);
      this.chainCose = compressed.ok ? inflateCapped(compressed.value, DCC_MAX_INFLATED_BYTES) : compressed;
    }
    return this.chainCose;
  }

  /** COSE bytes: the COSE field when the file has one, else the chain's. */
  coseBytes(): StageResult<Uint8Array> {
    return this.has('COSE') ? hexBytes(this.json.COSE, 'COSE') : this.coseFromPrefix();
  }

  signer(): StageResult<IssuerKey> | undefined {
    const certificate = this.context.CERTIFICATE;
    if (typeof certificate !== 'string') return undefined;
    const der = Buffer.from(certificate.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    return dccSignerKey(Uint8Array.from(der));
  }

  clockMs(): number | null | undefined {
    const clock = this.context.VALIDATIONCLOCK;
    return typeof clock === 'string' ? parseIsoDateTime(clock) : undefined;
  }

  async image(): Promise<Uint8Array | undefined> {
    const embedded = this.json['2DCODE'];
    if (typeof embedded === 'string') return Uint8Array.from(Buffer.from(embedded, 'base64'));
    const path = this.images[0];
    return path === undefined ? undefined : Uint8Array.from(await readFile(path));
  }
}

function payloadOfCose(bytes: StageResult<Uint8Array>): StageResult<JsonObject> {
  if (!bytes.ok) return bytes;
  const cose = parseCoseSign1(bytes.value);
  if (!cose.ok) return cose;
  const claims = decodeDccCwtClaims(cose.value.payload);
  if (!claims.ok) return claims;
  return extractHcertPayload(claims.value);
}

/** The signature check alone: COSE parsed, kid found among the (one) trusted certificate, signature holds. */
function signatureOutcome(test: DccTestFile): Outcome {
  const signer = test.signer();
  if (signer === undefined) return { untestable: 'the file has no TESTCTX.CERTIFICATE' };
  const bytes = test.coseBytes();
  if (!bytes.ok) return failedWith(`no COSE: ${reasonText(bytes)}`);
  const cose = parseDccCose(bytes.value);
  if (!cose.ok) return failedWith(reasonText(cose));
  if (!signer.ok) return failedWith(`the certificate is unusable: ${reasonText(signer)}`);
  const { alg, kid } = cose.value;
  if ((alg !== 'ES256' && alg !== 'PS256') || kid === null) return failedWith('not an ES256/PS256 COSE_Sign1 with a kid');
  const toBeSigned = coseSign1ToBeSigned(cose.value.protectedBytes, cose.value.payload);
  const signature = { alg, kid, toBeSigned, signature: cose.value.signature };
  const holding = dccSignersWhoseSignatureHolds({ signature }, new MapTrustStore([signer.value]));
  return holding.ok ? succeeded('the signature holds') : failedWith(reasonText(holding));
}

async function runStep(flag: Flag, test: DccTestFile): Promise<Outcome> {
  switch (flag) {
    case 'EXPECTEDPICTUREDECODE': {
      const prefix = test.prefix;
      if (prefix === undefined) return { untestable: 'the file has no PREFIX to compare with' };
      const image = await test.image();
      if (image === undefined) return { untestable: 'the file has no 2DCODE and no PNG of the same name' };
      const png = readPng(image);
      if (!png.ok) return failedWith(png.why);
      const decoded = decodeQrFromRgba(png.image.rgba, png.image.width, png.image.height);
      if (!decoded.ok) return failedWith(`no QR code read: ${decoded.why}`);
      return decoded.text === prefix ? succeeded('the image decodes to PREFIX') : failedWith(`the image decodes to "${shorten(decoded.text, 40)}", not PREFIX`);
    }
    case 'EXPECTEDUNPREFIX': {
      const prefix = test.prefix;
      if (prefix === undefined) return { untestable: 'the file has no PREFIX' };
      const rest = unprefixDcc(prefix);
      if (!rest.ok) return failedWith(reasonText(rest));
      const base45 = test.field('BASE45');
      if (base45 !== undefined && rest.value !== base45) return failedWith(`PREFIX without "${DCC_PREFIX}" differs from BASE45`);
      return succeeded(`PREFIX is "${DCC_PREFIX}" + BASE45`);
    }
    case 'EXPECTEDB45DECODE': {
      const own = test.field('BASE45');
      const prefix = test.prefix;
      const text = typeof own === 'string' ? own : prefix?.startsWith(DCC_PREFIX) === true ? prefix.slice(DCC_PREFIX.length) : undefined;
      if (text === undefined) return { untestable: 'the file has no BASE45 (nor an HC1: PREFIX)' };
      const decoded = base45Decode(text);
      if (!decoded.ok) return failedWith(reasonText(decoded));
      if (test.has('COMPRESSED')) {
        const compressed = hexBytes(test.field('COMPRESSED'), 'COMPRESSED');
        if (!compressed.ok) return failedWith(reasonText(compressed));
        if (!sameBytes(decoded.value, compressed.value)) return failedWith('BASE45 decodes to bytes other than COMPRESSED');
      }
      return succeeded('BASE45 decodes');
    }
    case 'EXPECTEDCOMPRESSION': {
      let compressed: StageResult<Uint8Array>;
      if (test.has('COMPRESSED')) compressed = hexBytes(test.field('COMPRESSED'), 'COMPRESSED');
      else {
        const own = test.field('BASE45');
        const prefix = test.prefix;
        const text = typeof own === 'string' ? own : prefix?.startsWith(DCC_PREFIX) === true ? prefix.slice(DCC_PREFIX.length) : undefined;
        if (text === undefined) return { untestable: 'the file has no COMPRESSED, BASE45 or HC1: PREFIX' };
        compressed = base45Decode(text);
      }
      if (!compressed.ok) return failedWith(reasonText(compressed));
      const inflated = inflateCapped(compressed.value, DCC_MAX_INFLATED_BYTES);
      if (!inflated.ok) return failedWith(reasonText(inflated));
      if (test.has('COSE')) {
        const cose = hexBytes(test.field('COSE'), 'COSE');
        if (!cose.ok) return failedWith(reasonText(cose));
        if (!sameBytes(inflated.value, cose.value)) return failedWith('COMPRESSED inflates to bytes other than COSE');
      }
      return succeeded('COMPRESSED inflates');
    }
    case 'EXPECTEDVERIFY':
      return signatureOutcome(test);
    case 'EXPECTEDDECODE': {
      const hasCose = test.has('COSE') || test.prefix !== undefined;
      const fromCose = hasCose ? payloadOfCose(test.coseBytes()) : undefined;
      if (fromCose !== undefined && !fromCose.ok) return failedWith(`COSE payload: ${reasonText(fromCose)}`);
      const fromCbor = test.has('CBOR') ? payloadOfCborField(test.field('CBOR')) : undefined;
      if (fromCbor !== undefined && !fromCbor.ok) return failedWith(`CBOR: ${reasonText(fromCbor)}`);
      const decoded = fromCose?.value ?? fromCbor?.value;
      if (decoded === undefined) return { untestable: 'the file has no COSE, PREFIX or CBOR' };
      if (fromCose !== undefined && fromCbor !== undefined && !sameJson(fromCose.value, fromCbor.value)) {
        return failedWith(`COSE payload differs from CBOR ${firstDifference(fromCose.value, fromCbor.value)}`);
      }
      if (test.has('JSON') && !sameJson(decoded, test.field('JSON'))) return differsFromJson('decoded payload differs from JSON', decoded, test.field('JSON'));
      return succeeded('the payload decodes and matches');
    }
    case 'EXPECTEDVALIDJSON': {
      if (!test.has('JSON')) return { untestable: 'the file has no JSON' };
      if (test.prefix === undefined) return { untestable: 'the file has no PREFIX' };
      const payload = payloadOfCose(test.coseFromPrefix());
      if (!payload.ok) return failedWith(`the chain from PREFIX: ${reasonText(payload)}`);
      if (!sameJson(payload.value, test.field('JSON'))) return differsFromJson('the chain from PREFIX yields a payload other than JSON', payload.value, test.field('JSON'));
      return succeeded('the chain from PREFIX yields JSON');
    }
    case 'EXPECTEDSCHEMAVALIDATION': {
      let payload: StageResult<JsonValue>;
      if (test.has('COSE') || test.prefix !== undefined) payload = payloadOfCose(test.coseBytes());
      else if (test.has('CBOR')) payload = payloadOfCborField(test.field('CBOR'));
      else if (test.has('JSON')) payload = { ok: true, value: test.field('JSON') as JsonValue };
      else return { untestable: 'the file has no payload (COSE, PREFIX, CBOR or JSON)' };
      if (!payload.ok) return failedWith(`no payload: ${reasonText(payload)}`);
      return schemaOutcome(payload.value);
    }
    case 'EXPECTEDVALIDOBJECT':
      return test.has('JSON') ? schemaOutcome(test.field('JSON') as JsonValue) : { untestable: 'the file has no JSON' };
    case 'EXPECTEDENCODE': {
      if (!test.has('JSON') || !test.has('CBOR')) return { untestable: 'the file needs both JSON and CBOR' };
      const fromCbor = payloadOfCborField(test.field('CBOR'));
      if (!fromCbor.ok) return failedWith(`CBOR: ${reasonText(fromCbor)}`);
      return sameJson(fromCbor.value, test.field('JSON')) ? succeeded('CBOR encodes JSON') : differsFromJson('CBOR differs from JSON', fromCbor.value, test.field('JSON'));
    }
    case 'EXPECTEDEXPIRATIONCHECK': {
      const signer = test.signer();
      const clock = test.clockMs();
      if (signer === undefined) return { untestable: 'the file has no TESTCTX.CERTIFICATE' };
      if (clock === undefined) return { untestable: 'the file has no TESTCTX.VALIDATIONCLOCK' };
      if (clock === null) return failedWith('TESTCTX.VALIDATIONCLOCK is not an ISO 8601 date-time');
      if (!signer.ok) return failedWith(`the certificate is unusable: ${reasonText(signer)}`);
      const bytes = test.coseBytes();
      if (!bytes.ok) return failedWith(`no COSE: ${reasonText(bytes)}`);
      const cose = parseCoseSign1(bytes.value);
      if (!cose.ok) return failedWith(reasonText(cose));
      const cwt = dccCwtOf(cose.value);
      if (!cwt.ok) return failedWith(reasonText(cwt));
      const validity = checkDccSignerValidity(cwt.value, signer.value);
      if (!validity.ok) return failedWith(reasonText(validity));
      const times = checkDccTimes(cwt.value, clock);
      return times.ok ? succeeded('valid at the clock') : failedWith(reasonText(times));
    }
    case 'EXPECTEDKEYUSAGE': {
      const signer = test.signer();
      if (signer === undefined) return { untestable: 'the file has no TESTCTX.CERTIFICATE' };
      if (!signer.ok) return failedWith(`the certificate is unusable: ${reasonText(signer)}`);
      const bytes = test.coseBytes();
      const payload = payloadOfCose(bytes);
      if (!payload.ok) return failedWith(reasonText(payload));
      const type = dccCertificateType(payload.value);
      if (!type.ok) return failedWith(reasonText(type));
      const usage = checkDccKeyUsage({ certificateType: type.value }, signer.value);
      return usage.ok ? succeeded(`the certificate may sign ${type.value}`) : failedWith(reasonText(usage));
    }
    default: {
      const unreachable: never = flag;
      return unreachable;
    }
  }
}

/**
 * The schema a payload is validated against is the one of the version it declares (`ver`); the
 * kiosk ships 1.3.3, the last 1.3 release, so 1.3.x payloads are tested and a payload of an older
 * schema (1.0–1.2, laxer: empty v/t/r lists, longer texts) is not tested rather than judged by
 * rules it was never written to.
 */
function schemaOutcome(payload: JsonValue): Outcome {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return failedWith('the payload is not a JSON object');
  const version = payload.ver;
  if (typeof version === 'string' && /^\d+\.\d+\.\d+$/.test(version) && !version.startsWith(`${DCC_SCHEMA_VERSION.slice(0, 4)}`)) {
    return { untestable: `the payload declares schema ${version}; only ${DCC_SCHEMA_VERSION.slice(0, 3)}.x is shipped` };
  }
  const valid = validateDccPayload(payload);
  return valid.ok ? succeeded('the payload is valid against the schema') : failedWith(reasonText(valid));
}

/** The country of a test file: the folder above its "2DCode" folder, else the folder above "raw". */
function countryOf(dir: string, file: string): string {
  const parts = relative(dir, file).split(sep);
  const at = parts.findIndex((part) => part.toLowerCase() === '2dcode');
  const country = at > 0 ? parts[at - 1] : at === 0 ? basename(dir) : parts.length >= 3 ? parts[parts.length - 3] : basename(dir);
  return country ?? basename(dir);
}

/** The folder that holds a country's files: everything up to the country's own folder. */
function countryRoot(file: string): string {
  let folder = dirname(file);
  while (folder !== dirname(folder)) {
    if (basename(folder).toLowerCase() === '2dcode') return dirname(folder);
    folder = dirname(folder);
  }
  return dirname(dirname(file));
}

function normalisedStem(path: string): string {
  return basename(path, extname(path))
    .toLowerCase()
    .replace(/[-\s]+/g, '_')
    .replace(/_raw$/, '');
}

/** PNGs in a png/ folder of the file's country whose name is the test file's (or "<name>_qr"). */
function imagesFor(file: string, pngs: readonly string[]): string[] {
  const root = countryRoot(file) + sep;
  const stem = normalisedStem(file);
  return pngs.filter((png) => {
    if (!png.startsWith(root) || basename(dirname(png)).toLowerCase() !== 'png') return false;
    const candidate = normalisedStem(png);
    return candidate === stem || candidate === `${stem}_qr`;
  });
}

interface CountryRow {
  files: number;
  passed: number;
  failed: number;
  known: number;
  skipped: number;
}

type FileVerdict = 'passed' | 'failed' | 'known' | 'skipped';

/** Steps a file set but could not run, by flag and why, with the files: printed once at the end. */
type Untested = Map<string, string[]>;

/** What the run shares across files. */
interface RunContext {
  readonly tally: ConformanceTally;
  readonly io: CliIo;
  readonly untested: Untested;
  readonly pngs: readonly string[];
  readonly known: KnownIssues;
  /** Known issues whose file was found but whose flags all passed: the list is out of date. */
  readonly stale: KnownIssue[];
}

async function runFile(run: RunContext, file: string): Promise<FileVerdict> {
  const { tally, untested, pngs } = run;
  const read = await readJsonFile(file);
  if (!read.ok) {
    tally.fail(file, '(test file)', read.why);
    return 'failed';
  }
  const json = read.value;
  if (!isRecord(json)) {
    tally.fail(file, '(test file)', 'not a DCC test file: the file is not a JSON object');
    return 'failed';
  }
  const expected = json.EXPECTEDRESULTS;
  if (!isRecord(expected)) {
    tally.fail(file, '(test file)', 'not a DCC test file: EXPECTEDRESULTS is missing or not an object');
    return 'failed';
  }
  const context = isRecord(json.TESTCTX) ? json.TESTCTX : {};
  const test = new DccTestFile(file, json, context, imagesFor(file, pngs));
  const knownIssue = run.known.size === 0 ? undefined : run.known.get(knownIssueHash(json));
  const failures: string[] = [];
  const excused: string[] = [];
  let ran = 0;
  for (const flag of DCC_EXPECTED_FLAGS) {
    if (!Object.hasOwn(expected, flag)) continue;
    const want = expected[flag];
    if (typeof want !== 'boolean') {
      failures.push(`${flag}: the expected value is ${JSON.stringify(want)}, not true or false`);
      continue;
    }
    let outcome: Outcome;
    try {
      outcome = await runStep(flag, test);
    } catch (error) {
      // A bug in a stage, not a property of the file: reported on the file, never a crash.
      failures.push(`${flag}: the step threw: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if ('untestable' in outcome) {
      const key = `${flag}: ${outcome.untestable}`;
      untested.set(key, [...(untested.get(key) ?? []), file]);
      continue;
    }
    ran += 1;
    if (outcome.succeeded !== want) {
      const line = `${flag}=${String(want)}: ${want ? outcome.why : `expected to fail, but ${outcome.why}`}`;
      if (want && knownIssue !== undefined && excuses(knownIssue, flag, outcome.differences)) excused.push(line);
      else failures.push(line);
    }
  }
  const flagsOf = (lines: readonly string[]): string => lines.map((line) => line.slice(0, line.indexOf(':'))).join(', ');
  if (failures.length > 0) {
    tally.fail(file, flagsOf(failures), failures.join('; '));
    return 'failed';
  }
  if (knownIssue !== undefined && excused.length === 0) run.stale.push(knownIssue);
  if (excused.length > 0 && knownIssue !== undefined) {
    run.io.out(`KNOWN ${file}: ${flagsOf(excused)}: ${excused.join('; ')}; an error in the test file itself (${knownIssue.issue}): ${knownIssue.why}`);
    return 'known';
  }
  if (ran === 0) return 'skipped';
  tally.pass();
  return 'passed';
}

function isTestFile(file: string): boolean {
  return extname(file).toLowerCase() === '.json' && basename(dirname(file)).toLowerCase() === 'raw';
}

function printCountryTable(io: CliIo, rows: ReadonlyMap<string, CountryRow>): void {
  const header = ['country', 'files', 'passed', 'failed', 'known', 'skipped'];
  const body = [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([country, row]) => [country, String(row.files), String(row.passed), String(row.failed), String(row.known), String(row.skipped)]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...body.map((row) => (row[i] ?? '').length)));
  for (const row of [header, ...body]) io.out(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '));
}

export interface DccConformanceOptions {
  /** Apply no known-issue list: a test file's own error counts as failed. */
  readonly strict?: boolean;
  /** A file of known test-file errors (dcc-known-issues.json's format) added to the shipped list. */
  readonly knownIssues?: string;
}

/** The known issues a run applies; a bad --known-issues file is an error a person can fix. */
async function knownIssuesFor(options: DccConformanceOptions): Promise<KnownIssues> {
  if (options.strict === true) return knownIssuesBySha([]);
  const extra = options.knownIssues === undefined ? [] : await readKnownIssues(options.knownIssues);
  return knownIssuesBySha([...shippedKnownIssues(), ...extra]);
}

/** Runs every DCC test file under `dir`; prints failures, a per-country table and `N passed, N failed`. */
export async function runDccConformance(dir: string, io: CliIo, options: DccConformanceOptions = {}): Promise<number> {
  const known = await knownIssuesFor(options);
  const tally = new ConformanceTally(io);
  const found = await findFiles(dir);
  for (const { path, why } of found.unreadable) tally.fail(path, '(folder)', why);
  const pngs = found.files.filter((file) => extname(file).toLowerCase() === '.png');
  const rows = new Map<string, CountryRow>();
  const untested: Untested = new Map();
  const run: RunContext = { tally, io, untested, pngs, known, stale: [] };
  for (const file of found.files.filter(isTestFile)) {
    const verdict = await runFile(run, file);
    const country = countryOf(dir, file);
    const row = rows.get(country) ?? { files: 0, passed: 0, failed: 0, known: 0, skipped: 0 };
    row.files += 1;
    row[verdict] += 1;
    rows.set(country, row);
  }
  for (const [what, files] of untested) {
    const example = relative(dir, files[0] ?? '') || (files[0] ?? '');
    io.err(`not tested in ${files.length} file(s): ${what} (e.g. ${example})`);
  }
  const skipped = [...rows.values()].reduce((total, row) => total + row.skipped, 0);
  if (skipped > 0) io.err(`${skipped} file(s) had no step that could run; counted neither passed nor failed`);
  const knownFiles = [...rows.values()].reduce((total, row) => total + row.known, 0);
  if (knownFiles > 0) {
    io.err(`${knownFiles} file(s) marked KNOWN: the test file contradicts its own signed payload, as reported upstream; counted neither passed nor failed (--strict counts them as failed)`);
  }
  for (const issue of run.stale) io.err(`known issue no longer shows in ${issue.file} (${issue.issue}): its flags now pass; the entry can go`);
  if (rows.size > 0) printCountryTable(io, rows);
  return tally.finish(dir);
}
