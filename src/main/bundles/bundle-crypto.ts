// node:crypto for bundles: SHA-256, Ed25519 over raw public keys, key ids.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { KID_BYTES } from '../../common/bundle/bundle-types.js';

export function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

/** Key id of a raw public key: the first 8 bytes of its SHA-256. */
export function keyIdOfRaw(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).subarray(0, KID_BYTES);
}

const ed25519Keys = new Map<string, KeyObject>();

function ed25519Key(raw: Uint8Array): KeyObject {
  const x = Buffer.from(raw).toString('base64url');
  let key = ed25519Keys.get(x);
  if (key === undefined) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    ed25519Keys.set(x, key);
  }
  return key;
}

export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, message, ed25519Key(publicKey), signature);
  } catch {
    return false;
  }
}
