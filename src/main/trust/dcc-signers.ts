// EU DCC document signer certificates (X.509, DER) as issuer keys the verify stage can use: the
// kid is the first 8 bytes of SHA-256 over the certificate's DER, the algorithm follows the key
// (EC → ES256, RSA → PS256), and the certificate's validity and extended key usage travel along.
import { X509Certificate } from 'node:crypto';
import { allowedDccTypes } from '../../common/formats/dcc/dcc-key-usage.js';
import type { SignatureAlgorithm } from '../../common/types/credential.js';
import { stageFail, stageOk, type StageResult } from '../../common/types/result.js';
import type { IssuerKey } from '../pipeline/verify.js';
import { keyIdOf } from './trust-store.js';

/** DER of the extKeyUsage OID, 2.5.29.37. */
const EKU_OID_DER = Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x25);

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** One DER TLV at `at` (definite lengths only, as DER requires); null when malformed. */
function readTlv(der: Uint8Array, at: number, limit: number): Tlv | null {
  const tag = der[at];
  let lengthByte = der[at + 1];
  if (tag === undefined || lengthByte === undefined) return null;
  let start = at + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) return null;
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[start + i];
      if (lengthByte === undefined) return null;
      length = length * 256 + lengthByte;
    }
    start += count;
  }
  const end = start + length;
  return end <= limit ? { tag, start, end } : null;
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const list: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = readTlv(der, at, parent.end);
    if (child === null) return list;
    list.push(child);
    at = child.end;
  }
  return list;
}

/** Whether the extension with this OID is marked critical (Certificate → tbs → [3] → Extensions). */
function isExtensionCritical(der: Uint8Array, oidDer: Uint8Array): boolean {
  const certificate = readTlv(der, 0, der.length);
  const tbs = certificate === null ? undefined : children(der, certificate)[0];
  const explicit = tbs === undefined ? undefined : children(der, tbs).find((child) => child.tag === 0xa3);
  const extensions = explicit === undefined ? undefined : children(der, explicit)[0];
  if (extensions === undefined) return false;
  for (const extension of children(der, extensions)) {
    const [id, second] = children(der, extension);
    if (id === undefined || id.end - id.start + 2 !== oidDer.length) continue;
    const idBytes = der.subarray(id.start - 2, id.end);
    if (!idBytes.every((byte, i) => byte === oidDer[i])) continue;
    return second !== undefined && second.tag === 0x01 && der[second.start] === 0xff;
  }
  return false;
}

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
  // Node names the extended key usage "keyUsage" (undefined when the extension is absent) and
  // does not say whether it is critical, which RFC 5280 makes the difference between a
  // restriction and advice: that is read from the DER.
  const oids: readonly string[] | undefined = certificate.keyUsage;
  const extendedKeyUsage = oids === undefined ? undefined : { oids, critical: isExtensionCritical(der, EKU_OID_DER) };
  return stageOk({
    kidHex: Buffer.from(keyIdOf(der)).toString('hex'),
    issuer: country ?? countryOf(certificate),
    alg,
    publicKey: certificate.publicKey,
    certificate: { notBeforeMs, notAfterMs, dccTypes: allowedDccTypes(extendedKeyUsage) },
  });
}
