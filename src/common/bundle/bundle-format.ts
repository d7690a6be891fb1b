// The bytes of a signed bundle. A bundle can be a gigabyte (a country's status snapshot), so
// the signature covers a small header that commits to the payload's length and SHA-256, and
// the payload follows the header unframed, 8-byte aligned so readers can view it in place.
//
//   "PCB1" | u32 BE envelope length | envelope | zero padding to 8 | payload
//   envelope  = CBOR [header bytes, Ed25519 signature]
//   signature = Ed25519(CBOR ["PCCovid bundle v1", header bytes])
//   header    = CBOR map (deterministic encoding, RFC 8949 §4.2), see encodeBundleHeader
//   bundle hash (what "previous" names) = SHA-256(header bytes)
//
// Decoding never throws: every defect becomes a BundleResult failure.
import { decode, encode, rfc8949EncodeOptions } from 'cborg';
import {
  BUNDLE_FORMAT_VERSION,
  bundleFail,
  bundleOk,
  isBundleType,
  isEpochBound,
  KID_BYTES,
  SHA256_BYTES,
  type BundleHeader,
  type BundleResult,
  type Sha256,
  type Sign,
} from './bundle-types.js';

export const BUNDLE_MAGIC = new Uint8Array([0x50, 0x43, 0x42, 0x31]); // "PCB1"
export const SIGNING_CONTEXT = 'PCCovid bundle v1';
/** Headers are a few hundred bytes; anything larger is not a bundle. */
export const MAX_ENVELOPE_BYTES = 4096;
/** Enough bytes of a file to parse any bundle's prefix. */
export const MAX_PREFIX_BYTES = 8 + MAX_ENVELOPE_BYTES + 8;
export const ED25519_SIGNATURE_BYTES = 64;

const DECODE_OPTIONS = { strict: true, useMaps: true, rejectDuplicateMapKeys: true, allowUndefined: false, allowBigInt: false } as const;

export function encodeCanonical(value: unknown): Uint8Array {
  return encode(value, rfc8949EncodeOptions);
}

/**
 * Decodes CBOR that must be in deterministic form: re-encoding gives back the same bytes, so
 * nobody can produce a second encoding of a signed value.
 */
export function decodeCanonical(bytes: Uint8Array): BundleResult<unknown> {
  let value: unknown;
  try {
    value = decode(bytes, DECODE_OPTIONS);
  } catch (error) {
    return bundleFail('malformed', `CBOR: ${describe(error)}`);
  }
  let again: Uint8Array;
  try {
    again = encodeCanonical(value);
  } catch (error) {
    return bundleFail('malformed', `CBOR: ${describe(error)}`);
  }
  if (!sameBytes(again, bytes)) return bundleFail('malformed', 'CBOR is not in deterministic encoding');
  return bundleOk(value);
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function encodeBundleHeader(header: BundleHeader): Uint8Array {
  const map = new Map<string, unknown>([
    ['v', header.version],
    ['type', header.type],
    ['seq', header.sequence],
    ['iat', header.issuedAt],
    ['exp', header.expiresAt],
    ['prev', header.previousHash],
    ['kid', header.signerKid],
    ['len', header.payloadLength],
    ['sha256', header.payloadSha256],
  ]);
  if (isEpochBound(header.type)) map.set('epoch', header.epoch);
  if (header.type === 'epoch-key') map.set('device', header.device);
  return encodeCanonical(map);
}

// Readers for fields of decoded CBOR maps: each returns undefined when the field is absent or
// of the wrong shape, so callers turn that into one clear "malformed" detail.
export function readUint(map: Map<unknown, unknown>, key: string): number | undefined {
  const value = map.get(key);
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

export function readBytes(map: Map<unknown, unknown>, key: string, length?: number): Uint8Array | undefined {
  const value = map.get(key);
  return value instanceof Uint8Array && (length === undefined || value.length === length) ? value : undefined;
}

export function readText(map: Map<unknown, unknown>, key: string): string | undefined {
  const value = map.get(key);
  return typeof value === 'string' ? value : undefined;
}

export function hasOnlyKeys(map: Map<unknown, unknown>, keys: readonly string[]): boolean {
  for (const key of map.keys()) if (typeof key !== 'string' || !keys.includes(key)) return false;
  return true;
}

const HEADER_KEYS = ['v', 'type', 'seq', 'iat', 'exp', 'prev', 'kid', 'len', 'sha256', 'epoch', 'device'];

export function decodeBundleHeader(bytes: Uint8Array): BundleResult<BundleHeader> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return decoded;
  const map = decoded.value;
  if (!(map instanceof Map) || !hasOnlyKeys(map, HEADER_KEYS)) {
    return bundleFail('malformed', 'header is not a map of the known fields');
  }
  const version = readUint(map, 'v');
  if (version !== BUNDLE_FORMAT_VERSION) {
    return bundleFail('unsupported_version', `bundle format version ${String(map.get('v'))}; this kiosk reads ${BUNDLE_FORMAT_VERSION}`);
  }
  const type = map.get('type');
  if (!isBundleType(type)) return bundleFail('malformed', `unknown bundle type ${JSON.stringify(type)}`);
  const sequence = readUint(map, 'seq');
  const issuedAt = readUint(map, 'iat');
  const expiresAt = readUint(map, 'exp');
  const previous = map.get('prev');
  const previousHash = previous === null ? null : readBytes(map, 'prev', SHA256_BYTES);
  const signerKid = readBytes(map, 'kid', KID_BYTES);
  const payloadLength = readUint(map, 'len');
  const payloadSha256 = readBytes(map, 'sha256', SHA256_BYTES);
  if (sequence === undefined || sequence < 1) return bundleFail('malformed', 'sequence is not a positive integer');
  if (issuedAt === undefined || expiresAt === undefined) return bundleFail('malformed', 'issued-at or expires-at missing');
  if (expiresAt <= issuedAt) return bundleFail('malformed', 'expires-at is not after issued-at');
  if (previousHash === undefined) return bundleFail('malformed', 'previous hash is neither null nor 32 bytes');
  if (signerKid === undefined) return bundleFail('malformed', `signer kid is not ${KID_BYTES} bytes`);
  if (payloadLength === undefined || payloadSha256 === undefined) return bundleFail('malformed', 'payload length or hash missing');
  let epoch: number | null = null;
  if (isEpochBound(type)) {
    const value = readUint(map, 'epoch');
    if (value === undefined) return bundleFail('malformed', `${type} bundle without an epoch`);
    epoch = value;
  } else if (map.has('epoch')) {
    return bundleFail('malformed', `${type} bundle must not name an epoch`);
  }
  let device: Uint8Array | null = null;
  if (type === 'epoch-key') {
    const value = readBytes(map, 'device', KID_BYTES);
    if (value === undefined) return bundleFail('malformed', 'epoch-key bundle without a device key id');
    device = value;
  } else if (map.has('device')) {
    return bundleFail('malformed', `${type} bundle must not name a device`);
  }
  return bundleOk({
    version: BUNDLE_FORMAT_VERSION,
    type,
    sequence,
    issuedAt,
    expiresAt,
    previousHash,
    signerKid,
    payloadLength,
    payloadSha256,
    epoch,
    device,
  });
}

/** The bytes the signature covers. */
export function bundleSigningInput(headerBytes: Uint8Array): Uint8Array {
  return encodeCanonical([SIGNING_CONTEXT, headerBytes]);
}

function alignTo8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** Everything before the payload; the caller writes the payload right after it. */
export function encodeBundlePrefix(headerBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  const envelope = encodeCanonical([headerBytes, signature]);
  const prefix = new Uint8Array(alignTo8(8 + envelope.length)); // zero-filled: the padding is zeros
  prefix.set(BUNDLE_MAGIC, 0);
  new DataView(prefix.buffer).setUint32(4, envelope.length, false);
  prefix.set(envelope, 8);
  return prefix;
}

export interface UnsignedHeader {
  type: BundleHeader['type'];
  sequence: number;
  issuedAt: number;
  expiresAt: number;
  previousHash: Uint8Array | null;
  epoch?: number | null;
  device?: Uint8Array | null;
}

export interface SignedBundleParts {
  header: BundleHeader;
  headerBytes: Uint8Array;
  /** The bytes before the payload; the bundle is prefix followed by the payload. */
  prefix: Uint8Array;
}

/** Signs a header for `payload`; the publisher writes prefix then payload (no copy of a big payload). */
export function signBundleHeader(
  fields: UnsignedHeader,
  payload: Uint8Array,
  signerKid: Uint8Array,
  sha256: Sha256,
  sign: Sign,
): SignedBundleParts {
  const header: BundleHeader = {
    version: BUNDLE_FORMAT_VERSION,
    type: fields.type,
    sequence: fields.sequence,
    issuedAt: fields.issuedAt,
    expiresAt: fields.expiresAt,
    previousHash: fields.previousHash,
    signerKid,
    payloadLength: payload.length,
    payloadSha256: sha256(payload),
    epoch: isEpochBound(fields.type) ? (fields.epoch ?? 0) : null,
    device: fields.type === 'epoch-key' ? (fields.device ?? new Uint8Array(KID_BYTES)) : null,
  };
  const headerBytes = encodeBundleHeader(header);
  const prefix = encodeBundlePrefix(headerBytes, sign(bundleSigningInput(headerBytes)));
  return { header, headerBytes, prefix };
}

/** A whole bundle in one array: for small bundles and tests. */
export function concatBundle(prefix: Uint8Array, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + payload.length);
  out.set(prefix, 0);
  out.set(payload, prefix.length);
  return out;
}

export interface ParsedBundlePrefix {
  header: BundleHeader;
  headerBytes: Uint8Array;
  signature: Uint8Array;
  /** Where the payload starts in the bundle. */
  payloadOffset: number;
}

/**
 * Parses the prefix of a bundle whose total size is `totalLength`. `bytes` may be the whole
 * bundle or its first MAX_PREFIX_BYTES. The signature and the payload hash are the caller's to
 * check (they need crypto); everything structural is checked here.
 */
export function parseBundlePrefix(bytes: Uint8Array, totalLength: number): BundleResult<ParsedBundlePrefix> {
  if (bytes.length < 8) return bundleFail('malformed', 'shorter than a bundle prefix');
  for (let i = 0; i < BUNDLE_MAGIC.length; i++) {
    if (bytes[i] !== BUNDLE_MAGIC[i]) return bundleFail('malformed', 'not a PC-Covid bundle (magic)');
  }
  const envelopeLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, false);
  if (envelopeLength > MAX_ENVELOPE_BYTES) return bundleFail('malformed', `envelope of ${envelopeLength} bytes`);
  const payloadOffset = alignTo8(8 + envelopeLength);
  if (bytes.length < payloadOffset || totalLength < payloadOffset) return bundleFail('malformed', 'truncated before the payload');
  for (let i = 8 + envelopeLength; i < payloadOffset; i++) {
    if (bytes[i] !== 0) return bundleFail('malformed', 'padding before the payload is not zero');
  }
  const envelope = decodeCanonical(bytes.subarray(8, 8 + envelopeLength));
  if (!envelope.ok) return envelope;
  const parts = envelope.value;
  if (!Array.isArray(parts) || parts.length !== 2) return bundleFail('malformed', 'envelope is not [header, signature]');
  const [headerBytes, signature] = parts as unknown[];
  if (!(headerBytes instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    return bundleFail('malformed', 'envelope items are not byte strings');
  }
  if (signature.length !== ED25519_SIGNATURE_BYTES) return bundleFail('malformed', `signature of ${signature.length} bytes`);
  const header = decodeBundleHeader(headerBytes);
  if (!header.ok) return header;
  if (payloadOffset + header.value.payloadLength !== totalLength) {
    return bundleFail(
      'payload_mismatch',
      `header says ${header.value.payloadLength} payload bytes, the bundle has ${totalLength - payloadOffset}`,
    );
  }
  return bundleOk({ header: header.value, headerBytes, signature, payloadOffset });
}
