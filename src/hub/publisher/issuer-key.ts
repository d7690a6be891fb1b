// The hub's PC1 issuer key (Ed25519), kept in the publisher directory and made on first use. Its
// kid is the first 8 bytes of SHA-256 over the SubjectPublicKeyInfo (src/common/formats/pc1);
// the signer list the hub publishes names it, so kiosks trust the passes it signs.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { SignerListIssuerKey } from '../../common/bundle/signer-list.js';
import { base45Encode } from '../../common/formats/base45.js';
import { encodePc1Pass, type Pc1Claims } from '../../common/formats/pc1/pc1-claims.js';

export const ISSUER_KEY_FILE = 'issuer-key.pem';
export const HUB_ISSUER = 'VN-MOH';

export interface IssuerKey {
  issuer: string;
  kid: Uint8Array;
  privateKey: KeyObject;
  spki: Uint8Array;
}

export function ensureIssuerKey(publisherDir: string, issuer: string = HUB_ISSUER): IssuerKey {
  const path = join(publisherDir, ISSUER_KEY_FILE);
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(`${path}.partial`, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    renameSync(`${path}.partial`, path);
  }
  const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { issuer, kid: createHash('sha256').update(spki).digest().subarray(0, 8), privateKey, spki };
}

export function signerListEntry(key: IssuerKey): SignerListIssuerKey {
  return { kid: key.kid, issuer: key.issuer, alg: 'EdDSA', publicKeySpki: key.spki };
}

export function signPc1(key: IssuerKey, claims: Omit<Pc1Claims, 'issuer'>): string {
  return encodePc1Pass(
    { ...claims, issuer: key.issuer },
    { kid: key.kid, sign: (toBeSigned) => sign(null, toBeSigned, key.privateKey) },
    (bytes) => deflateSync(bytes, { level: 9 }),
    base45Encode,
  );
}
