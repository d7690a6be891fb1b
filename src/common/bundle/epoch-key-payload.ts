// The epoch key bundle: the key that turns canonical ids into status-cache keys, sealed to one
// device's X25519 key (X25519 + HKDF-SHA256 + AES-256-GCM; the crypto is in src/hub/publisher
// and src/main/bundles). Only the fields live here.
import { decodeCanonical, encodeCanonical, hasOnlyKeys, readBytes, readUint } from './bundle-format.js';
import { bundleFail, bundleOk, KID_BYTES, type BundleResult } from './bundle-types.js';

export const X25519_PUBLIC_KEY_BYTES = 32;
export const EPOCH_KEY_BYTES = 32;
export const SEAL_NONCE_BYTES = 12;
export const SEAL_TAG_BYTES = 16;
/** HKDF info and AES-GCM associated data both start with this label. */
export const EPOCH_KEY_SEAL_LABEL = 'PCCovid epoch key v1';

export interface SealedEpochKeyPayload {
  epoch: number;
  /** Key id of the device's X25519 public key (first 8 bytes of its SHA-256). */
  device: Uint8Array;
  ephemeralPublicKey: Uint8Array;
  nonce: Uint8Array;
  /** AES-256-GCM ciphertext of the 32-byte epoch key followed by the 16-byte tag. */
  ciphertext: Uint8Array;
}

export function encodeSealedEpochKey(payload: SealedEpochKeyPayload): Uint8Array {
  return encodeCanonical(
    new Map<string, unknown>([
      ['epoch', payload.epoch],
      ['device', payload.device],
      ['epk', payload.ephemeralPublicKey],
      ['nonce', payload.nonce],
      ['ct', payload.ciphertext],
    ]),
  );
}

export function decodeSealedEpochKey(bytes: Uint8Array): BundleResult<SealedEpochKeyPayload> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return decoded;
  const map = decoded.value;
  if (!(map instanceof Map) || !hasOnlyKeys(map, ['epoch', 'device', 'epk', 'nonce', 'ct'])) {
    return bundleFail('malformed', 'sealed epoch key is not {epoch, device, epk, nonce, ct}');
  }
  const epoch = readUint(map, 'epoch');
  const device = readBytes(map, 'device', KID_BYTES);
  const ephemeralPublicKey = readBytes(map, 'epk', X25519_PUBLIC_KEY_BYTES);
  const nonce = readBytes(map, 'nonce', SEAL_NONCE_BYTES);
  const ciphertext = readBytes(map, 'ct', EPOCH_KEY_BYTES + SEAL_TAG_BYTES);
  if (epoch === undefined || device === undefined || ephemeralPublicKey === undefined || nonce === undefined || ciphertext === undefined) {
    return bundleFail('malformed', 'sealed epoch key with a missing or mis-sized field');
  }
  return bundleOk({ epoch, device, ephemeralPublicKey, nonce, ciphertext });
}

/** Associated data bound into the AES-GCM tag: the label, the epoch and the device. */
export function epochKeySealContext(epoch: number, device: Uint8Array): Uint8Array {
  return encodeCanonical([EPOCH_KEY_SEAL_LABEL, epoch, device]);
}
