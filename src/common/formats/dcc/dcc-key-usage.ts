// Which certificate types a DCC document signer certificate may sign: the extended key usage
// OIDs of the eHN "Technical Specifications for EU Digital COVID Certificates", Volume 1. A
// certificate without the extension may sign every type (the spec); one whose extension lists
// any OIDs may be used only for what it lists (RFC 5280 §4.2.1.12), so it signs the DCC types it
// lists and, when it lists none of them (a TLS or ICAO certificate), no DCC at all;
// anyExtendedKeyUsage allows everything.
import type { DccCertificateType } from '../../types/credential.js';

export const DCC_KEY_USAGE_OIDS: Readonly<Record<DccCertificateType, readonly string[]>> = {
  test: ['1.3.6.1.4.1.1847.2021.1.1', '1.3.6.1.4.1.0.1847.2021.1.1'],
  vaccination: ['1.3.6.1.4.1.1847.2021.1.2', '1.3.6.1.4.1.0.1847.2021.1.2'],
  recovery: ['1.3.6.1.4.1.1847.2021.1.3', '1.3.6.1.4.1.0.1847.2021.1.3'],
};

export const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

const ALL_TYPES: readonly DccCertificateType[] = ['vaccination', 'test', 'recovery'];

/** Types a signer may sign, from its extended key usage OIDs (undefined: no such extension). */
export function allowedDccTypes(extendedKeyUsage: readonly string[] | undefined): readonly DccCertificateType[] {
  if (extendedKeyUsage === undefined || extendedKeyUsage.length === 0) return ALL_TYPES;
  if (extendedKeyUsage.includes(ANY_EXTENDED_KEY_USAGE)) return ALL_TYPES;
  return ALL_TYPES.filter((type) => DCC_KEY_USAGE_OIDS[type].some((oid) => extendedKeyUsage.includes(oid)));
}
