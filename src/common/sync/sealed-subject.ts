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

/** The HPKE suite a subject is sealed with (RFC 9180 base mode), as the check-in record names it. */
export const SUBJECT_SEAL_SUITE = 'x25519-hkdf-sha256-aes128gcm';
/** Bytes of HPKE's `enc` (the ephemeral X25519 public key) at the start of a sealed subject. */
export const SUBJECT_SEAL_ENC_BYTES = 32;

/** A sealing key's id: the first 8 bytes of SHA-256 over its raw X25519 public key, in hex. */
const SEALING_KEY_ID = '[0-9a-f]{16}';
const AUTHORITY_FILE = new RegExp(`^sealing-key-(${SEALING_KEY_ID})\\.pem$`);

/**
 * The file an authority sealing private key is kept in (PKCS#8 PEM, mode 0600), named by its key
 * id: the publisher's authority directory and a demo kiosk's `<data dir>-health-authority/` alike.
 */
export function authoritySealingKeyFile(keyId: string): string {
  return `sealing-key-${keyId}.pem`;
}

/** The key id in such a file name, or null. */
export function keyIdOfAuthorityFile(name: string): string | null {
  const match = AUTHORITY_FILE.exec(name);
  return match?.[1] ?? null;
}
