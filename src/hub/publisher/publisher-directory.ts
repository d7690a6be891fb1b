// A publisher's state on disk, for the pccovid-hub CLI (the hub server will keep the same in its
// database): the root and publisher keys, each chain's head and the epoch keys.
//   root-key.pem, publisher-key.pem   Ed25519, PKCS#8 (in production the root key stays offline)
//   publisher.json                    {"version": 1, "heads": {"status": {"sequence", "hash"}, ...}}
//   epochs/<n>.key                    32 raw bytes
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EPOCH_KEY_BYTES } from '../../common/bundle/epoch-key-payload.js';
import { fromHexString, toHexString } from '../../common/bundle/bundle-types.js';
import { BundlePublisher, type StreamHead } from './publisher.js';
import { generateSigningKey, signingKeyFromPem, signingKeyToPem, type SigningKey } from './signing-key.js';

const ROOT_KEY_FILE = 'root-key.pem';
const PUBLISHER_KEY_FILE = 'publisher-key.pem';
const STATE_FILE = 'publisher.json';
const EPOCHS_DIR = 'epochs';

export class PublisherDirectoryError extends Error {
  constructor(
    readonly code: 'not_initialised' | 'already_initialised' | 'state_unreadable' | 'epoch_unknown',
    message: string,
  ) {
    super(message);
    this.name = 'PublisherDirectoryError';
  }
}

export interface PublisherDirectory {
  dir: string;
  root: SigningKey;
  publisherKey: SigningKey;
  publisher: BundlePublisher;
  /** Writes the chains' heads back; call after every bundle handed out. */
  save(): void;
}

function writePrivate(path: string, data: string | Uint8Array): void {
  writeFileSync(`${path}.partial`, data, { mode: 0o600 });
  renameSync(`${path}.partial`, path);
}

export function initPublisherDirectory(dir: string): { root: SigningKey; publisherKey: SigningKey } {
  if (existsSync(join(dir, ROOT_KEY_FILE))) {
    throw new PublisherDirectoryError('already_initialised', `${dir} already holds a root key; nothing was changed`);
  }
  mkdirSync(join(dir, EPOCHS_DIR), { recursive: true, mode: 0o700 });
  const root = generateSigningKey();
  const publisherKey = generateSigningKey();
  writePrivate(join(dir, ROOT_KEY_FILE), signingKeyToPem(root));
  writePrivate(join(dir, PUBLISHER_KEY_FILE), signingKeyToPem(publisherKey));
  writePrivate(join(dir, STATE_FILE), JSON.stringify({ version: 1, heads: {} }, null, 2));
  return { root, publisherKey };
}

function readKey(dir: string, file: string): SigningKey {
  const path = join(dir, file);
  if (!existsSync(path)) throw new PublisherDirectoryError('not_initialised', `${path} is missing: run "pccovid-hub init --dir ${dir}" first`);
  return signingKeyFromPem(readFileSync(path, 'utf8'));
}

function readHeads(dir: string): Record<string, StreamHead> {
  const path = join(dir, STATE_FILE);
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown; heads?: Record<string, { sequence?: unknown; hash?: unknown }> };
    if (state.version !== 1 || typeof state.heads !== 'object' || state.heads === null) throw new Error('not a version 1 state');
    const heads: Record<string, StreamHead> = {};
    for (const [chain, head] of Object.entries(state.heads)) {
      const hash = typeof head.hash === 'string' ? fromHexString(head.hash) : null;
      if (typeof head.sequence !== 'number' || !Number.isSafeInteger(head.sequence) || hash === null || hash.length !== 32) {
        throw new Error(`bad head for ${chain}`);
      }
      heads[chain] = { sequence: head.sequence, hash };
    }
    return heads;
  } catch (error) {
    throw new PublisherDirectoryError('state_unreadable', `${path} is unreadable (${(error as Error).message}); restore it from backup: sequence numbers must never go back`);
  }
}

export function openPublisherDirectory(dir: string, now: () => number = Date.now): PublisherDirectory {
  const root = readKey(dir, ROOT_KEY_FILE);
  const publisherKey = readKey(dir, PUBLISHER_KEY_FILE);
  const publisher = new BundlePublisher({ publisherKey, rootKey: root, heads: readHeads(dir), now });
  return {
    dir,
    root,
    publisherKey,
    publisher,
    save() {
      const heads = Object.fromEntries(
        Object.entries(publisher.heads()).map(([chain, head]) => [chain, { sequence: head.sequence, hash: toHexString(head.hash) }]),
      );
      writePrivate(join(dir, STATE_FILE), JSON.stringify({ version: 1, heads }, null, 2));
    },
  };
}

/** Replaces the publisher key (the old file is kept next to it, named by its kid). */
export function rotatePublisherKey(dir: string): { previous: SigningKey; next: SigningKey } {
  const previous = readKey(dir, PUBLISHER_KEY_FILE);
  const next = generateSigningKey();
  writePrivate(join(dir, `publisher-key-${toHexString(previous.kid)}.pem`), signingKeyToPem(previous));
  writePrivate(join(dir, PUBLISHER_KEY_FILE), signingKeyToPem(next));
  return { previous, next };
}

/** The key of an epoch; with `create`, made on first use. */
export function epochKeyOf(dir: string, epoch: number, create: boolean): Uint8Array {
  const path = join(dir, EPOCHS_DIR, `${epoch}.key`);
  if (existsSync(path)) {
    const key = readFileSync(path);
    if (key.length === EPOCH_KEY_BYTES) return key;
    throw new PublisherDirectoryError('state_unreadable', `${path} is not a ${EPOCH_KEY_BYTES}-byte key`);
  }
  if (!create) {
    throw new PublisherDirectoryError('epoch_unknown', `epoch ${epoch} has no key yet: seal it to a device with "pccovid-hub epoch-key" first`);
  }
  mkdirSync(join(dir, EPOCHS_DIR), { recursive: true, mode: 0o700 });
  const key = randomBytes(EPOCH_KEY_BYTES);
  writePrivate(path, key);
  return key;
}
