// Signed requests provisioning makes besides bundles: the device's configuration (where the hub
// put it, the hub's clock) and key rotation. A refusal keeps the hub's code, so the caller can
// tell a revoked device (wipe) from a wrong clock (tell the technician) from anything else.
import { sign, type KeyObject } from 'node:crypto';
import {
  DEVICE_CONFIG_PATH,
  ROTATE_KEY_PATH,
  deviceConfigSchema,
  rotateProofMessage,
  type DeviceConfig,
} from '../../common/sync/enrolment-wire.js';
import { HubUnreachableError, type HubTransport } from '../sync/hub-transport.js';
import { readHubErrorBody } from '../../common/sync/hub-error-body.js';

export class HubRefusal extends Error {
  constructor(
    /** The hub's error code (device_revoked, clock_skew, unknown_device...), or http_error / unreachable / answer_unreadable. */
    readonly code: string,
    message: string,
    readonly serverTime?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HubRefusal';
  }
}

function refusalOf(status: number, body: Buffer): HubRefusal {
  const error = readHubErrorBody(body.toString('utf8'));
  if (error !== null) return new HubRefusal(error.code, error.message ?? `HTTP ${status}`, error.serverTime ?? undefined);
  // Not JSON, or no error in it: the status says it.
  return new HubRefusal('http_error', `The hub answered HTTP ${status}.`);
}

async function signedRequest(hub: HubTransport, method: 'GET' | 'POST', path: string, body: Buffer | undefined, signal?: AbortSignal): Promise<unknown> {
  let answer;
  try {
    answer = await hub.request({ method, path, timeoutMs: 30_000, ...(body === undefined ? {} : { body }), ...(signal === undefined ? {} : { signal }) });
  } catch (error) {
    if (error instanceof HubUnreachableError) throw new HubRefusal('unreachable', error.message, undefined, { cause: error });
    throw error;
  }
  if (answer.status !== 200) throw refusalOf(answer.status, answer.body);
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch (error) {
    throw new HubRefusal('answer_unreadable', 'The hub answered in a form this kiosk cannot read; update the kiosk.', undefined, { cause: error });
  }
}

export async function fetchDeviceConfig(hub: HubTransport, signal?: AbortSignal): Promise<DeviceConfig> {
  const parsed = deviceConfigSchema.safeParse(await signedRequest(hub, 'GET', DEVICE_CONFIG_PATH, undefined, signal));
  if (!parsed.success) throw new HubRefusal('answer_unreadable', 'The hub sent a device configuration this kiosk cannot read; update the kiosk or the hub.');
  return parsed.data;
}

/** Registers the next signing key, signed by the current one (the transport's), with a proof by the next. */
export async function registerNextKey(hub: HubTransport, deviceId: string, next: { key: KeyObject; publicKeyBase64: string }): Promise<void> {
  const proof = sign(null, Buffer.from(rotateProofMessage(deviceId, next.publicKeyBase64), 'utf8'), next.key).toString('base64');
  await signedRequest(hub, 'POST', ROTATE_KEY_PATH, Buffer.from(JSON.stringify({ newSigningPublicKey: next.publicKeyBase64, proof }), 'utf8'));
}
