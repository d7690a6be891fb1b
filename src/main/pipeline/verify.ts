// Stage 2, verify: the signature against the issuer keys this kiosk trusts, then the
// validity window at the injected clock. Identity documents carry no signature: they pass as
// identity only, and the status stage decides what is known of the person.
import { verify as verifySignature, type KeyObject } from 'node:crypto';
import type { Credential, SignatureAlgorithm, SignedCredential, VerifiedCredential } from '../../common/types/credential.js';
import { stageFail, stageOk, type StageResult } from '../../common/types/result.js';

export interface IssuerKey {
  kidHex: string;
  /** The CWT "iss" this key may sign for. */
  issuer: string;
  alg: SignatureAlgorithm;
  publicKey: KeyObject;
}

/** Read-only view of the issuer keys; several keys may share a kid and each is tried. */
export interface TrustStore {
  keysFor(kidHex: string): readonly IssuerKey[];
}

/** Tolerance for a kiosk clock slightly behind the issuer's. */
export const ISSUED_AT_SKEW_SECONDS = 300;

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function signatureHolds(key: IssuerKey, credential: SignedCredential): boolean {
  const { toBeSigned, signature } = credential.signature;
  try {
    switch (key.alg) {
      case 'EdDSA':
        return verifySignature(null, toBeSigned, key.publicKey, signature);
      case 'ES256':
        return verifySignature('sha256', toBeSigned, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
      case 'PS256':
        return verifySignature(
          'sha256',
          toBeSigned,
          { key: key.publicKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 },
          signature,
        );
      default: {
        const unreachable: never = key.alg;
        return unreachable;
      }
    }
  } catch {
    // A malformed signature (wrong length for the key) is simply not a valid signature.
    return false;
  }
}

export function verifyCredential(
  credential: Credential,
  trust: TrustStore,
  nowMs: number,
): StageResult<VerifiedCredential> {
  switch (credential.kind) {
    case 'pc1':
      return verifySigned(credential, trust, nowMs, true);
    case 'dcc':
      // DCC issuers are countries; the signing certificate, not an issuer name, binds the key.
      return verifySigned(credential, trust, nowMs, false);
    case 'pccovid-v1':
    case 'health-declaration':
    case 'cccd':
    case 'mrz':
      return stageOk({ credential, issuerKeyId: null });
    default: {
      const unreachable: never = credential;
      return unreachable;
    }
  }
}

function verifySigned(
  credential: SignedCredential,
  trust: TrustStore,
  nowMs: number,
  bindIssuerName: boolean,
): StageResult<VerifiedCredential> {
  const kidHex = toHex(credential.signature.kid);
  const candidates = trust.keysFor(kidHex).filter((key) => key.alg === credential.signature.alg);
  if (candidates.length === 0) {
    return stageFail({ code: 'unknown_issuer', detail: `no trusted ${credential.signature.alg} key with kid ${kidHex}` });
  }
  const key = candidates.find((candidate) => signatureHolds(candidate, credential));
  if (key === undefined) return stageFail({ code: 'signature_invalid', detail: `kid ${kidHex}` });
  if (bindIssuerName && key.issuer !== credential.issuer) {
    return stageFail({
      code: 'unknown_issuer',
      detail: `key ${kidHex} signs for "${key.issuer}", not "${credential.issuer}"`,
    });
  }
  const nowSeconds = Math.floor(nowMs / 1000);
  if (nowSeconds + ISSUED_AT_SKEW_SECONDS < credential.issuedAt) {
    return stageFail({ code: 'not_yet_valid', detail: `issued at ${new Date(credential.issuedAt * 1000).toISOString()}` });
  }
  if (nowSeconds >= credential.expiresAt) {
    return stageFail({ code: 'expired', detail: `expired at ${new Date(credential.expiresAt * 1000).toISOString()}` });
  }
  return stageOk({ credential, issuerKeyId: kidHex });
}
