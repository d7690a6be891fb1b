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

export interface Pipeline {
  check(scan: ScanEvent): Verdict;
}

export function createPipeline(state: PipelineState): Pipeline {
  function run(scan: ScanEvent, nowMs: number): Verdict {
    const decoded = decodeScan(scan, state.decoders);
    if (!decoded.ok) return unreadableVerdict(decoded.reason, nowMs);
    const credential = decoded.value;
    const verified = verifyCredential(credential, state.trust, nowMs);
    if (!verified.ok) {
      const signatureHeld = verified.reason.code === 'expired' || verified.reason.code === 'not_yet_valid';
      return rejectedVerdict(credential, verified.reason, signatureHeld, nowMs);
    }
    const status = resolveStatus(withAliases(verified.value, state.aliases), state.status, nowMs);
    return decidedVerdict(credential, status, applyPolicy(status, state.policy), nowMs);
  }

  return {
    check(scan) {
      const nowMs = state.now();
      try {
        return run(scan, nowMs);
      } catch (error) {
        // A bug, not bad input: the person is sent to staff and the log keeps the stack.
        state.logger.error({ err: error, source: scan.source }, 'pipeline failed on a scan');
        return { ...unreadableVerdict({ code: 'internal_error' }, nowMs), outcome: 'review', readable: true };
      }
    },
  };
}
