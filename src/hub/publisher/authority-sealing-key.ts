// The health authority's X25519 sealing key pair: kiosks seal every check-in's subject to its
// public half, only the authority's tracing tool (src/hub/privacy) opens them with the private
// half. The publisher hands the public half out inside the root-signed key list (key-list.ts,
// `seal`); the private halves never reach the hub's data directory or a device.
//   <publisher dir>/authority-sealing-key.pub    base64 of the current raw public key (key lists carry it)
//   <authority dir>/sealing-key-<keyId>.pem      each private half, PKCS#8, mode 0600 (dir 0700);
//                                                default authority dir: <publisher dir>/authority
// A new key (rotation) adds a private file and replaces the .pub: rows already sealed keep their
// key id, so the older private files stay with the authority for as long as those rows are traced.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { toHexString } from '../../common/bundle/bundle-types.js';
import { X25519_SEALING_KEY_BYTES } from '../../common/bundle/key-list.js';
import { authoritySealingKeyFile, keyIdOfAuthorityFile } from '../../common/sync/sealed-subject.js';
import { HUB_DATABASE_FILE } from '../store/hub-database.js';
import { keyIdOfRaw, rawPublicKey } from './signing-key.js';

export const AUTHORITY_SEALING_PUBLIC_FILE = 'authority-sealing-key.pub';
export const DEFAULT_AUTHORITY_DIR = 'authority';

export class AuthorityKeyError extends Error {
  constructor(
    readonly code: 'in_hub_data_dir' | 'unreadable' | 'none',
    message: string,
  ) {
    super(message);
    this.name = 'AuthorityKeyError';
  }
}

export interface AuthoritySealingPublicKey {
  /** Hex, the first 8 bytes of SHA-256 over the raw key: what each sealed row records. */
  keyId: string;
  /** Raw 32-byte X25519 public key. */
  publicKey: Uint8Array;
}

export function sealingKeyIdOfRaw(publicKey: Uint8Array): string {
  return toHexString(keyIdOfRaw(publicKey));
}

export function defaultAuthorityDir(publisherDir: string): string {
  return join(publisherDir, DEFAULT_AUTHORITY_DIR);
}

function insideHubDataDir(dir: string): string | null {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, HUB_DATABASE_FILE))) return at;
    if (dirname(at) === at) return null;
  }
}

/** Makes a new authority sealing key pair: the private half in `authorityDir`, the public half current in the publisher directory. */
export function createAuthoritySealingKey(
  publisherDir: string,
  authorityDir: string = defaultAuthorityDir(publisherDir),
): AuthoritySealingPublicKey & { privateKeyFile: string } {
  const hubDir = insideHubDataDir(authorityDir);
  if (hubDir !== null) {
    throw new AuthorityKeyError('in_hub_data_dir', `${authorityDir} is inside the hub's data directory ${hubDir}: keep the authority's private keys off the hub: pccovid-hub authority-key --dir ${publisherDir} --authority-dir <elsewhere>`);
  }
  const { privateKey } = generateKeyPairSync('x25519');
  const publicKey = rawPublicKey(privateKey, 'X25519');
  const keyId = sealingKeyIdOfRaw(publicKey);
  mkdirSync(authorityDir, { recursive: true, mode: 0o700 });
  const privateKeyFile = join(authorityDir, authoritySealingKeyFile(keyId));
  // Private half first: a public key is never handed out without its private half kept.
  writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
  const publicFile = join(publisherDir, AUTHORITY_SEALING_PUBLIC_FILE);
  writeFileSync(`${publicFile}.partial`, `${Buffer.from(publicKey).toString('base64')}\n`, { mode: 0o644 });
  renameSync(`${publicFile}.partial`, publicFile);
  return { keyId, publicKey, privateKeyFile };
}

/** The current authority sealing public key of a publisher directory, or null when it has none yet. */
export function currentAuthoritySealingKey(publisherDir: string): AuthoritySealingPublicKey | null {
  const path = join(publisherDir, AUTHORITY_SEALING_PUBLIC_FILE);
  if (!existsSync(path)) return null;
  const raw = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (raw.length !== X25519_SEALING_KEY_BYTES) {
    throw new AuthorityKeyError('unreadable', `${path} is not the base64 of a raw 32-byte X25519 key; restore it from backup or make a new key (pccovid-hub authority-key)`);
  }
  return { keyId: sealingKeyIdOfRaw(raw), publicKey: raw };
}

function readPrivate(path: string): [string, KeyObject] {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AuthorityKeyError('unreadable', `${path} is not a private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'x25519') throw new AuthorityKeyError('unreadable', `${path} is not an X25519 sealing key`);
  return [sealingKeyIdOfRaw(rawPublicKey(key, 'X25519')), key];
}

/**
 * The authority's private sealing keys, by key id, from PEM files and from directories (each
 * `sealing-key-<keyId>.pem` in them): what the tracing tool opens subjects with.
 */
export function readAuthorityPrivateKeys(paths: readonly string[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const path of paths) {
    if (!existsSync(path)) throw new AuthorityKeyError('unreadable', `${path} does not exist: give an authority sealing key file (sealing-key-<id>.pem) or its folder`);
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => keyIdOfAuthorityFile(name) !== null)
          .map((name) => join(path, name))
      : [path];
    for (const file of files) {
      const [keyId, key] = readPrivate(file);
      keys.set(keyId, key);
    }
  }
  if (keys.size === 0) throw new AuthorityKeyError('none', `no authority sealing key (sealing-key-<id>.pem) in ${paths.join(', ')}`);
  return keys;
}
