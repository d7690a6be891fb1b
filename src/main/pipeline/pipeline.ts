// decode -> verify -> status -> policy -> verdict, one direction. Bad input never throws out
// of here: it becomes a verdict with a reason.
import type { ScanEvent } from '../../common/types/credential.js';
import type { Policy } from '../../common/types/policy.js';
import type { Verdict } from '../../common/types/verdict.js';
import type { Logger } from '../log.js';
import { withAliases, type AliasLookup } from './alias.js';
import { decodeScan, type CredentialDecoder } from './decode.js';
import { applyPolicy } from './policy.js';
import { resolveStatus, type StatusLookup } from './status.js';
import { decidedVerdict, rejectedVerdict, unreadableVerdict } from './verdict.js';
import { verifyCredential, type TrustStore } from './verify.js';

export interface PipelineState {
  decoders: readonly CredentialDecoder[];
  trust: TrustStore;
  status: StatusLookup;
  /** Links an old app's or a document's id to the unified subject; consulted before status. */
  aliases: AliasLookup;
  policy: Policy;
  /** Wall clock in milliseconds; injected so every decision is testable at any date. */
  now: () => number;
  logger: Logger;
}

/** A verdict and the canonical subject ids behind it (empty unless a signature held), for the sealed log. */
export interface CheckedScan {
  verdict: Verdict;
  subjectIds: readonly string[];
}

export interface Pipeline {
  check(scan: ScanEvent): Verdict;
  checkWithSubject(scan: ScanEvent): CheckedScan;
}

export function createPipeline(state: PipelineState): Pipeline {
  function run(scan: ScanEvent, nowMs: number, seen: { subjectIds: readonly string[] }): Verdict {
    const decoded = decodeScan(scan, state.decoders);
    if (!decoded.ok) return unreadableVerdict(decoded.reason, nowMs);
    const credential = decoded.value;
    const verified = verifyCredential(credential, state.trust, nowMs);
    if (!verified.ok) {
      const signatureHeld = verified.reason.code === 'expired' || verified.reason.code === 'not_yet_valid';
      if (signatureHeld) seen.subjectIds = credential.subjectIds;
      return rejectedVerdict(credential, verified.reason, signatureHeld, nowMs);
    }
    seen.subjectIds = credential.subjectIds;
    const status = resolveStatus(withAliases(verified.value, state.aliases), state.status, nowMs);
    return decidedVerdict(credential, status, applyPolicy(status, state.policy), nowMs);
  }

  function checkWithSubject(scan: ScanEvent): CheckedScan {
    const nowMs = state.now();
    const seen: { subjectIds: readonly string[] } = { subjectIds: [] };
    try {
      return { verdict: run(scan, nowMs, seen), subjectIds: seen.subjectIds };
    } catch (error) {
      // A bug, not bad input: the person is sent to staff and the log keeps the stack.
      state.logger.error({ err: error, source: scan.source }, 'pipeline failed on a scan');
      const verdict: Verdict = { ...unreadableVerdict({ code: 'internal_error' }, nowMs), outcome: 'review', readable: true };
      return { verdict, subjectIds: seen.subjectIds };
    }
  }

  return {
    check: (scan) => checkWithSubject(scan).verdict,
    checkWithSubject,
  };
}
