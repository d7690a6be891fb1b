// Whether a correctly signed bundle may be installed over what is there: its dates against the
// clock, its sequence and previous-hash against the installed head of its stream.
import { bundleFail, bundleOk, bytesEqual, toHexString, type BundleHeader, type BundleResult } from '../../common/bundle/bundle-types.js';
import type { InstalledBundle } from './manifest.js';

/** A kiosk clock a little behind the publisher's still accepts a fresh bundle. */
export const ISSUED_AT_SKEW_MS = 5 * 60_000;

export function checkTimes(header: BundleHeader, nowMs: number): BundleResult<void> {
  if (nowMs >= header.expiresAt) {
    return bundleFail('expired', `${header.type} #${header.sequence} expired at ${new Date(header.expiresAt).toISOString()}`);
  }
  if (header.issuedAt > nowMs + ISSUED_AT_SKEW_MS) {
    return bundleFail('not_yet_valid', `${header.type} #${header.sequence} is issued at ${new Date(header.issuedAt).toISOString()}`);
  }
  return bundleOk(undefined);
}

/**
 * Sequence numbers only grow (no rollback, no replay). A bundle that directly follows the head
 * must name the head's hash (no fork); one further ahead may replace a whole-state stream (a
 * newer snapshot, key list, signer list...). A delta applies only to the exact state it was made
 * from: its previous hash must be the head's.
 */
export function checkSequence(header: BundleHeader, head: InstalledBundle | null): BundleResult<void> {
  const name = `${header.type} #${header.sequence}`;
  if (head !== null && header.sequence <= head.sequence) {
    return bundleFail('rollback', `${name} is not newer than the installed ${head.type} #${head.sequence}`);
  }
  const follows = header.previousHash !== null && head !== null && bytesEqual(header.previousHash, head.hash);
  if (header.type === 'status-delta') {
    if (head === null) return bundleFail('chain_broken', `${name} has no status snapshot to apply to`);
    if (!follows) {
      return bundleFail(
        'chain_broken',
        `${name} applies to ${hashName(header.previousHash)}, the installed status is ${head.type} #${head.sequence} (${hashName(head.hash)})`,
      );
    }
    return bundleOk(undefined);
  }
  if (head !== null && header.sequence === head.sequence + 1 && !follows) {
    return bundleFail('chain_broken', `${name} follows ${hashName(header.previousHash)}, not the installed #${head.sequence}`);
  }
  return bundleOk(undefined);
}

function hashName(hash: Uint8Array | null): string {
  return hash === null ? 'nothing' : `bundle ${toHexString(hash).slice(0, 16)}`;
}
