// What a check-in's sealed subject is, for both ends: the kiosk seals (src/main/sync/
// checkin-sealer.ts), the health authority's tracing tool opens (src/hub/privacy/). HPKE base mode
// (RFC 9180), DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM, the suite the wire names.

/** HPKE info of every sealed subject; the AAD is the record's nonce (a subject cannot move rows). */
export const SUBJECT_SEAL_INFO_TEXT = 'pccovid checkin subject v1';

/** What the authority reads after opening a sealed subject (JSON, UTF-8). */
export interface SealedSubjectPlaintext {
  v: 1;
  subjectIds: string[];
}

/** A sealing key's id: the first 8 bytes of SHA-256 over its raw X25519 public key, in hex. */
export const SEALING_KEY_ID = /^[0-9a-f]{16}$/;

/**
 * The file an authority sealing private key is kept in (PKCS#8 PEM, mode 0600), named by its key
 * id: the publisher's authority directory and a demo kiosk's `<data dir>-health-authority/` alike.
 */
export function authoritySealingKeyFile(keyId: string): string {
  return `sealing-key-${keyId}.pem`;
}

/** The key id in such a file name, or null. */
export function keyIdOfAuthorityFile(name: string): string | null {
  const match = /^sealing-key-([0-9a-f]{16})\.pem$/.exec(name);
  return match?.[1] ?? null;
}
