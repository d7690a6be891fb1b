// The device key: Ed25519, made on first start in the data directory (mode 0600). It signs every
// request to the hub; the hub knows the device by its public key. Provisioning (issue 10) will
// replace it with a key enrolled by one-time token.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SyncError } from './sync-error.js';

export const DEVICE_KEY_FILE = 'device-key.pem';

export interface DeviceKey {
  /** "dev-" + first 16 bytes of SHA-256 over the raw public key, hex (checkin-wire.ts). */
  deviceId: string;
  /** Raw 32-byte Ed25519 public key, base64: what `pccovid-hub device add` takes. */
  publicKeyBase64: string;
  sign(message: Uint8Array): Buffer;
}

export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

export function deviceIdOf(rawPublicKey: Uint8Array): string {
  return `dev-${createHash('sha256').update(rawPublicKey).digest().subarray(0, 16).toString('hex')}`;
}

export function deviceKeyFrom(privateKey: KeyObject): DeviceKey {
  const raw = rawEd25519PublicKey(privateKey);
  return {
    deviceId: deviceIdOf(raw),
    publicKeyBase64: raw.toString('base64'),
    sign: (message) => sign(null, message, privateKey),
  };
}

function unreadable(path: string, error: unknown): SyncError {
  return new SyncError(
    'device_key_unreadable',
    `The device key ${path} is unreadable (${error instanceof Error ? error.message : String(error)}). ` +
      'Restore it from the device backup, or delete it to make a new one and register the new key at the hub.',
    { cause: error },
  );
}

function readKey(path: string): KeyObject | undefined {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(path, error);
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it holds a ${String(key.asymmetricKeyType)} key`);
    return key;
  } catch (error) {
    throw unreadable(path, error);
  }
}

/** Loads the device key, making it on first start. Two processes racing agree on one key. */
export function ensureDeviceKey(dataDir: string): DeviceKey {
  const path = join(dataDir, DEVICE_KEY_FILE);
  const existing = readKey(path);
  if (existing !== undefined) return deviceKeyFrom(existing);
  const { privateKey } = generateKeyPairSync('ed25519');
  try {
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
    return deviceKeyFrom(privateKey);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = readKey(path);
    if (theirs === undefined) throw unreadable(path, error);
    return deviceKeyFrom(theirs);
  }
}
