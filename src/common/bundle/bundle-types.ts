// Signed bundles (DESIGN.md, "Trust and signed bundles"): everything a kiosk installs from
// upstream. The types here are the vocabulary shared by the publisher (src/hub) and the
// installer (src/main/bundles); the byte format is in bundle-format.ts.

export const BUNDLE_TYPES = [
  'key-list',
  'signer-list',
  'policy',
  'status-snapshot',
  'status-delta',
  'alias-map',
  'epoch-key',
] as const;
export type BundleType = (typeof BUNDLE_TYPES)[number];

export function isBundleType(value: unknown): value is BundleType {
  return typeof value === 'string' && (BUNDLE_TYPES as readonly string[]).includes(value);
}

/**
 * The chain a bundle belongs to: sequence numbers grow and previous-hashes link within a stream.
 * Status snapshots and deltas share one stream, so a delta names the exact state (snapshot or
 * delta) it applies on top of.
 */
export type BundleStream = 'key-list' | 'signer-list' | 'policy' | 'status' | 'alias-map' | 'epoch-key';
export const BUNDLE_STREAMS: readonly BundleStream[] = ['key-list', 'signer-list', 'policy', 'status', 'alias-map', 'epoch-key'];

export function streamOf(type: BundleType): BundleStream {
  switch (type) {
    case 'status-snapshot':
    case 'status-delta':
      return 'status';
    case 'key-list':
    case 'signer-list':
    case 'policy':
    case 'alias-map':
    case 'epoch-key':
      return type;
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

/** Types whose status-cache keys depend on an epoch key, and so name their epoch. */
export function isEpochBound(type: BundleType): boolean {
  return type === 'status-snapshot' || type === 'status-delta' || type === 'alias-map' || type === 'epoch-key';
}

export const SHA256_BYTES = 32;
export const KID_BYTES = 8;
export const BUNDLE_FORMAT_VERSION = 1;

export interface BundleHeader {
  version: typeof BUNDLE_FORMAT_VERSION;
  type: BundleType;
  /** Grows by at least one per bundle of the stream; never reused. */
  sequence: number;
  /** Milliseconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
  /** SHA-256 of the previous bundle of the stream (its bundle hash), or null for the first. */
  previousHash: Uint8Array | null;
  /** Key id of the signing key: a root key for key lists, an endorsed publisher key otherwise. */
  signerKid: Uint8Array;
  payloadLength: number;
  payloadSha256: Uint8Array;
  /** The epoch whose key derives the status-cache keys; only for epoch-bound types. */
  epoch: number | null;
  /** Key id of the device an epoch key is sealed to; only for epoch-key bundles. */
  device: Uint8Array | null;
}

/** Why a bundle is refused. Each has a sentence for technicians in src/main/bundles/bundle-error.ts. */
export const BUNDLE_ERROR_CODES = [
  'malformed',
  'unsupported_version',
  'unknown_key',
  'key_not_endorsed',
  'signature_invalid',
  'payload_mismatch',
  'expired',
  'not_yet_valid',
  'rollback',
  'chain_broken',
  'epoch_key_missing',
  'no_device_key',
  'wrong_device',
  'unseal_failed',
] as const;
export type BundleErrorCode = (typeof BUNDLE_ERROR_CODES)[number];

export type BundleResult<T> = { ok: true; value: T } | { ok: false; code: BundleErrorCode; detail: string };

export function bundleOk<T>(value: T): BundleResult<T> {
  return { ok: true, value };
}

export function bundleFail<T>(code: BundleErrorCode, detail: string): BundleResult<T> {
  return { ok: false, code, detail };
}

/** Signing and hashing are the caller's (node:crypto in main and hub); this folder only formats. */
export type Sha256 = (bytes: Uint8Array) => Uint8Array;
export type Sign = (message: Uint8Array) => Uint8Array;
/** Ed25519 verification of `signature` over `message` by the raw 32-byte `publicKey`. */
export type VerifySignature = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export function toHexString(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function fromHexString(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
