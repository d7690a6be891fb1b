// The one Credential type every decoder produces, and the types each pipeline stage hands to
// the next (DESIGN.md, "The pipeline"). Pure data: no Node, no DOM.

/** Where a scan came from. Drivers in hardware/ add their own sources. */
export type ScanSource = 'keyboard-wedge' | 'paste' | 'hid-pos' | 'serial' | 'camera' | 'cli';

export interface ScanEvent {
  source: ScanSource;
  /** Symbology when the reader reports it (AIM id such as "]Q1"), else "unknown". */
  symbology: string;
  text: string;
  /** Wall-clock milliseconds when the scan reached the kiosk. */
  receivedAt: number;
  /**
   * The hardware device that read it (devices:list id and name), for a scan from a USB HID or
   * serial reader: two scanners of one kind stay apart (the technician's self-test). Set in main
   * only; the window's own input has none.
   */
  device?: { id: string; name: string };
}

/** Signed health passes, and identity-only documents whose status comes from the cache. */
export type CredentialKind = 'pc1' | 'dcc' | 'pccovid-v1' | 'health-declaration' | 'cccd' | 'mrz';
export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['pc1', 'dcc', 'pccovid-v1', 'health-declaration', 'cccd', 'mrz'];

export type HealthStatus = 'green' | 'yellow' | 'red' | 'unknown';
export const HEALTH_STATUSES: readonly HealthStatus[] = ['green', 'yellow', 'red', 'unknown'];

export interface VaccinationSummary {
  doses: number;
  /** ISO date (YYYY-MM-DD) of the last dose, when known. */
  lastDoseDate?: string;
}

export type SignatureAlgorithm = 'EdDSA' | 'ES256' | 'PS256';

/** What the verify stage needs to check a signature; filled by the decoder. */
export interface SignatureFacts {
  alg: SignatureAlgorithm;
  kid: Uint8Array;
  /** The exact bytes the signature covers (COSE Sig_structure). */
  toBeSigned: Uint8Array;
  signature: Uint8Array;
}

export interface Holder {
  /** Full name as the credential spells it, Unicode NFC. */
  name: string;
  /** ISO date; DCC allows "YYYY" or "YYYY-MM"; null when the credential has none. */
  dateOfBirth: string | null;
}

interface CredentialBase {
  /** Canonical subject ids (DESIGN.md): "VN-ID:<12 digits>", "DOC:<state>:<number>", ... */
  subjectIds: string[];
  holder: Holder;
}

/** Issuer, validity window and signature of a signed credential (CWT claims). */
interface SignedPart {
  issuer: string;
  /** Seconds since the epoch, as in CWT. */
  issuedAt: number;
  expiresAt: number;
  signature: SignatureFacts;
}

export interface Pc1Credential extends CredentialBase, SignedPart {
  kind: 'pc1';
  /** Health status as the issuer stated it when the pass was issued. */
  statusAtIssue: HealthStatus;
  vaccination: VaccinationSummary;
}

export type DccCertificateType = 'vaccination' | 'test' | 'recovery';

export interface DccCredential extends CredentialBase, SignedPart {
  kind: 'dcc';
  certificateType: DccCertificateType;
  /** The hcert payload (claim -260, key 1) exactly as decoded: the JSON the rules read. */
  payload: unknown;
}

/** Fields of an identity document; which are present depends on the document. */
export interface IdentityFields {
  documentNumber: string;
  /** MRZ document code ("P", "ID", "V", ...): which kind of travel document was read. */
  documentCode?: string;
  /** Primary and secondary identifiers, as the document separates them, for the guard screen. */
  surname?: string;
  givenNames?: string;
  issuingState?: string;
  nationality?: string;
  sex?: 'F' | 'M' | 'X';
  /** ISO date. */
  expiryDate?: string;
  issueDate?: string;
  address?: string;
  /** Earlier document number (CCCD's old CMND id), when the document carries one. */
  formerNumber?: string;
}

/** Unsigned identity documents and the earlier apps' codes: identity only, status from the cache. */
export interface IdentityCredential extends CredentialBase {
  kind: 'pccovid-v1' | 'health-declaration' | 'cccd' | 'mrz';
  identity: IdentityFields;
}

export type Credential = Pc1Credential | DccCredential | IdentityCredential;
export type SignedCredential = Pc1Credential | DccCredential;

export function isSignedCredential(credential: Credential): credential is SignedCredential {
  return credential.kind === 'pc1' || credential.kind === 'dcc';
}

/** A credential whose signature, issuer key and validity window were checked. */
export interface VerifiedCredential {
  credential: Credential;
  /** Hex kid of the key whose signature held; null for identity-only credentials. */
  issuerKeyId: string | null;
}

/**
 * Where the status came from: the status cache (authoritative), the pass itself, or nowhere
 * (an identity document of a person the cache does not know).
 */
export type StatusSourceKind = 'cache' | 'pass' | 'none';

export interface SubjectStatus {
  status: HealthStatus;
  source: StatusSourceKind;
  /** Age of the cache data in milliseconds, when the status came from the cache. */
  cacheAgeMs?: number;
  validUntil?: number;
}
