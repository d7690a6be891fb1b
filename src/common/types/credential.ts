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
}

export type CredentialKind = 'pc1';

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

export interface Credential {
  kind: CredentialKind;
  /** Canonical subject ids (DESIGN.md): "VN-ID:<12 digits>", "DOC:<state>:<number>", ... */
  subjectIds: string[];
  holder: { name: string; dateOfBirth: string };
  issuer: string;
  /** Seconds since the epoch, as in CWT. */
  issuedAt: number;
  expiresAt: number;
  /** Health status as the issuer stated it when the pass was issued. */
  statusAtIssue: HealthStatus;
  vaccination: VaccinationSummary;
  signature: SignatureFacts;
}

/** A credential whose signature, issuer key and validity window were checked. */
export interface VerifiedCredential {
  credential: Credential;
  issuerKeyId: string;
}

/** Where the status came from: the status cache (authoritative) or the pass itself. */
export type StatusSourceKind = 'cache' | 'pass';

export interface SubjectStatus {
  status: HealthStatus;
  source: StatusSourceKind;
  /** Age of the cache data in milliseconds, when the status came from the cache. */
  cacheAgeMs?: number;
  validUntil?: number;
}
