// The health authority's public key that check-in subjects are sealed to (X25519). The kiosk
// keeps only the public half: nothing on the device opens its own log.
//
// A provisioned kiosk takes the real authority key from the root-signed key list it installed
// (sealing-key-source.ts). An unprovisioned demo kiosk makes a demo authority pair on first use:
// the public half goes to the data directory, the private half to a folder that belongs to the
// health authority side, never to the data directory (by default `<data dir>-health-authority/`,
// beside it; tests put it in the hub's data directory). Whoever holds that folder can open the
// demo kiosk's check-ins; a provisioned kiosk never seals to it.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authoritySealingKeyFile } from '../../common/sync/sealed-subject.js';
import { rawX25519PublicKey, sealingKeyIdOf, x25519PublicKeyFromRaw } from './hpke.js';
import { SyncError } from './sync-error.js';

export const SEALING_PUBLIC_KEY_FILE = 'authority-sealing-key.pub';
export const AUTHORITY_DIR_SUFFIX = '-health-authority';

export interface SealingKey {
  publicKey: KeyObject;
  /** sealingKeyIdOf(raw public key), recorded with every sealed subject. */
  keyId: string;
}

export interface EnsureSealingKeyOptions {
  /** Where the demo authority's private half is written; default `<dataDir>-health-authority`. */
  authorityKeyDir?: string;
}

export function sealingKeyFromRaw(raw: Uint8Array): SealingKey {
  return { publicKey: x25519PublicKeyFromRaw(raw), keyId: sealingKeyIdOf(raw) };
}

function readPublic(path: string): SealingKey | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SyncError('sealing_key_unreadable', `The authority sealing key ${path} cannot be read: ${String(error)}.`, { cause: error });
  }
  const raw = Buffer.from(text.trim(), 'base64');
  if (raw.length !== 32) {
    throw new SyncError(
      'sealing_key_unreadable',
      `The authority sealing key ${path} is not a base64 X25519 public key (32 bytes). Restore it from provisioning; ` +
        'check-ins cannot be logged without it.',
    );
  }
  return sealingKeyFromRaw(raw);
}

export function ensureSealingKey(dataDir: string, options: EnsureSealingKeyOptions = {}): SealingKey {
  const path = join(dataDir, SEALING_PUBLIC_KEY_FILE);
  const existing = readPublic(path);
  if (existing !== undefined) return existing;

  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const raw = rawX25519PublicKey(publicKey);
  const keyId = sealingKeyIdOf(raw);
  const authorityDir = options.authorityKeyDir ?? `${dataDir}${AUTHORITY_DIR_SUFFIX}`;
  mkdirSync(authorityDir, { recursive: true, mode: 0o700 });
  const privatePath = join(authorityDir, authoritySealingKeyFile(keyId));
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
  try {
    writeFileSync(path, `${raw.toString('base64')}\n`, { flag: 'wx', mode: 0o644 });
    return { publicKey, keyId };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process won the race: its key is the one; ours never sealed anything.
    unlinkSync(privatePath);
    const theirs = readPublic(path);
    if (theirs === undefined) throw error;
    return theirs;
  }
}
