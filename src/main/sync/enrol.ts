// The kiosk's side of enrolment: read the technician's ticket (the QR code pccovid-hub
// enrol-token prints), register this device's keys at the hub with the one-time token. What the
// kiosk does with the answer (pin the root key whose fingerprint the ticket carries, store the
// hub URL) is provisioning's.
import {
  ENROL_PATH,
  ENROLMENT_ERROR_CODES,
  enrolProofMessage,
  enrolResponseSchema,
  enrolmentTicketSchema,
  type EnrolmentErrorCode,
  type EnrolmentTicket,
} from '../../common/sync/enrolment-wire.js';
import { createHash } from 'node:crypto';
import type { DeviceKey } from './device-key.js';
import { readHubErrorBody } from '../../common/sync/hub-error-body.js';

export class EnrolmentError extends Error {
  constructor(
    readonly code: EnrolmentErrorCode | 'ticket_unreadable' | 'hub_unreachable' | 'hub_answer_unreadable' | 'root_key_mismatch',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EnrolmentError';
  }
}

/** SHA-256 of the raw root key, hex without spaces (the ticket prints it in groups of four). */
function rootFingerprint(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex');
}

export function parseEnrolmentTicket(text: string): EnrolmentTicket {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EnrolmentError('ticket_unreadable', 'This QR code is not an enrolment ticket; scan the code pccovid-hub enrol-token printed.', { cause: error });
  }
  const ticket = enrolmentTicketSchema.safeParse(json);
  if (!ticket.success) throw new EnrolmentError('ticket_unreadable', 'This enrolment ticket is incomplete; ask the operator for a new one.');
  return ticket.data;
}

/**
 * Registers the device at the hub named by the ticket; returns the device id the hub gave and
 * the root public key to pin, checked against the ticket's fingerprint (null when the operator
 * issued the token with only --root-fingerprint: the root key then comes with provisioning).
 */
export async function enrolDevice(
  ticket: EnrolmentTicket,
  deviceKey: DeviceKey,
  sealingPublicKeyHex: string,
  options: { label?: string; timeoutMs?: number } = {},
): Promise<{ deviceId: string; serverTime: number; rootPublicKey: Buffer | null }> {
  const proof = deviceKey.sign(Buffer.from(enrolProofMessage(ticket.token, deviceKey.publicKeyBase64, sealingPublicKeyHex), 'utf8'));
  const body = JSON.stringify({
    token: ticket.token,
    signingPublicKey: deviceKey.publicKeyBase64,
    sealingPublicKey: sealingPublicKeyHex,
    proof: proof.toString('base64'),
    ...(options.label === undefined ? {} : { label: options.label }),
  });
  let response: Response;
  try {
    response = await fetch(new URL(ENROL_PATH, ticket.hub), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new EnrolmentError('hub_unreachable', `The hub at ${ticket.hub} did not answer; check the network and try again (the token is still good).`, { cause: error });
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const answer = enrolResponseSchema.safeParse(json);
    if (!answer.success) throw new EnrolmentError('hub_answer_unreadable', 'The hub answered in a form this kiosk cannot read; update the kiosk.');
    if (answer.data.deviceId !== deviceKey.deviceId) throw new EnrolmentError('hub_answer_unreadable', 'The hub registered another device id than this kiosk\'s; contact the operator.');
    const rootHex = answer.data.rootPublicKey;
    if (rootHex === undefined) return { deviceId: answer.data.deviceId, serverTime: answer.data.serverTime, rootPublicKey: null };
    if (rootFingerprint(Buffer.from(rootHex, 'hex')) !== ticket.root.replace(/\s+/g, '')) {
      throw new EnrolmentError('root_key_mismatch', 'The hub sent a root key that does not match the ticket\'s fingerprint; do not use this hub, call the operator.');
    }
    return { deviceId: answer.data.deviceId, serverTime: answer.data.serverTime, rootPublicKey: Buffer.from(rootHex, 'hex') };
  }
  const error = readHubErrorBody(json);
  const code = ENROLMENT_ERROR_CODES.find((c) => c === error?.code);
  throw new EnrolmentError(code ?? 'hub_answer_unreadable', error?.message ?? `The hub refused the enrolment (HTTP ${response.status}).`);
}
