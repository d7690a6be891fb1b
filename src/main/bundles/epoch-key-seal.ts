// Opens an epoch key sealed to this device's X25519 key: X25519 with the publisher's ephemeral
// key, HKDF-SHA256 to an AES-256-GCM key, then AES-256-GCM with the epoch and device bound in as
// associated data. The sealing side is src/hub/publisher/seal-epoch-key.ts.
import { createDecipheriv, createPublicKey, diffieHellman, hkdfSync, type KeyObject } from 'node:crypto';
import {
  EPOCH_KEY_BYTES,
  epochKeySealContext,
  type SealedEpochKeyPayload,
} from '../../common/bundle/epoch-key-payload.js';
import { keyIdOfRaw } from './bundle-crypto.js';

export function x25519PublicKeyRaw(key: KeyObject): Uint8Array {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  if (jwk.crv !== 'X25519' || typeof jwk.x !== 'string') throw new Error('the device key is not an X25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

export function deviceKeyIdOf(deviceKey: KeyObject): Uint8Array {
  return keyIdOfRaw(x25519PublicKeyRaw(deviceKey));
}

/** The 32-byte epoch key, or null when it was not sealed to this key or was altered. */
export function openSealedEpochKey(sealed: SealedEpochKeyPayload, devicePrivateKey: KeyObject): Uint8Array | null {
  try {
    const devicePublic = x25519PublicKeyRaw(devicePrivateKey);
    const ephemeral = createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(sealed.ephemeralPublicKey).toString('base64url') },
      format: 'jwk',
    });
    const shared = diffieHellman({ privateKey: devicePrivateKey, publicKey: ephemeral });
    const context = epochKeySealContext(sealed.epoch, sealed.device);
    const salt = Buffer.concat([sealed.ephemeralPublicKey, devicePublic]);
    const aesKey = Buffer.from(hkdfSync('sha256', shared, salt, context, 32));
    const decipher = createDecipheriv('aes-256-gcm', aesKey, sealed.nonce);
    decipher.setAAD(context);
    decipher.setAuthTag(sealed.ciphertext.subarray(EPOCH_KEY_BYTES));
    const key = Buffer.concat([decipher.update(sealed.ciphertext.subarray(0, EPOCH_KEY_BYTES)), decipher.final()]);
    return key.length === EPOCH_KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}
