// pccovid-hub serve and pccovid-hub device: the check-in ingest server and the devices it
// accepts. Registered in main.ts's dispatcher. Prints results on stdout (JSON), people's
// sentences on stderr; returns the exit code, never throws.
import { parseArgs } from 'node:util';
import { addDevice, listDevices, parseDevicePublicKey } from '../ingest/devices.js';
import { hubLogger } from '../log.js';
import {
  ADMIN_USAGE,
  AdminUsageError,
  passCommand,
  publishSignerListCommand,
  publishStatusCommand,
  statusCommand,
  venueCommand,
} from './admin-commands.js';
import { IMPORT_USAGE, ImportUsageError, importCommand, publishAliasesCommand } from './import-commands.js';
import { PRIVACY_USAGE, PrivacyUsageError, checkinsCommand, operatorCommand } from './privacy-commands.js';
import { PUBLISH_USAGE, PublishUsageError, publishCommand, publishEpochKeysCommand } from './publish-commands.js';
import { assignDevice, ENROL_USAGE, EnrolUsageError, enrolTokenCommand, revokeDevice, updatesCommand } from './enrol-commands.js';
import { startHubServer } from '../server.js';
import { openHubDataDir } from '../store/hub-database.js';
import { HubStoreError } from '../store/hub-store-error.js';
import type { CliIo } from '../../common/cli/cli-io.js';

/** The hub's commands write where the kiosk's do (src/common/cli/cli-io.ts). */
export type HubCliIo = CliIo;

export const INGEST_USAGE = `Check-in ingest:
  serve --data-dir D [--port N]  Run the hub on 127.0.0.1 (port 0: any free port; printed as JSON).
  device add --data-dir D --public-key B64 [--label L]
                                Accept requests signed by this kiosk key (its device-key.pem's
                                raw public key, base64). Prints the device id.

${ENROL_USAGE}

${PUBLISH_USAGE}

${ADMIN_USAGE}

${IMPORT_USAGE}

${PRIVACY_USAGE}`;

const EXIT_USAGE = 64;

class IngestUsageError extends Error {}

function dataDirOf(value: string | undefined): string {
  if (value === undefined || value === '') throw new IngestUsageError('--data-dir is required');
  return value;
}

function portOf(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new IngestUsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}

function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => resolve(signal);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function serve(argv: readonly string[], io: HubCliIo): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { 'data-dir': { type: 'string' }, port: { type: 'string' } }, strict: true });
  const dataDir = dataDirOf(values['data-dir']);
  const port = portOf(values.port);
  const db = openHubDataDir(dataDir);
  const hub = await startHubServer({ db, port, dataDir, logger: hubLogger('server') });
  io.out(JSON.stringify({ url: hub.url, port: hub.port, dataDir }));
  const signal = await waitForStopSignal();
  io.err(`Stopping the hub (${signal}).`);
  await hub.close();
  db.close();
  return 0;
}

function device(argv: readonly string[], io: HubCliIo): number {
  const [verb, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      'data-dir': { type: 'string' },
      'public-key': { type: 'string' },
      label: { type: 'string' },
      device: { type: 'string' },
      reason: { type: 'string' },
      venue: { type: 'string' },
      mode: { type: 'string' },
    },
    strict: true,
  });
  const db = openHubDataDir(dataDirOf(values['data-dir']));
  try {
    switch (verb) {
      case 'add': {
        const key = values['public-key'];
        if (key === undefined) throw new IngestUsageError('device add needs --public-key <base64>');
        const deviceId = addDevice(db, parseDevicePublicKey(key), values.label ?? null, Date.now());
        io.out(JSON.stringify({ deviceId }));
        return 0;
      }
      case 'revoke': {
        const id = values.device;
        if (id === undefined) throw new IngestUsageError('device revoke needs --device <id>');
        return revokeDevice(db, id, values.reason ?? null, io);
      }
      case 'assign': {
        const id = values.device;
        if (id === undefined || values.venue === undefined) throw new IngestUsageError('device assign needs --device <id> and --venue <venue or lane>');
        return assignDevice(db, id, values.venue, values.mode, io);
      }
      case 'list':
        for (const entry of listDevices(db)) io.out(JSON.stringify(entry));
        return 0;
      default:
        throw new IngestUsageError('device takes "add", "assign", "revoke" or "list"');
    }
  } finally {
    db.close();
  }
}

async function guarded(io: HubCliIo, run: () => Promise<number> | number): Promise<number> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof IngestUsageError || error instanceof EnrolUsageError || error instanceof PublishUsageError || error instanceof AdminUsageError || error instanceof ImportUsageError || error instanceof PrivacyUsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`pccovid-hub: ${(error as Error).message}\n\n${INGEST_USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof HubStoreError) {
      io.err(`pccovid-hub: ${error.message}`);
      return error.code === 'device_key_invalid' ? 65 : 1;
    }
    io.err(`pccovid-hub: the command failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

export const INGEST_COMMANDS: Readonly<Record<string, (argv: readonly string[], io: HubCliIo) => Promise<number>>> = {
  serve: (argv, io) => guarded(io, () => serve(argv, io)),
  device: (argv, io) => guarded(io, () => device(argv, io)),
  'enrol-token': (argv, io) => guarded(io, () => enrolTokenCommand(argv, io)),
  publish: (argv, io) => guarded(io, () => publishCommand(argv, io)),
  'publish-epoch-keys': (argv, io) => guarded(io, () => publishEpochKeysCommand(argv, io)),
  venue: (argv, io) => guarded(io, () => venueCommand(argv, io)),
  status: (argv, io) => guarded(io, () => statusCommand(argv, io)),
  pass: (argv, io) => guarded(io, () => passCommand(argv, io)),
  'publish-status': (argv, io) => guarded(io, () => publishStatusCommand(argv, io)),
  'publish-signer-list': (argv, io) => guarded(io, () => publishSignerListCommand(argv, io)),
  import: (argv, io) => guarded(io, () => importCommand(argv, io)),
  'publish-aliases': (argv, io) => guarded(io, () => publishAliasesCommand(argv, io)),
  operator: (argv, io) => guarded(io, () => operatorCommand(argv, io)),
  checkins: (argv, io) => guarded(io, () => checkinsCommand(argv, io)),
  updates: (argv, io) => guarded(io, () => updatesCommand(argv, io)),
};
