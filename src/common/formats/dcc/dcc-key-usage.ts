// Which certificate types a DCC document signer certificate may sign, from its extended key
// usage (EKU) extension:
// - it lists any of the DCC OIDs of the eHN "Technical Specifications for EU Digital COVID
//   Certificates", Volume 1 (test, vaccination, recovery; both OID arcs): only those types;
// - it lists none of them: every type (the DCC rule), unless the extension is critical without
//   anyExtendedKeyUsage, because RFC 5280 §4.2.1.12 then restricts the key to the purposes listed
//   (an ICAO or TLS certificate), and a DCC is none of them. A non-critical EKU is advisory;
// - no EKU extension: every type.
import type { DccCertificateType } from '../../types/credential.js';

export const DCC_KEY_USAGE_OIDS: Readonly<Record<DccCertificateType, readonly string[]>> = {
  test: ['1.3.6.1.4.1.1847.2021.1.1', '1.3.6.1.4.1.0.1847.2021.1.1'],
  vaccination: ['1.3.6.1.4.1.1847.2021.1.2', '1.3.6.1.4.1.0.1847.2021.1.2'],
  recovery: ['1.3.6.1.4.1.1847.2021.1.3', '1.3.6.1.4.1.0.1847.2021.1.3'],
};

export const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

const ALL_TYPES: readonly DccCertificateType[] = ['vaccination', 'test', 'recovery'];

export interface ExtendedKeyUsage {
  oids: readonly string[];
  critical: boolean;
}

/** Types a signer may sign; `undefined` when the certificate has no EKU extension. */
export function allowedDccTypes(extendedKeyUsage: ExtendedKeyUsage | undefined): readonly DccCertificateType[] {
  if (extendedKeyUsage === undefined) return ALL_TYPES;
  const { oids, critical } = extendedKeyUsage;
  const listed = ALL_TYPES.filter((type) => DCC_KEY_USAGE_OIDS[type].some((oid) => oids.includes(oid)));
  if (listed.length > 0) return listed;
  if (critical && oids.length > 0 && !oids.includes(ANY_EXTENDED_KEY_USAGE)) return [];
  return ALL_TYPES;
}
