// pccovid-hub: the authority's publishing commands (the hub server reuses the same library,
// src/hub/publisher). Each command signs one bundle into a file; the state of the chains lives
// in the publisher directory. Bad input gets a sentence and an exit code, never a stack trace.
import { statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseBundlePrefix } from '../../common/bundle/bundle-format.js';
import { fromHexString, toHexString } from '../../common/bundle/bundle-types.js';
import { encodeSealedEpochKey, X25519_PUBLIC_KEY_BYTES } from '../../common/bundle/epoch-key-payload.js';
import { encodePolicyPayload, POLICY_FORMAT_STATUS } from '../../common/bundle/policy-payload.js';
import { encodeSignerList } from '../../common/bundle/signer-list.js';
import { AuthorityKeyError, createAuthoritySealingKey, currentAuthoritySealingKey } from '../publisher/authority-sealing-key.js';
import { endorse, writeBundleFile, type PublishedBundle } from '../publisher/publisher.js';
import {
  epochKeyOf,
  initPublisherDirectory,
  openPublisherDirectory,
  PublisherDirectoryError,
  rotatePublisherKey,
  type PublisherDirectory,
} from '../publisher/publisher-directory.js';
import { sealEpochKey } from '../publisher/seal-epoch-key.js';
import { keyFingerprint, keyIdOfRaw } from '../publisher/signing-key.js';
import { buildAliasMapPayload, buildStatusDeltaPayload, buildStatusSnapshotPayload, PublisherInputError } from '../publisher/status-builders.js';
import { InputError, readAliases, readPolicy, readSignerList, readStatusChanges, readStatusRecords } from './input-files.js';
import { INGEST_COMMANDS, INGEST_USAGE } from './ingest-commands.js';
import type { CliIo } from '../../common/cli/cli-io.js';

/** The hub's commands write where the kiosk's do (src/common/cli/cli-io.ts). */
export type HubCliIo = CliIo;

const processIo: HubCliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export const HUB_EXIT = { ok: 0, failed: 1, usage: 64, dataError: 65 } as const;

export const HUB_USAGE = `Usage: pccovid-hub <command> [options]

Publisher setup:
  init --dir D [--authority-dir A]
                                Make the root and publisher keys in D and the health authority's
                                sealing key (private half in A, default D/authority); print the
                                root key to pin.
  authority-key --dir D [--authority-dir A]
                                New health-authority sealing key (first one for a directory made
                                before, or rotation); then sign and publish a new key list.
  key-list --dir D --out F      Sign (with the root key) a key list endorsing the publisher key and
                                carrying the authority sealing key kiosks seal check-ins to.
  rotate-key --dir D --out F    New publisher key; a key list endorsing only it.

Bundles (each signed by the publisher key and chained to the previous one of its kind):
  epoch-key --dir D --epoch N --device-key HEX --out F
                                Seal epoch N's key (made on first use) to a kiosk's X25519 key.
  status-snapshot --dir D --epoch N --records F.jsonl --out F
  status-delta --dir D --epoch N --changes F.jsonl --out F
  alias-map --dir D --epoch N --aliases F.jsonl --out F
  signer-list --dir D --signers F.json --out F
  policy --dir D --policy F.json --out F
  inspect F                     Print a bundle's header as JSON.

Options: --valid-hours H (default 24; key lists 720), --dir D (publisher directory).
Records: one JSON object a line: {"id", "status", "doses", "lastDoseDate", "lastNegativeTestAt",
"recoveryDate", "validUntil"}; changes may be {"id", "removed": true}; aliases {"alias", "id"}.

${INGEST_USAGE}`;

class UsageError extends Error {
  override name = 'UsageError';
}

const HOUR_MS = 3_600_000;

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${flag} is required`);
  return value;
}

function positiveInteger(value: string | undefined, flag: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(required(value, flag));
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${flag} must be a whole number, not "${value}"`);
  return n;
}

function summary(bundle: PublishedBundle, out: string, entries: number | null, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: bundle.header.type,
    sequence: bundle.header.sequence,
    issuedAt: new Date(bundle.header.issuedAt).toISOString(),
    expiresAt: new Date(bundle.header.expiresAt).toISOString(),
    hash: toHexString(bundle.hash),
    file: out,
    bytes: bundle.prefix.length + bundle.payload.length,
    ...(entries === null ? {} : { entries }),
    ...extra,
  });
}

const COMMON_OPTIONS = {
  dir: { type: 'string' },
  'authority-dir': { type: 'string' },
  out: { type: 'string' },
  epoch: { type: 'string' },
  'valid-hours': { type: 'string' },
  'device-key': { type: 'string' },
  records: { type: 'string' },
  changes: { type: 'string' },
  aliases: { type: 'string' },
  signers: { type: 'string' },
  policy: { type: 'string' },
} as const;

const PUBLISHING_COMMANDS = new Set([
  'init',
  'authority-key',
  'key-list',
  'rotate-key',
  'epoch-key',
  'status-snapshot',
  'status-delta',
  'alias-map',
  'signer-list',
  'policy',
]);

async function run(argv: readonly string[], io: HubCliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(HUB_USAGE);
    return command === undefined ? HUB_EXIT.usage : HUB_EXIT.ok;
  }
  if (command === 'inspect') {
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
    const [file, extra] = positionals;
    if (file === undefined || extra !== undefined) throw new UsageError('inspect takes one bundle file');
    const bytes = readFileSync(file);
    const parsed = parseBundlePrefix(bytes, bytes.length);
    if (!parsed.ok) throw new InputError(`${file}: ${parsed.code}: ${parsed.detail}`);
    const h = parsed.value.header;
    io.out(
      JSON.stringify({
        type: h.type,
        sequence: h.sequence,
        issuedAt: new Date(h.issuedAt).toISOString(),
        expiresAt: new Date(h.expiresAt).toISOString(),
        previousHash: h.previousHash === null ? null : toHexString(h.previousHash),
        signerKid: toHexString(h.signerKid),
        payloadLength: h.payloadLength,
        payloadSha256: toHexString(h.payloadSha256),
        epoch: h.epoch,
        device: h.device === null ? null : toHexString(h.device),
        bytes: statSync(file).size,
      }),
    );
    return HUB_EXIT.ok;
  }

  const ingestCommand = Object.hasOwn(INGEST_COMMANDS, command) ? INGEST_COMMANDS[command] : undefined;
  if (ingestCommand !== undefined) return ingestCommand(rest, io);

  if (!PUBLISHING_COMMANDS.has(command)) throw new UsageError(`unknown command "${command}"`);
  const { values } = parseArgs({ args: rest, options: COMMON_OPTIONS, strict: true });
  const dir = required(values.dir, 'dir');
  const authorityDir = values['authority-dir'];
  if (command === 'init') {
    const { root, publisherKey } = initPublisherDirectory(dir);
    const sealing = createAuthoritySealingKey(dir, authorityDir);
    io.out(
      JSON.stringify({
        rootKid: toHexString(root.kid),
        rootPublicKey: toHexString(root.publicKey),
        rootFingerprint: keyFingerprint(root.publicKey),
        publisherKid: toHexString(publisherKey.kid),
        sealingKeyId: sealing.keyId,
        authorityKeyFile: sealing.privateKeyFile,
      }),
    );
    return HUB_EXIT.ok;
  }
  if (command === 'authority-key') {
    openPublisherDirectory(dir); // an initialised publisher directory, or its sentence
    const sealing = createAuthoritySealingKey(dir, authorityDir);
    io.out(JSON.stringify({ sealingKeyId: sealing.keyId, sealingPublicKey: Buffer.from(sealing.publicKey).toString('base64'), authorityKeyFile: sealing.privateKeyFile }));
    io.err(
      `pccovid-hub: new authority sealing key ${sealing.keyId}; its private half is ${sealing.privateKeyFile} (give it to the tracing team, keep every older one). ` +
        'Kiosks seal to it once they install a key list carrying it: run key-list and publish it now.',
    );
    return HUB_EXIT.ok;
  }

  const out = required(values.out, 'out');
  const hours = positiveInteger(values['valid-hours'], 'valid-hours', command === 'key-list' || command === 'rotate-key' ? 720 : 24);
  if (hours === 0) throw new UsageError('--valid-hours must be at least 1');
  const validForMs = hours * HOUR_MS;
  const publish = (directory: PublisherDirectory, bundle: PublishedBundle, entries: number | null, extra: Record<string, unknown> = {}): number => {
    writeBundleFile(out, bundle);
    directory.save();
    io.out(summary(bundle, out, entries, extra));
    return HUB_EXIT.ok;
  };

  switch (command) {
    case 'key-list':
    case 'rotate-key': {
      if (command === 'rotate-key') rotatePublisherKey(dir);
      const directory = openPublisherDirectory(dir);
      const now = Date.now();
      const endorsed = endorse(directory.publisherKey, now - HOUR_MS, now + 365 * 24 * HOUR_MS);
      const sealing = currentAuthoritySealingKey(dir);
      if (sealing === null) {
        io.err(
          `pccovid-hub: ${dir} has no health-authority sealing key, so this key list carries none: provisioned kiosks will log check-ins ` +
            'without their subjects (and new kiosks refuse their first sync). Run "pccovid-hub authority-key --dir" and sign the key list again.',
        );
      }
      const bundle = directory.publisher.publishKeyList([endorsed], validForMs, sealing?.publicKey ?? null);
      return publish(directory, bundle, 1, { sealingKeyId: sealing?.keyId ?? null });
    }
    case 'epoch-key': {
      const epoch = positiveInteger(values.epoch, 'epoch');
      const device = fromHexString(required(values['device-key'], 'device-key'));
      if (device === null || device.length !== X25519_PUBLIC_KEY_BYTES) throw new UsageError('--device-key is the kiosk\'s X25519 public key, 64 hex digits');
      const directory = openPublisherDirectory(dir);
      const sealed = sealEpochKey(epochKeyOf(dir, epoch, true), epoch, device);
      const bundle = directory.publisher.publish({
        type: 'epoch-key',
        payload: encodeSealedEpochKey(sealed),
        validForMs,
        epoch,
        device: keyIdOfRaw(device),
      });
      return publish(directory, bundle, null);
    }
    case 'status-snapshot':
    case 'status-delta':
    case 'alias-map': {
      const epoch = positiveInteger(values.epoch, 'epoch');
      const directory = openPublisherDirectory(dir);
      const keying = { epoch, epochKey: epochKeyOf(dir, epoch, false) };
      let payload: Uint8Array;
      let entries: number;
      if (command === 'status-snapshot') {
        const records = await readStatusRecords(required(values.records, 'records'));
        payload = buildStatusSnapshotPayload(records, keying);
        entries = records.length;
      } else if (command === 'status-delta') {
        const changes = await readStatusChanges(required(values.changes, 'changes'));
        payload = buildStatusDeltaPayload(changes, keying);
        entries = changes.length;
      } else {
        const aliases = await readAliases(required(values.aliases, 'aliases'));
        payload = buildAliasMapPayload(aliases, keying);
        entries = aliases.length;
      }
      return publish(directory, directory.publisher.publish({ type: command, payload, validForMs, epoch }), entries);
    }
    case 'signer-list': {
      const signers = readSignerList(required(values.signers, 'signers'));
      const directory = openPublisherDirectory(dir);
      const bundle = directory.publisher.publish({ type: 'signer-list', payload: encodeSignerList(signers), validForMs });
      return publish(directory, bundle, signers.issuerKeys.length + signers.dccSigners.length);
    }
    case 'policy': {
      const policy = readPolicy(required(values.policy, 'policy'));
      const directory = openPublisherDirectory(dir);
      const payload = encodePolicyPayload({ format: POLICY_FORMAT_STATUS, policy });
      return publish(directory, directory.publisher.publish({ type: 'policy', payload, validForMs }), null);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function isArgumentError(error: unknown): error is Error {
  const code = (error as { code?: unknown }).code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

export async function runHubCli(argv: readonly string[], io: HubCliIo = processIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || isArgumentError(error)) {
      io.err(`pccovid-hub: ${error.message}\n\n${HUB_USAGE}`);
      return HUB_EXIT.usage;
    }
    if (error instanceof InputError || error instanceof PublisherInputError) {
      io.err(`pccovid-hub: ${error.message}. Fix the input file; nothing was signed.`);
      return HUB_EXIT.dataError;
    }
    if (error instanceof PublisherDirectoryError || error instanceof AuthorityKeyError) {
      io.err(`pccovid-hub: ${error.message}`);
      return HUB_EXIT.failed;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`pccovid-hub: the command failed: ${message}`);
    return HUB_EXIT.failed;
  }
}
