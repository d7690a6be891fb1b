// Ed25519 signing keys of the authority: the root key (signs key lists; kept offline in
// production) and publisher keys (sign every other bundle; rotated through key lists).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { KID_BYTES } from '../../common/bundle/bundle-types.js';

export interface SigningKey {
  kid: Uint8Array;
  /** Raw 32-byte Ed25519 public key, as key lists and kiosks carry it. */
  publicKey: Uint8Array;
  privateKey: KeyObject;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

/** Key id: the first 8 bytes of SHA-256 over the raw public key (the kiosk checks the same). */
export function keyIdOfRaw(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).subarray(0, KID_BYTES);
}

export function rawPublicKey(key: KeyObject, curve: 'Ed25519' | 'X25519'): Uint8Array {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  if (jwk.crv !== curve || typeof jwk.x !== 'string') throw new Error(`not an ${curve} key`);
  return Buffer.from(jwk.x, 'base64url');
}

export function signingKeyOf(privateKey: KeyObject): SigningKey {
  const publicKey = rawPublicKey(privateKey, 'Ed25519');
  return { kid: keyIdOfRaw(publicKey), publicKey, privateKey };
}

export function generateSigningKey(): SigningKey {
  return signingKeyOf(generateKeyPairSync('ed25519').privateKey);
}

export function signingKeyFromPem(pem: string): SigningKey {
  return signingKeyOf(createPrivateKey(pem));
}

export function signingKeyToPem(key: SigningKey): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function signWith(key: SigningKey): (message: Uint8Array) => Uint8Array {
  return (message) => sign(null, message, key.privateKey);
}

/** What a technician compares when pinning the root key: SHA-256 of the raw key, in groups. */
export function keyFingerprint(publicKey: Uint8Array): string {
  return Buffer.from(sha256(publicKey)).toString('hex').match(/.{4}/g)?.join(' ') ?? '';
}
