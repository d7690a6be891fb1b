// Stage 3, status: the freshest health status known for the subject. The status cache is
// authoritative; without an entry, a PC1 pass's own status is used (and the verdict says so),
// and anything else is unknown: identity documents carry no status, and a DCC's meaning is the
// rules' business.
import type { HealthStatus, SubjectStatus, VerifiedCredential } from '../../common/types/credential.js';
import type { BundleFreshness } from './freshness.js';

export interface StatusEntry {
  status: HealthStatus;
  /** Milliseconds since the epoch until which the entry holds. */
  validUntil: number;
  /** The facts behind the status, when the cache carries them (src/common/bundle/status-record.ts). */
  doses?: number;
  lastDoseDate?: string | null;
  lastNegativeTestAt?: number | null;
  recoveryDate?: string | null;
}

export interface StatusLookup {
  /** Looks up every canonical id of the subject; the first hit wins. */
  lookup(subjectIds: readonly string[]): StatusEntry | undefined;
  /** Wall-clock milliseconds when the data behind the lookup was issued, or null if none. */
  readonly issuedAt: number | null;
  /**
   * Age and staleness of every installed bundle (status snapshot and delta, signer list, policy...),
   * for the policy stage; absent when the data does not come from bundles.
   */
  readonly freshness?: BundleFreshness;
}

export function resolveStatus(verified: VerifiedCredential, cache: StatusLookup, nowMs: number): SubjectStatus {
  return resolveStatusWithEntry(verified, cache, nowMs).status;
}

/** The status, and the cache entry behind it while that entry is current (the policy stage reads its facts). */
export function resolveStatusWithEntry(
  verified: VerifiedCredential,
  cache: StatusLookup,
  nowMs: number,
): { status: SubjectStatus; entry: StatusEntry | undefined } {
  const entry = cache.lookup(verified.credential.subjectIds);
  if (entry === undefined) {
    const { credential } = verified;
    const status: SubjectStatus =
      credential.kind === 'pc1' ? { status: credential.statusAtIssue, source: 'pass' } : { status: 'unknown', source: 'none' };
    return { status, entry: undefined };
  }
  // An entry past its validity says nothing current: the subject's status is unknown.
  const current = entry.validUntil > nowMs;
  return {
    status: {
      status: current ? entry.status : 'unknown',
      source: 'cache',
      validUntil: entry.validUntil,
      ...(cache.issuedAt === null ? {} : { cacheAgeMs: Math.max(0, nowMs - cache.issuedAt) }),
    },
    entry: current ? entry : undefined,
  };
}
