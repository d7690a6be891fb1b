// The device's own private keys, made on the device at enrolment and never sent anywhere:
//   device-key.pem          Ed25519: signs every request to the hub (its public half is the id)
//   device-sealing-key.pem  X25519: the hub seals epoch keys to it (bundles' epoch-key stream)
// Files are mode 0600 in the data directory (itself 0700). A KeyProtector (Electron's
// safeStorage, bound to the OS user's keyring) may wrap them; the file then holds an envelope
// only that protector opens. Without one the PEM is plain and the file mode is the protection.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_KEY_FILE, deviceKeyFrom, rawEd25519PublicKey, type DeviceKey } from '../sync/device-key.js';
import { writeFileDurably } from '../bundles/durable-file.js';
import { rawX25519PublicKey } from '../sync/hpke.js';

export const SEALING_PRIVATE_KEY_FILE = 'device-sealing-key.pem';
/** Left by a key rotation between making the new key and the hub accepting it. */
export const NEXT_DEVICE_KEY_FILE = 'device-key.next.pem';

/** Wraps private key bytes for storage (Electron safeStorage in the Electron shell). */
export interface KeyProtector {
  /** Recorded in the envelope, so a key wrapped by one protector is not fed to another. */
  readonly name: string;
  protect(plain: Buffer): Buffer;
  unprotect(wrapped: Buffer): Buffer;
}

export class KeyStorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyStorageError';
  }
}

const ENVELOPE = 'pccovid-protected-key v1 ';

/** A private file (0600), replaced atomically and durably: a power cut leaves the old or the new one. */
export function writePrivateFile(path: string, text: string): void {
  writeFileDurably(path, [Buffer.from(text, 'utf8')]);
}

function encodeKeyFile(key: KeyObject, protector: KeyProtector | null): string {
  const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  if (protector === null) return pem;
  return `${ENVELOPE}${protector.name}\n${protector.protect(Buffer.from(pem, 'utf8')).toString('base64')}\n`;
}

function decodeKeyFile(path: string, text: string, protector: KeyProtector | null): KeyObject {
  let pem = text;
  if (text.startsWith(ENVELOPE)) {
    const [first = '', body = ''] = text.split('\n');
    const name = first.slice(ENVELOPE.length);
    if (protector === null || protector.name !== name) {
      throw new KeyStorageError(`${path} is protected by ${name}, which this process cannot use; start the kiosk the way it was provisioned (Electron).`);
    }
    pem = protector.unprotect(Buffer.from(body, 'base64')).toString('utf8');
  }
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new KeyStorageError(`${path} does not hold a private key; factory-reset the kiosk and provision it again.`, { cause: error });
  }
}

function readKeyFile(path: string, type: 'ed25519' | 'x25519', protector: KeyProtector | null): KeyObject | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KeyStorageError(`${path} cannot be read (${(error as Error).message}); check the data directory's owner and mode.`, { cause: error });
  }
  const key = decodeKeyFile(path, text, protector);
  if (key.asymmetricKeyType !== type) throw new KeyStorageError(`${path} holds a ${String(key.asymmetricKeyType)} key, not ${type}.`);
  return key;
}

export interface DeviceKeys {
  signing: DeviceKey;
  /** X25519 private key that opens epoch keys sealed to this device. */
  sealing: KeyObject;
  /** Raw X25519 public key, hex: what enrolment registers. */
  sealingPublicHex: string;
}

/** Fresh keys for an enrolment: any earlier (unregistered or wiped) keys are replaced. */
export function createDeviceKeys(dataDir: string, protector: KeyProtector | null): DeviceKeys {
  const signing = generateKeyPairSync('ed25519').privateKey;
  const sealing = generateKeyPairSync('x25519').privateKey;
  writePrivateFile(join(dataDir, DEVICE_KEY_FILE), encodeKeyFile(signing, protector));
  writePrivateFile(join(dataDir, SEALING_PRIVATE_KEY_FILE), encodeKeyFile(sealing, protector));
  return { signing: deviceKeyFrom(signing), sealing, sealingPublicHex: rawX25519PublicKey(sealing).toString('hex') };
}

/**
 * The enrolled keys. `deviceId` is the id the hub gave at enrolment: it stays when the signing
 * key rotates, so it is not derived from the current key.
 */
export function loadDeviceKeys(dataDir: string, deviceId: string, protector: KeyProtector | null): DeviceKeys | undefined {
  const signing = readKeyFile(join(dataDir, DEVICE_KEY_FILE), 'ed25519', protector);
  const sealing = readKeyFile(join(dataDir, SEALING_PRIVATE_KEY_FILE), 'x25519', protector);
  if (signing === undefined || sealing === undefined) return undefined;
  return { signing: { ...deviceKeyFrom(signing), deviceId }, sealing, sealingPublicHex: rawX25519PublicKey(sealing).toString('hex') };
}

/** A demo kiosk's signing key (never registered): made on first use, like sync/device-key.ts. */
export function loadOrCreateSigningKey(dataDir: string, protector: KeyProtector | null): DeviceKey {
  const path = join(dataDir, DEVICE_KEY_FILE);
  const existing = readKeyFile(path, 'ed25519', protector);
  if (existing !== undefined) return deviceKeyFrom(existing);
  const key = generateKeyPairSync('ed25519').privateKey;
  writePrivateFile(path, encodeKeyFile(key, protector));
  return deviceKeyFrom(key);
}

/** Key rotation, step 1: the next key, kept beside the current one until the hub accepts it. */
export function createNextSigningKey(dataDir: string, protector: KeyProtector | null): { key: KeyObject; publicKeyBase64: string } {
  const key = generateKeyPairSync('ed25519').privateKey;
  writePrivateFile(join(dataDir, NEXT_DEVICE_KEY_FILE), encodeKeyFile(key, protector));
  return { key, publicKeyBase64: rawEd25519PublicKey(key).toString('base64') };
}

/** Key rotation, step 2 (after the hub accepted): the next key becomes the key. */
export function promoteNextSigningKey(dataDir: string): void {
  renameSync(join(dataDir, NEXT_DEVICE_KEY_FILE), join(dataDir, DEVICE_KEY_FILE));
}

export function deleteDeviceKeys(dataDir: string): void {
  for (const file of [DEVICE_KEY_FILE, SEALING_PRIVATE_KEY_FILE, NEXT_DEVICE_KEY_FILE]) rmSync(join(dataDir, file), { force: true });
}
