// The wire format of device enrolment and key rotation (hub ↔ kiosk). A technician's QR code
// carries the hub's URL, a one-time token and the fingerprint of the root key the kiosk pins;
// the kiosk answers with its public keys and a proof that it holds the signing key.
import { z } from 'zod';
import { updateSettingsFileSchema } from './update-settings-wire.js';

export const ENROL_PATH = '/v1/enrol';
export const ROTATE_KEY_PATH = '/v1/devices/rotate-key';

export const ENROL_PROOF_CONTEXT = 'pccovid-enrol-v1';
export const ROTATE_PROOF_CONTEXT = 'pccovid-rotate-key-v1';

/** What the QR code shown to a technician holds (JSON, compact). */
export const enrolmentTicketSchema = z
  .object({
    v: z.literal(1),
    hub: z.string().url(),
    token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    /** SHA-256 of the raw root public key, hex in groups of four (keyFingerprint). */
    root: z.string().min(16),
  })
  .strict();
export type EnrolmentTicket = z.infer<typeof enrolmentTicketSchema>;

export const enrolRequestSchema = z
  .object({
    token: z.string().min(1).max(200),
    /** Raw 32-byte Ed25519 public key, base64: signs every later request. */
    signingPublicKey: z.string().min(1).max(100),
    /** Raw 32-byte X25519 public key, hex: the hub seals epoch keys to it. */
    sealingPublicKey: z.string().regex(/^[0-9a-f]{64}$/),
    label: z.string().max(200).optional(),
    /** Ed25519 signature by the signing key over enrolProofMessage(...), base64. */
    proof: z.string().min(1).max(200),
  })
  .strict();
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export const enrolResponseSchema = z
  .object({
    deviceId: z.string(),
    serverTime: z.number(),
    /** The raw root public key (hex) the token was issued under; its fingerprint is the ticket's root. */
    rootPublicKey: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .strict();
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

export const rotateKeyRequestSchema = z
  .object({
    newSigningPublicKey: z.string().min(1).max(100),
    /** Signature by the new key over rotateProofMessage(deviceId, newSigningPublicKey), base64. */
    proof: z.string().min(1).max(200),
  })
  .strict();
export type RotateKeyRequest = z.infer<typeof rotateKeyRequestSchema>;

export const ENROLMENT_ERROR_CODES = [
  'token_unknown',
  'token_used',
  'token_expired',
  'device_key_invalid',
  'device_already_enrolled',
  'bad_proof',
  'malformed_request',
] as const;
export type EnrolmentErrorCode = (typeof ENROLMENT_ERROR_CODES)[number];

export function enrolProofMessage(token: string, signingPublicKey: string, sealingPublicKey: string): string {
  return [ENROL_PROOF_CONTEXT, token, signingPublicKey, sealingPublicKey].join('\n');
}

export function rotateProofMessage(deviceId: string, newSigningPublicKey: string): string {
  return [ROTATE_PROOF_CONTEXT, deviceId, newSigningPublicKey].join('\n');
}

/** GET, signed by the device: where the hub put this kiosk and the hub's clock. */
export const DEVICE_CONFIG_PATH = '/v1/devices/config';

export const DEVICE_MODES = ['venue', 'border'] as const;
export type DeviceMode = (typeof DEVICE_MODES)[number];

export const deviceAssignmentSchema = z
  .object({
    venueId: z.string().min(1).max(200),
    venueName: z.string().max(200),
    /** At a border post the kiosk stands in one lane of the venue; null at a venue door. */
    laneId: z.string().min(1).max(200).nullable(),
    laneName: z.string().max(200).nullable(),
    mode: z.enum(DEVICE_MODES),
  })
  .strict();
export type DeviceAssignment = z.infer<typeof deviceAssignmentSchema>;

export const deviceConfigSchema = z
  .object({
    deviceId: z.string(),
    serverTime: z.number(),
    /** null until the operator assigns the device (enrol-token --venue). */
    assignment: deviceAssignmentSchema.nullable(),
    /**
     * The fleet's update settings (pccovid-hub updates), written by the kiosk as update.json;
     * null: the operator set none (updates off). Absent from hubs older than this field.
     */
    updates: updateSettingsFileSchema.nullable().optional(),
  })
  .strict();
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;
