// Builds the pipeline's read-only trust store from the issuer keys in the database.
import { createHash, createPublicKey } from 'node:crypto';
import type { Logger } from '../log.js';
import type { IssuerKey, TrustStore } from '../pipeline/verify.js';
import type { IssuerKeyRow } from '../store/queries/issuer-keys.js';

/** kid of a public key: the first 8 bytes of SHA-256 over its DER encoding (as the EU DCC does). */
export function keyIdOf(publicKeyDer: Uint8Array): Uint8Array {
  return createHash('sha256').update(publicKeyDer).digest().subarray(0, 8);
}

export class MapTrustStore implements TrustStore {
  private readonly byKid = new Map<string, IssuerKey[]>();

  constructor(keys: readonly IssuerKey[]) {
    for (const key of keys) {
      const list = this.byKid.get(key.kidHex) ?? [];
      list.push(key);
      this.byKid.set(key.kidHex, list);
    }
  }

  keysFor(kidHex: string): readonly IssuerKey[] {
    return this.byKid.get(kidHex) ?? [];
  }

  get size(): number {
    let n = 0;
    for (const list of this.byKid.values()) n += list.length;
    return n;
  }
}

/** A stored key that cannot be parsed is left out and reported, never silently dropped. */
export function trustStoreFromRows(rows: readonly IssuerKeyRow[], logger: Logger): MapTrustStore {
  const keys: IssuerKey[] = [];
  for (const row of rows) {
    try {
      const publicKey = createPublicKey({ key: row.publicKeyDer, format: 'der', type: 'spki' });
      keys.push({ kidHex: row.kid, issuer: row.issuer, alg: row.alg, publicKey });
    } catch (error) {
      logger.error({ err: error, kid: row.kid, issuer: row.issuer }, 'stored issuer key is unreadable; it is not trusted');
    }
  }
  return new MapTrustStore(keys);
}
