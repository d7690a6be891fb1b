// pccovid-hub enrol-token and pccovid-hub device revoke: the operator's side of enrolment. The
// token is printed once (only its hash is stored), as the ticket's JSON and as a QR code for the
// technician to scan at the kiosk.
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { enrolmentTicketSchema, type EnrolmentTicket } from '../../common/sync/enrolment-wire.js';
import { createSqliteDeviceRegistry, DEFAULT_TOKEN_TTL_MS, type TokenAssignment } from '../enrolment/device-registry.js';
import { listVenues } from '../subjects/subjects.js';
import { openPublisherDirectory } from '../publisher/publisher-directory.js';
import { keyFingerprint } from '../publisher/signing-key.js';
import { openHubDataDir, type HubWritableDB } from '../store/hub-database.js';
import type { HubCliIo } from './ingest-commands.js';

export const ENROL_USAGE = `Enrolment:
  enrol-token --data-dir D --hub-url URL (--dir P | --root-fingerprint F) [--venue V [--mode venue|border]]
              [--ttl-hours H] [--label L] [--no-qr]
                                A one-time enrolment token (default 24 h). Prints the ticket
                                {v, hub, token, root} as JSON, then as a QR code on the terminal.
                                --venue: the venue or lane (venue add) the kiosk will stand at;
                                the mode defaults to border for a lane, venue otherwise.
  device assign --data-dir D --device ID --venue V [--mode venue|border]
                                Moves an enrolled kiosk; it takes the new place at its next sync.
  device revoke --data-dir D --device ID [--reason R]
                                The device's requests are refused (401 device_revoked) from now on.
  device list --data-dir D      The devices the hub accepts.`;

export class EnrolUsageError extends Error {
  override name = 'EnrolUsageError';
}

export async function enrolTokenCommand(argv: readonly string[], io: HubCliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'data-dir': { type: 'string' },
      'hub-url': { type: 'string' },
      dir: { type: 'string' },
      'root-fingerprint': { type: 'string' },
      'ttl-hours': { type: 'string' },
      label: { type: 'string' },
      venue: { type: 'string' },
      mode: { type: 'string' },
      'no-qr': { type: 'boolean' },
    },
    strict: true,
  });
  const dataDir = values['data-dir'];
  const hubUrl = values['hub-url'];
  if (dataDir === undefined || hubUrl === undefined) throw new EnrolUsageError('enrol-token needs --data-dir and --hub-url');
  let root = values['root-fingerprint'];
  const rootPublicKey = values.dir === undefined ? undefined : openPublisherDirectory(values.dir).root.publicKey;
  if (root === undefined && rootPublicKey !== undefined) root = keyFingerprint(rootPublicKey);
  if (root === undefined) throw new EnrolUsageError('enrol-token needs --dir (the publisher directory) or --root-fingerprint');
  const hours = values['ttl-hours'] === undefined ? DEFAULT_TOKEN_TTL_MS / 3_600_000 : Number(values['ttl-hours']);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) throw new EnrolUsageError('--ttl-hours must be more than 0 and at most 720');
  if (values.mode !== undefined && values.venue === undefined) throw new EnrolUsageError('--mode needs --venue');
  const db = openHubDataDir(dataDir);
  try {
    const assignment = values.venue === undefined ? undefined : assignmentOf(db, values.venue, values.mode);
    const registry = createSqliteDeviceRegistry(db);
    const issued = registry.issueToken(values.label ?? null, Math.round(hours * 3_600_000), Date.now(), rootPublicKey, assignment);
    const ticket: EnrolmentTicket = { v: 1, hub: hubUrl, token: issued.token, root };
    const checked = enrolmentTicketSchema.safeParse(ticket);
    if (!checked.success) throw new EnrolUsageError(`the ticket is invalid: ${checked.error.issues[0]?.message ?? 'invalid'} (check --hub-url)`);
    const text = JSON.stringify(ticket);
    io.out(JSON.stringify({ ticket: text, expiresAt: new Date(issued.expiresAt).toISOString() }));
    if (values['no-qr'] !== true) io.out(await QRCode.toString(text, { type: 'terminal', small: true, errorCorrectionLevel: 'M' }));
    return 0;
  } finally {
    db.close();
  }
}

/** A venue or lane of this hub and the mode (default: border for a lane, venue otherwise). */
function assignmentOf(db: HubWritableDB, venueId: string, mode: string | undefined): TokenAssignment {
  if (mode !== undefined && mode !== 'venue' && mode !== 'border') throw new EnrolUsageError('--mode must be "venue" or "border"');
  const venue = listVenues(db).find((v) => v.id === venueId);
  if (venue === undefined) throw new EnrolUsageError(`there is no venue or lane "${venueId}"; create it first (pccovid-hub venue add)`);
  return { venueId: venue.id, mode: mode ?? (venue.kind === 'lane' ? 'border' : 'venue') };
}

export function assignDevice(db: HubWritableDB, deviceId: string, venueId: string, mode: string | undefined, io: HubCliIo): number {
  const assignment = assignmentOf(db, venueId, mode);
  if (!createSqliteDeviceRegistry(db).assign(deviceId, assignment)) {
    io.err(`pccovid-hub: no active device ${deviceId} at this hub (see "pccovid-hub device list"); nothing was changed.`);
    return 1;
  }
  io.out(JSON.stringify({ deviceId, ...assignment }));
  return 0;
}

export function revokeDevice(db: HubWritableDB, deviceId: string, reason: string | null, io: HubCliIo): number {
  const revoked = createSqliteDeviceRegistry(db).revoke(deviceId, reason, Date.now());
  if (!revoked) {
    io.err(`pccovid-hub: no active device ${deviceId} at this hub (see "pccovid-hub device list"); nothing was changed.`);
    return 1;
  }
  io.out(JSON.stringify({ deviceId, revoked: true }));
  return 0;
}
