// Seals an epoch key to one device's X25519 public key: an ephemeral X25519 key pair, HKDF-SHA256
// of the shared secret to an AES-256-GCM key, the epoch and device bound in as associated data.
// The kiosk side is src/main/bundles/epoch-key-seal.ts.
import { createCipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import {
  EPOCH_KEY_BYTES,
  epochKeySealContext,
  SEAL_NONCE_BYTES,
  X25519_PUBLIC_KEY_BYTES,
  type SealedEpochKeyPayload,
} from '../../common/bundle/epoch-key-payload.js';
import { keyIdOfRaw, rawPublicKey } from './signing-key.js';

export function generateEpochKey(): Uint8Array {
  return randomBytes(EPOCH_KEY_BYTES);
}

export function sealEpochKey(epochKey: Uint8Array, epoch: number, devicePublicKey: Uint8Array): SealedEpochKeyPayload {
  if (epochKey.length !== EPOCH_KEY_BYTES) throw new RangeError(`an epoch key is ${EPOCH_KEY_BYTES} bytes`);
  if (devicePublicKey.length !== X25519_PUBLIC_KEY_BYTES) throw new RangeError('a device public key is 32 bytes (X25519)');
  const device = keyIdOfRaw(devicePublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublicKey = rawPublicKey(ephemeral.publicKey, 'X25519');
  const deviceKey = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(devicePublicKey).toString('base64url') },
    format: 'jwk',
  });
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: deviceKey });
  const context = epochKeySealContext(epoch, device);
  const aesKey = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralPublicKey, devicePublicKey]), context, 32));
  const nonce = randomBytes(SEAL_NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', aesKey, nonce);
  cipher.setAAD(context);
  const ciphertext = Buffer.concat([cipher.update(epochKey), cipher.final(), cipher.getAuthTag()]);
  return { epoch, device, ephemeralPublicKey, nonce, ciphertext };
}
