// Issuer public keys the pipeline trusts, by kid.
import type { SignatureAlgorithm } from '../../../common/types/credential.js';
import type { ReadableDB, WritableDB } from '../database.js';

export interface IssuerKeyRow {
  kid: string;
  issuer: string;
  alg: SignatureAlgorithm;
  publicKeyDer: Buffer;
  origin: 'demo' | 'bundle';
}

export function listIssuerKeys(db: ReadableDB): IssuerKeyRow[] {
  return db
    .prepare('SELECT kid, issuer, alg, public_key AS publicKeyDer, origin FROM issuer_keys ORDER BY kid')
    .all() as IssuerKeyRow[];
}

export function addIssuerKey(db: WritableDB, key: IssuerKeyRow, addedAt: number): void {
  db.prepare(
    `INSERT INTO issuer_keys (kid, issuer, alg, public_key, origin, added_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (kid, public_key) DO NOTHING`,
  ).run(key.kid, key.issuer, key.alg, key.publicKeyDer, key.origin, addedAt);
}
