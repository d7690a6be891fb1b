// POST /v1/enrol (the one route without a device signature: the token is the credential, and the
// body proves the kiosk holds the signing key it registers) and POST /v1/devices/rotate-key
// (signed by the current key, with a proof by the new one).
import { createPublicKey, verify } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  DEVICE_CONFIG_PATH,
  ENROL_PATH,
  ROTATE_KEY_PATH,
  enrolProofMessage,
  enrolRequestSchema,
  rotateKeyRequestSchema,
  rotateProofMessage,
  type DeviceConfig,
  type EnrolmentErrorCode,
} from '../../common/sync/enrolment-wire.js';
import type { HubLogger } from '../log.js';
import type { DeviceRegistry } from './device-registry.js';
import type { UpdateSettingsFile } from '../../common/sync/update-settings-wire.js';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface EnrolmentRouteOptions {
  registry: DeviceRegistry;
  /**
   * The fleet's update settings (pccovid-hub updates), sent with every configuration; undefined
   * leaves the field out (the kiosk then keeps what it has), for settings that cannot be read.
   */
  fleetUpdates: () => UpdateSettingsFile | null | undefined;
  now: () => number;
  logger: HubLogger;
}

function refuse(reply: FastifyReply, status: number, code: EnrolmentErrorCode, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

function rawEd25519(base64: string): Buffer | undefined {
  const raw = Buffer.from(base64, 'base64');
  return raw.length === 32 && raw.toString('base64') === base64 ? raw : undefined;
}

function proofHolds(raw: Buffer, message: string, proofBase64: string): boolean {
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(proofBase64, 'base64'));
}

function jsonOf(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const TOKEN_MESSAGES: Record<'token_unknown' | 'token_used' | 'token_expired' | 'device_already_enrolled', string> = {
  token_unknown: 'This enrolment token is not known at this hub; ask the operator for a new QR code.',
  token_used: 'This enrolment token was already used once; ask the operator for a new QR code.',
  token_expired: 'This enrolment token has expired; ask the operator for a new QR code.',
  device_already_enrolled: 'This device key is already enrolled (or was revoked); wipe the kiosk to make new keys, then enrol again.',
};

export function registerEnrolmentRoutes(app: FastifyInstance, options: EnrolmentRouteOptions): void {
  const { registry, now, logger } = options;

  app.post(ENROL_PATH, async (request, reply) => {
    const parsed = enrolRequestSchema.safeParse(jsonOf(request.body));
    if (!parsed.success) {
      return refuse(reply, 400, 'malformed_request', 'The enrolment request must be {token, signingPublicKey, sealingPublicKey, proof}.');
    }
    const body = parsed.data;
    const signing = rawEd25519(body.signingPublicKey);
    if (signing === undefined) {
      return refuse(reply, 400, 'device_key_invalid', 'signingPublicKey must be the base64 of a raw 32-byte Ed25519 key.');
    }
    if (!proofHolds(signing, enrolProofMessage(body.token, body.signingPublicKey, body.sealingPublicKey), body.proof)) {
      return refuse(reply, 401, 'bad_proof', 'The proof is not a signature by the signing key being enrolled.');
    }
    const result = registry.redeemToken(body.token, { signing, sealing: Buffer.from(body.sealingPublicKey, 'hex') }, body.label ?? null, now());
    if (!result.ok) {
      logger.warn({ code: result.code }, 'refused an enrolment');
      return refuse(reply, result.code === 'device_already_enrolled' ? 409 : 401, result.code, TOKEN_MESSAGES[result.code]);
    }
    logger.info({ device: result.deviceId }, 'device enrolled');
    return {
      deviceId: result.deviceId,
      serverTime: now(),
      ...(result.rootPublicKey === null ? {} : { rootPublicKey: result.rootPublicKey.toString('hex') }),
    };
  });

  // Signed like every device request (the preHandler refuses unknown and revoked devices).
  app.get(DEVICE_CONFIG_PATH, async (request, reply) => {
    const deviceId = request.deviceId;
    if (deviceId === undefined) return refuse(reply, 401, 'malformed_request', 'The configuration is given only to a request signed by the device key.');
    const updates = options.fleetUpdates();
    const config: DeviceConfig = { deviceId, serverTime: now(), assignment: registry.assignment(deviceId), ...(updates === undefined ? {} : { updates }) };
    return config;
  });

  app.post(ROTATE_KEY_PATH, async (request, reply) => {
    const deviceId = request.deviceId;
    if (deviceId === undefined) return refuse(reply, 401, 'malformed_request', 'Key rotation must be signed by the current device key.');
    const parsed = rotateKeyRequestSchema.safeParse(jsonOf(request.body));
    if (!parsed.success) return refuse(reply, 400, 'malformed_request', 'The rotation request must be {newSigningPublicKey, proof}.');
    const next = rawEd25519(parsed.data.newSigningPublicKey);
    if (next === undefined) {
      return refuse(reply, 400, 'device_key_invalid', 'newSigningPublicKey must be the base64 of a raw 32-byte Ed25519 key.');
    }
    if (!proofHolds(next, rotateProofMessage(deviceId, parsed.data.newSigningPublicKey), parsed.data.proof)) {
      return refuse(reply, 401, 'bad_proof', 'The proof is not a signature by the new key.');
    }
    if (!registry.rotateKey(deviceId, next, now())) {
      return refuse(reply, 409, 'device_already_enrolled', 'The new key is already registered at this hub; make a fresh key and retry.');
    }
    logger.info({ device: deviceId }, 'device key rotated');
    return { deviceId, serverTime: now() };
  });
}
