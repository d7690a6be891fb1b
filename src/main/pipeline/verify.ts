// Stage 2, verify: the signature against the issuer keys this kiosk trusts, then the
// validity window at the injected clock. Identity documents carry no signature: they pass as
// identity only, and the status stage decides what is known of the person.
import { verify as verifySignature, type KeyObject } from 'node:crypto';
import { DCC_TYPE_KEY } from '../../common/formats/dcc/dcc-claims.js';
import type {
  Credential,
  DccCertificateType,
  DccCredential,
  SignatureAlgorithm,
  SignedCredential,
  VerifiedCredential,
} from '../../common/types/credential.js';
import { stageFail, stageOk, type StageResult } from '../../common/types/result.js';

/** What a signing certificate (an EU DCC document signer certificate) says about its key. */
export interface SignerCertificateFacts {
  /** Validity period, milliseconds since the epoch. */
  notBeforeMs: number;
  notAfterMs: number;
  /** DCC types the certificate may sign (from its extended key usage OIDs). */
  dccTypes: readonly DccCertificateType[];
}

export interface IssuerKey {
  kidHex: string;
  /** The CWT "iss" this key may sign for (for a DCC signer: its country, informational). */
  issuer: string;
  alg: SignatureAlgorithm;
  publicKey: KeyObject;
  /** Present for keys that come from an X.509 certificate (DCC signers). */
  certificate?: SignerCertificateFacts;
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

export function signatureHolds(key: IssuerKey, credential: Pick<SignedCredential, 'signature'>): boolean {
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
      return verifyDcc(credential, trust, nowMs);
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

// EU DCC. Issuers are countries; the signing certificate, not an issuer name, binds the key.
// Steps, each also used alone by the conformance suite: signature (kid lookup, every certificate
// sharing the kid tried), the certificate's key usage for this type, its validity around the
// DCC's dates, then the DCC's own iat/exp at the clock.

/** The trusted keys with the credential's kid and algorithm whose signature holds. */
export function dccSignersWhoseSignatureHolds(
  credential: Pick<DccCredential, 'signature'>,
  trust: TrustStore,
  holds: (key: IssuerKey) => boolean = (key) => signatureHolds(key, credential),
): StageResult<readonly IssuerKey[]> {
  const kidHex = toHex(credential.signature.kid);
  const candidates = trust.keysFor(kidHex).filter((key) => key.alg === credential.signature.alg);
  if (candidates.length === 0) {
    return stageFail({ code: 'unknown_issuer', detail: `no trusted ${credential.signature.alg} DCC signer with kid ${kidHex}` });
  }
  const holding = candidates.filter(holds);
  if (holding.length === 0) return stageFail({ code: 'signature_invalid', detail: `kid ${kidHex}` });
  return stageOk(holding);
}

/** May this signer sign this type? A key without certificate facts may sign every type. */
export function checkDccKeyUsage(credential: Pick<DccCredential, 'certificateType'>, key: IssuerKey): StageResult<IssuerKey> {
  const allowed = key.certificate?.dccTypes;
  if (allowed === undefined || allowed.includes(credential.certificateType)) return stageOk(key);
  return stageFail({
    code: 'signer_type_not_allowed',
    detail: `signer ${key.kidHex} may sign ${allowed.map((type) => DCC_TYPE_KEY[type]).join(', ')}, not ${DCC_TYPE_KEY[credential.certificateType]}`,
  });
}

type DccTimes = Pick<DccCredential, 'issuedAt' | 'expiresAt'>;

function isoOf(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

/**
 * The DCC's validity must lie within its signer certificate's: issued while the certificate was
 * valid, and expiring no later than it. (With the clock check below this also means the
 * certificate is valid now.)
 */
export function checkDccSignerValidity(credential: DccTimes, key: IssuerKey): StageResult<IssuerKey> {
  const facts = key.certificate;
  if (facts === undefined) return stageOk(key);
  const issuedAtMs = credential.issuedAt * 1000;
  const expiresAtMs = credential.expiresAt * 1000;
  if (issuedAtMs < facts.notBeforeMs) {
    return stageFail({
      code: 'signer_certificate_not_valid',
      detail: `issued ${isoOf(issuedAtMs)}, before its signer certificate became valid (${isoOf(facts.notBeforeMs)})`,
    });
  }
  if (expiresAtMs > facts.notAfterMs) {
    return stageFail({
      code: 'signer_certificate_not_valid',
      detail: `expires ${isoOf(expiresAtMs)}, after its signer certificate does (${isoOf(facts.notAfterMs)})`,
    });
  }
  return stageOk(key);
}

/**
 * iat and exp at the clock; iat may be a little ahead of a kiosk clock that runs slow. A DCC is
 * valid up to and including its exp second, as the DCC verifiers and test data have it (the PC1
 * branch keeps RFC 7519's "on or after exp, refused").
 */
export function checkDccTimes<T extends DccTimes>(credential: T, nowMs: number): StageResult<T> {
  const nowSeconds = Math.floor(nowMs / 1000);
  if (nowSeconds + ISSUED_AT_SKEW_SECONDS < credential.issuedAt) {
    return stageFail({ code: 'not_yet_valid', detail: `issued at ${isoOf(credential.issuedAt * 1000)}` });
  }
  if (nowMs > credential.expiresAt * 1000) {
    return stageFail({ code: 'expired', detail: `expired at ${isoOf(credential.expiresAt * 1000)}` });
  }
  return stageOk(credential);
}

function verifyDcc(credential: DccCredential, trust: TrustStore, nowMs: number): StageResult<VerifiedCredential> {
  // Fast path, same answer: the signer is the first candidate (in trust-store order) whose
  // signature holds and that passes key usage and validity, so only candidates passing those
  // cheap checks need their signature verified, and the first that holds ends the search.
  // Signatures found not to hold; made only then (a valid pass allocates no set).
  let failed: Set<IssuerKey> | undefined;
  for (const key of trust.keysFor(toHex(credential.signature.kid))) {
    if (key.alg !== credential.signature.alg) continue;
    if (!checkDccKeyUsage(credential, key).ok || !checkDccSignerValidity(credential, key).ok) continue;
    if (!signatureHolds(key, credential)) {
      (failed ??= new Set()).add(key);
      continue;
    }
    const times = checkDccTimes(credential, nowMs);
    if (!times.ok) return times;
    return stageOk({ credential, issuerKeyId: key.kidHex });
  }
  // No signer: the full search below names the reason (unknown issuer, bad signature, or the
  // first holding signer's key usage or validity), verifying no signature twice.
  const holding = dccSignersWhoseSignatureHolds(credential, trust, (key) => failed?.has(key) !== true && signatureHolds(key, credential));
  if (!holding.ok) return holding;
  // Several certificates may share a kid: the first one that passes every check signs.
  let firstFailure: StageResult<VerifiedCredential> | undefined;
  for (const key of holding.value) {
    const usage = checkDccKeyUsage(credential, key);
    const validity = usage.ok ? checkDccSignerValidity(credential, key) : usage;
    if (validity.ok) {
      const times = checkDccTimes(credential, nowMs);
      if (!times.ok) return times;
      return stageOk({ credential, issuerKeyId: key.kidHex });
    }
    firstFailure ??= validity;
  }
  return firstFailure ?? stageFail({ code: 'signature_invalid', detail: 'no signer' });
}
