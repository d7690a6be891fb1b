// The key list: the pinned root key endorses publisher keys, each for some bundle types and a
// time window, so publisher keys rotate without re-provisioning a single kiosk. Only a root
// key signs a key list; a key list never endorses a key for key lists.
// It also carries the health authority's X25519 sealing public key (`seal`), the key kiosks seal
// check-in subjects to: distributed under the root key itself (a publisher key cannot redirect
// subjects), with the key list's chain, rollback protection and atomic install. Optional: a key
// list without it encodes as before.
import {
  decodeCanonical,
  encodeCanonical,
  hasOnlyKeys,
  readBytes,
  readUint,
} from './bundle-format.js';
import { bundleFail, bundleOk, isBundleType, KID_BYTES, type BundleResult, type BundleType } from './bundle-types.js';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const X25519_SEALING_KEY_BYTES = 32;

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
  /** The health authority's current X25519 sealing public key (raw), or absent. */
  sealingKey?: Uint8Array;
}

export function encodeKeyList(payload: KeyListPayload): Uint8Array {
  const map = new Map<string, unknown>([
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
  ]);
  if (payload.sealingKey !== undefined) {
    if (payload.sealingKey.length !== X25519_SEALING_KEY_BYTES) throw new RangeError('the authority sealing key is a raw 32-byte X25519 key');
    map.set('seal', payload.sealingKey);
  }
  return encodeCanonical(map);
}

export function decodeKeyList(bytes: Uint8Array): BundleResult<KeyListPayload> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return decoded;
  const map = decoded.value;
  if (!(map instanceof Map) || !hasOnlyKeys(map, ['keys', 'seal']) || !Array.isArray(map.get('keys'))) {
    return bundleFail('malformed', 'key list is not {keys: [...], seal?}');
  }
  let sealingKey: Uint8Array | undefined;
  if (map.has('seal')) {
    sealingKey = readBytes(map, 'seal', X25519_SEALING_KEY_BYTES);
    if (sealingKey === undefined) return bundleFail('malformed', `key list with an authority sealing key that is not ${X25519_SEALING_KEY_BYTES} bytes`);
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
  return bundleOk(sealingKey === undefined ? { keys } : { keys, sealingKey });
}
