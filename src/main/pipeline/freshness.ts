// How old each installed bundle is, as the pipeline sees it at decision time. What a stale
// cache means at a door (a venue warns, a border lane sends to review) is the policy's call.
import type { BundleType } from '../../common/bundle/bundle-types.js';

export interface BundleAge {
  type: BundleType;
  sequence: number;
  /** Milliseconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
  /** Time since issue at the asked moment, never negative. */
  ageMs: number;
  /** Past its expiry: kept and used, but possibly out of date. */
  stale: boolean;
}

export interface BundleFreshness {
  /** One entry per installed bundle that feeds decisions (for status: the snapshot and the newest delta). */
  ages(nowMs: number): readonly BundleAge[];
  ageOf(type: BundleType, nowMs: number): BundleAge | null;
}

export function bundleAge(
  facts: { type: BundleType; sequence: number; issuedAt: number; expiresAt: number },
  nowMs: number,
): BundleAge {
  return {
    type: facts.type,
    sequence: facts.sequence,
    issuedAt: facts.issuedAt,
    expiresAt: facts.expiresAt,
    ageMs: Math.max(0, nowMs - facts.issuedAt),
    stale: nowMs >= facts.expiresAt,
  };
}

/** A kiosk with nothing installed. */
export const NO_BUNDLES: BundleFreshness = { ages: () => [], ageOf: () => null };
