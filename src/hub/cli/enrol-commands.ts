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
import { FleetUpdatesError, readFleetUpdates, writeFleetUpdates } from '../enrolment/fleet-updates.js';
import type { UpdateSettingsFile } from '../../common/sync/update-settings-wire.js';
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
  device list --data-dir D      The devices the hub accepts.
  updates --data-dir D [--url URL [--night-window HH:MM-HH:MM] [--min-idle-minutes N]
          [--check-every-hours N] | --clear]
                                The fleet's update server (https) and when kiosks may install
                                (default 01:00-05:00 local, after 20 idle minutes). Every kiosk
                                gets it with its configuration at its next sync and writes it as
                                update.json. --clear: updates off. No option: prints the settings.`;

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

function positiveNumber(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw new EnrolUsageError(`${flag} must be a ${integer ? 'whole ' : ''}number above 0, not "${text}"`);
  return value;
}

/** pccovid-hub updates: the fleet's update server and install window, sent to every kiosk. */
export function updatesCommand(argv: readonly string[], io: HubCliIo): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'data-dir': { type: 'string' },
      url: { type: 'string' },
      'night-window': { type: 'string' },
      'min-idle-minutes': { type: 'string' },
      'check-every-hours': { type: 'string' },
      clear: { type: 'boolean' },
    },
    strict: true,
  });
  const dataDir = values['data-dir'];
  if (dataDir === undefined) throw new EnrolUsageError('updates needs --data-dir');
  const changing = values.url !== undefined || values['night-window'] !== undefined || values['min-idle-minutes'] !== undefined || values['check-every-hours'] !== undefined;
  if (values.clear === true && changing) throw new EnrolUsageError('updates takes --clear alone, or --url with its options');
  let settings: UpdateSettingsFile | null | undefined;
  if (values.clear === true) settings = null;
  else if (changing) {
    if (values.url === undefined) throw new EnrolUsageError('updates needs --url (the generic update server) to set the settings');
    let nightWindow: UpdateSettingsFile['nightWindow'];
    if (values['night-window'] !== undefined) {
      const [start, end, ...rest] = values['night-window'].split('-');
      if (start === undefined || end === undefined || rest.length > 0) throw new EnrolUsageError(`--night-window is HH:MM-HH:MM (local time), not "${values['night-window']}"`);
      nightWindow = { start, end };
    }
    const minIdleMinutes = positiveNumber('--min-idle-minutes', values['min-idle-minutes'], true);
    const checkEveryHours = positiveNumber('--check-every-hours', values['check-every-hours'], false);
    settings = {
      url: values.url,
      ...(nightWindow === undefined ? {} : { nightWindow }),
      ...(minIdleMinutes === undefined ? {} : { minIdleMinutes }),
      ...(checkEveryHours === undefined ? {} : { checkEveryHours }),
    };
  }
  const db = openHubDataDir(dataDir);
  try {
    if (settings !== undefined) {
      try {
        writeFleetUpdates(db, settings, Date.now());
      } catch (error) {
        if (error instanceof FleetUpdatesError) {
          io.err(`pccovid-hub: ${error.message}; nothing was changed.`);
          return 65;
        }
        throw error;
      }
    }
    io.out(JSON.stringify({ updates: readFleetUpdates(db) }));
    return 0;
  } finally {
    db.close();
  }
}
