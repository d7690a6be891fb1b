// The key list: the pinned root key endorses publisher keys, each for some bundle types and a
// time window, so publisher keys rotate without re-provisioning a single kiosk. Only a root
// key signs a key list; a key list never endorses a key for key lists.
import {
  decodeCanonical,
  encodeCanonical,
  hasOnlyKeys,
  readBytes,
  readUint,
} from './bundle-format.js';
import { bundleFail, bundleOk, isBundleType, KID_BYTES, type BundleResult, type BundleType } from './bundle-types.js';

export const ED25519_PUBLIC_KEY_BYTES = 32;

/** A root key pinned at provisioning (the technician confirms its fingerprint). */
export interface RootKey {
  kid: Uint8Array;
  /** Raw Ed25519 public key. */
  publicKey: Uint8Array;
}

export interface EndorsedKey {
  kid: Uint8Array;
  /** Raw Ed25519 public key. */
  publicKey: Uint8Array;
  types: BundleType[];
  /** The key signs bundles issued within [notBefore, notAfter] (ms since the epoch). */
  notBefore: number;
  notAfter: number;
}

export interface KeyListPayload {
  keys: EndorsedKey[];
}

export function encodeKeyList(payload: KeyListPayload): Uint8Array {
  return encodeCanonical(
    new Map([
      [
        'keys',
        payload.keys.map(
          (key) =>
            new Map<string, unknown>([
              ['kid', key.kid],
              ['pub', key.publicKey],
              ['types', [...key.types]],
              ['nbf', key.notBefore],
              ['naf', key.notAfter],
            ]),
        ),
      ],
    ]),
  );
}

export function decodeKeyList(bytes: Uint8Array): BundleResult<KeyListPayload> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return decoded;
  const map = decoded.value;
  if (!(map instanceof Map) || !hasOnlyKeys(map, ['keys']) || !Array.isArray(map.get('keys'))) {
    return bundleFail('malformed', 'key list is not {keys: [...]}');
  }
  const keys: EndorsedKey[] = [];
  for (const item of map.get('keys') as unknown[]) {
    if (!(item instanceof Map) || !hasOnlyKeys(item, ['kid', 'pub', 'types', 'nbf', 'naf'])) {
      return bundleFail('malformed', 'key list entry is not a map of kid, pub, types, nbf, naf');
    }
    const kid = readBytes(item, 'kid', KID_BYTES);
    const publicKey = readBytes(item, 'pub', ED25519_PUBLIC_KEY_BYTES);
    const notBefore = readUint(item, 'nbf');
    const notAfter = readUint(item, 'naf');
    const types = item.get('types');
    if (kid === undefined || publicKey === undefined || notBefore === undefined || notAfter === undefined) {
      return bundleFail('malformed', 'key list entry with a bad kid, key or window');
    }
    if (!Array.isArray(types) || types.length === 0 || !types.every(isBundleType)) {
      return bundleFail('malformed', 'key list entry with no or unknown bundle types');
    }
    if (types.includes('key-list')) return bundleFail('malformed', 'a key list may not endorse a key for key lists');
    keys.push({ kid, publicKey, types, notBefore, notAfter });
  }
  return bundleOk({ keys });
}
