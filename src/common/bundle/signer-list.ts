// The signer list: who may sign passes. PC-Covid issuer keys (kid, issuer, algorithm, public
// key) and EU DCC document signer certificates (kid, country, DER certificate), replaced whole
// by each new signer-list bundle.
import type { SignatureAlgorithm } from '../types/credential.js';
import { decodeCanonical, encodeCanonical, hasOnlyKeys, readBytes, readText } from './bundle-format.js';
import { bundleFail, bundleOk, type BundleResult } from './bundle-types.js';

const ALGORITHMS: readonly SignatureAlgorithm[] = ['EdDSA', 'ES256', 'PS256'];

export interface SignerListIssuerKey {
  kid: Uint8Array;
  /** The CWT "iss" this key may sign for. */
  issuer: string;
  alg: SignatureAlgorithm;
  /** SubjectPublicKeyInfo, DER. */
  publicKeySpki: Uint8Array;
}

export interface SignerListDccSigner {
  kid: Uint8Array;
  /** ISO 3166-1 alpha-2 country of the signer. */
  country: string;
  /** X.509 document signer certificate, DER. */
  certificate: Uint8Array;
}

export interface SignerListPayload {
  issuerKeys: SignerListIssuerKey[];
  dccSigners: SignerListDccSigner[];
}

export function encodeSignerList(payload: SignerListPayload): Uint8Array {
  return encodeCanonical(
    new Map<string, unknown>([
      [
        'issuers',
        payload.issuerKeys.map(
          (key) =>
            new Map<string, unknown>([
              ['kid', key.kid],
              ['iss', key.issuer],
              ['alg', key.alg],
              ['spki', key.publicKeySpki],
            ]),
        ),
      ],
      [
        'dcc',
        payload.dccSigners.map(
          (signer) =>
            new Map<string, unknown>([
              ['kid', signer.kid],
              ['c', signer.country],
              ['cert', signer.certificate],
            ]),
        ),
      ],
    ]),
  );
}

export function decodeSignerList(bytes: Uint8Array): BundleResult<SignerListPayload> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return decoded;
  const map = decoded.value;
  if (!(map instanceof Map) || !hasOnlyKeys(map, ['issuers', 'dcc'])) {
    return bundleFail('malformed', 'signer list is not {issuers, dcc}');
  }
  const issuers = map.get('issuers');
  const dcc = map.get('dcc');
  if (!Array.isArray(issuers) || !Array.isArray(dcc)) return bundleFail('malformed', 'signer list without both lists');
  const issuerKeys: SignerListIssuerKey[] = [];
  for (const item of issuers as unknown[]) {
    if (!(item instanceof Map) || !hasOnlyKeys(item, ['kid', 'iss', 'alg', 'spki'])) {
      return bundleFail('malformed', 'issuer key entry is not a map of kid, iss, alg, spki');
    }
    const kid = readBytes(item, 'kid');
    const issuer = readText(item, 'iss');
    const alg = readText(item, 'alg');
    const publicKeySpki = readBytes(item, 'spki');
    if (kid === undefined || kid.length === 0 || issuer === undefined || issuer === '' || publicKeySpki === undefined) {
      return bundleFail('malformed', 'issuer key entry with a missing kid, issuer or key');
    }
    const known = ALGORITHMS.find((a) => a === alg);
    if (known === undefined) return bundleFail('malformed', `issuer key with unknown algorithm ${JSON.stringify(alg)}`);
    issuerKeys.push({ kid, issuer, alg: known, publicKeySpki });
  }
  const dccSigners: SignerListDccSigner[] = [];
  for (const item of dcc as unknown[]) {
    if (!(item instanceof Map) || !hasOnlyKeys(item, ['kid', 'c', 'cert'])) {
      return bundleFail('malformed', 'DCC signer entry is not a map of kid, c, cert');
    }
    const kid = readBytes(item, 'kid');
    const country = readText(item, 'c');
    const certificate = readBytes(item, 'cert');
    if (kid === undefined || kid.length === 0 || country === undefined || !/^[A-Z]{2}$/.test(country) || certificate === undefined) {
      return bundleFail('malformed', 'DCC signer entry with a missing kid, a bad country or no certificate');
    }
    dccSigners.push({ kid, country, certificate });
  }
  return bundleOk({ issuerKeys, dccSigners });
}
