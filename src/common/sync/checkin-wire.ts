// The check-in upload as it travels between a kiosk and the hub: one batch of records, one
// answer per record. Shared by the kiosk's sync client (src/main/sync) and the hub's ingest
// (src/hub/ingest) so that both sides read one definition. Pure data and zod schemas.
import { z } from 'zod';
import { CREDENTIAL_KINDS } from '../types/credential.js';
import { REASON_CODES } from '../types/reasons.js';
import { OUTCOMES } from '../types/verdict.js';
import { SUBJECT_SEAL_SUITE } from './sealed-subject.js';

export const CHECKIN_UPLOAD_PATH = '/v1/checkins';
export const HUB_TIME_PATH = '/v1/time';

/** A ULID: 26 Crockford base-32 characters. It is the record's nonce, unique across devices. */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const CHECKIN_KINDS = ['verdict', 'override'] as const;
export type CheckinKind = (typeof CHECKIN_KINDS)[number];

/** The subject sealed to the health authority (HPKE base mode, RFC 9180). */
export const sealedSubjectSchema = z
  .object({
    /** Suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM. */
    suite: z.literal(SUBJECT_SEAL_SUITE),
    /** Hex id of the authority public key it was sealed to (first 8 bytes of its SHA-256). */
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    /** base64 of enc || ciphertext. The AAD is the record's nonce. */
    sealed: z.string().min(44).max(4096).regex(BASE64),
  })
  .strict();
export type SealedSubjectWire = z.infer<typeof sealedSubjectSchema>;

export const checkinRecordSchema = z
  .object({
    nonce: z.string().regex(ULID),
    kind: z.enum(CHECKIN_KINDS),
    venue: z.string().min(1).max(200),
    lane: z.string().max(100).nullable(),
    /** Wall clock of the decision, ms since the epoch. */
    at: z.number().int().nonnegative(),
    /** Monotonic clock (ms since boot) and the boot it counts from; null for rows logged before 0030. */
    monotonicMs: z.number().nonnegative().nullable(),
    bootId: z.string().max(64).nullable(),
    outcome: z.enum(OUTCOMES),
    readable: z.boolean(),
    reasonCodes: z.array(z.enum(REASON_CODES)).max(32),
    credentialKind: z.enum(CREDENTIAL_KINDS).nullable(),
    source: z.string().max(32),
    subject: sealedSubjectSchema.nullable(),
    /** For an override: the verdict row it overrides, and the staff member's reason. */
    overrides: z.string().regex(ULID).nullable(),
    overrideReason: z.string().max(500).nullable(),
  })
  .strict();
export type CheckinRecord = z.infer<typeof checkinRecordSchema>;

export const MAX_RECORDS_PER_BATCH = 5000;

/** The envelope is checked strictly; each record alone, so one bad record never sinks a batch. */
export const checkinBatchSchema = z
  .object({
    batchId: z.string().regex(ULID),
    records: z.array(z.unknown()).min(1).max(MAX_RECORDS_PER_BATCH),
  })
  .strict();
export type CheckinBatch = { batchId: string; records: CheckinRecord[] };

/** Why the hub refused one record. Refused records are parked by the kiosk, never resent. */
export const RECORD_REJECTION_CODES = ['malformed_record', 'nonce_taken', 'unknown_key'] as const;
export type RecordRejectionCode = (typeof RECORD_REJECTION_CODES)[number];

export const recordResultSchema = z.discriminatedUnion('result', [
  z.object({ nonce: z.string(), result: z.literal('stored') }).strict(),
  z.object({ nonce: z.string(), result: z.literal('duplicate') }).strict(),
  z
    .object({
      nonce: z.string(),
      result: z.literal('rejected'),
      code: z.enum(RECORD_REJECTION_CODES),
      message: z.string(),
    })
    .strict(),
]);
export type RecordResult = z.infer<typeof recordResultSchema>;

export const batchResponseSchema = z
  .object({
    batchId: z.string(),
    results: z.array(recordResultSchema),
  })
  .strict();
export type BatchResponse = z.infer<typeof batchResponseSchema>;

/** Request-level refusals: the whole request was not processed. */
export const HUB_ERROR_CODES = [
  'unknown_device',
  'device_revoked',
  'bad_signature',
  'clock_skew',
  'replayed_request',
  'missing_auth',
  'malformed_batch',
  'too_large',
  'bundle_not_found',
  'internal_error',
] as const;
export type HubErrorCode = (typeof HUB_ERROR_CODES)[number];

export const hubErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(HUB_ERROR_CODES),
      message: z.string(),
      /** The hub's clock (ms), sent with clock_skew so a device can correct its signing time. */
      serverTime: z.number().optional(),
    }),
  })
  .passthrough();
export type HubError = z.infer<typeof hubErrorSchema>;

/**
 * Request authentication (every device request): Ed25519 by the device key over the canonical
 * string below. The hub rejects an unknown device, a bad signature, a timestamp too far from its
 * clock and a nonce it has seen from that device before.
 */
/**
 * How far a signed request's timestamp may be from the hub's clock. The kiosk calls its clock
 * wrong at the same bound, so a clock it calls wrong is one whose syncs the hub refuses.
 */
export const REQUEST_CLOCK_TOLERANCE_MS = 5 * 60_000;

export const AUTH_HEADERS = {
  device: 'x-pccovid-device',
  timestamp: 'x-pccovid-timestamp',
  nonce: 'x-pccovid-nonce',
  signature: 'x-pccovid-signature',
} as const;

export const SIGNATURE_CONTEXT = 'pccovid-request-v1';

export interface SignedRequestParts {
  method: string;
  /** Path and query exactly as sent. */
  path: string;
  /** Lower-case hex SHA-256 of the body bytes (of nothing for a GET). */
  bodySha256Hex: string;
  timestamp: number;
  nonce: string;
}

export function canonicalRequestString(parts: SignedRequestParts): string {
  return [SIGNATURE_CONTEXT, parts.method.toUpperCase(), parts.path, parts.bodySha256Hex, String(parts.timestamp), parts.nonce].join('\n');
}

/** A device id: "dev-" and the first 16 bytes of SHA-256 over the raw Ed25519 public key, hex. */
export const DEVICE_ID_PATTERN = /^dev-[0-9a-f]{32}$/;
export const REQUEST_NONCE_PATTERN = /^[0-9a-f]{32}$/;
