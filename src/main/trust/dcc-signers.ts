// EU DCC document signer certificates (X.509, DER) as issuer keys the verify stage can use: the
// kid is the first 8 bytes of SHA-256 over the certificate's DER, the algorithm follows the key
// (EC → ES256, RSA → PS256), and the certificate's validity and extended key usage travel along.
import { X509Certificate } from 'node:crypto';
import { allowedDccTypes } from '../../common/formats/dcc/dcc-key-usage.js';
import type { SignatureAlgorithm } from '../../common/types/credential.js';
import { stageFail, stageOk, type StageResult } from '../../common/types/result.js';
import type { IssuerKey } from '../pipeline/verify.js';
import { keyIdOf } from './trust-store.js';

function algorithmFor(certificate: X509Certificate): SignatureAlgorithm | null {
  switch (certificate.publicKey.asymmetricKeyType) {
    case 'ec':
      return 'ES256';
    case 'rsa':
    case 'rsa-pss':
      return 'PS256';
    default:
      return null;
  }
}

function countryOf(certificate: X509Certificate): string {
  const match = /^C=([A-Za-z]{2})$/m.exec(certificate.subject);
  return match?.[1]?.toUpperCase() ?? '';
}

/**
 * An issuer key from a DSC. `country` is the signer list's country when it has one, else the
 * certificate subject's C. A certificate that cannot be used is a reason, never a throw.
 */
export function dccSignerKey(der: Uint8Array, country?: string): StageResult<IssuerKey> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return stageFail({ code: 'unknown_issuer', detail: `signer certificate is not X.509 DER: ${why.slice(0, 120)}` });
  }
  const alg = algorithmFor(certificate);
  if (alg === null) {
    return stageFail({ code: 'unsupported_algorithm', detail: `signer key type ${String(certificate.publicKey.asymmetricKeyType)}` });
  }
  const notBeforeMs = Date.parse(certificate.validFrom);
  const notAfterMs = Date.parse(certificate.validTo);
  if (!Number.isFinite(notBeforeMs) || !Number.isFinite(notAfterMs)) {
    return stageFail({ code: 'unknown_issuer', detail: 'signer certificate has no readable validity period' });
  }
  // Node names the extended key usage "keyUsage"; undefined when the extension is absent.
  const extendedKeyUsage: readonly string[] | undefined = certificate.keyUsage;
  return stageOk({
    kidHex: Buffer.from(keyIdOf(der)).toString('hex'),
    issuer: country ?? countryOf(certificate),
    alg,
    publicKey: certificate.publicKey,
    certificate: { notBeforeMs, notAfterMs, dccTypes: allowedDccTypes(extendedKeyUsage) },
  });
}
