// decode -> verify -> status -> policy -> verdict, one direction. Bad input never throws out
// of here: it becomes a verdict with a reason.
import type { Credential, ScanEvent } from '../../common/types/credential.js';
import { doorRulesOf, type Policy } from '../../common/types/policy.js';
import type { Verdict } from '../../common/types/verdict.js';
import type { Logger } from '../log.js';
import { withAliases, type AliasLookup } from './alias.js';
import { decodeScan, type CredentialDecoder } from './decode.js';
import { applyDoorRules, checkDoor, clockReasons, NO_DOOR_CHECK, type DoorCheck } from './door-rules.js';
import type { LaneHalf } from './lane.js';
import { decidePolicy } from './policy.js';
import { resolveStatusWithEntry, type StatusLookup } from './status.js';
import { decidedVerdict, rejectedVerdict, unreadableVerdict } from './verdict.js';
import { verifyCredential, type TrustStore } from './verify.js';

export interface PipelineState {
  decoders: readonly CredentialDecoder[];
  trust: TrustStore;
  status: StatusLookup;
  /** Links an old app's or a document's id to the unified subject; consulted before status. */
  aliases: AliasLookup;
  /** Read once per scan, so a getter may follow the installed policy bundle. */
  policy: Policy;
  /** Wall clock in milliseconds; injected so every decision is testable at any date. */
  now: () => number;
  logger: Logger;
}

/** A verdict and the canonical subject ids behind it (empty unless a signature held), for the sealed log. */
export interface CheckedScan {
  verdict: Verdict;
  subjectIds: readonly string[];
  /** The policy the scan was decided by, and the door's state at that moment (for the lane session). */
  policy: Policy;
  door: DoorCheck;
  /** In a border lane, the half this scan is (travel document or health certificate). */
  laneHalf?: LaneHalf;
  /** The credential read, when its signature held (or it carries none): for the guard screen. */
  credential?: Credential;
}

export interface Pipeline {
  check(scan: ScanEvent): Verdict;
  checkWithSubject(scan: ScanEvent): CheckedScan;
}

export function createPipeline(state: PipelineState): Pipeline {
  interface Seen {
    subjectIds: readonly string[];
    laneHalf?: LaneHalf;
    credential?: Credential;
  }

  function run(scan: ScanEvent, nowMs: number, policy: Policy, door: DoorCheck, seen: Seen): Verdict {
    const decoded = decodeScan(scan, state.decoders);
    if (!decoded.ok) return unreadableVerdict(decoded.reason, nowMs);
    const credential = decoded.value;
    const verified = verifyCredential(credential, state.trust, nowMs);
    if (!verified.ok) {
      const signatureHeld = verified.reason.code === 'expired' || verified.reason.code === 'not_yet_valid';
      if (signatureHeld) {
        seen.subjectIds = credential.subjectIds;
        seen.credential = credential;
      }
      const rejected = rejectedVerdict(credential, verified.reason, signatureHeld, nowMs);
      // A pass refused as expired or not yet valid may be the clock's fault: staff are told.
      const clock = clockReasons(door);
      return clock.length === 0 ? rejected : { ...rejected, reasons: [...rejected.reasons, ...clock] };
    }
    seen.subjectIds = credential.subjectIds;
    seen.credential = credential;
    const aliased = withAliases(verified.value, state.aliases);
    const { status, entry } = resolveStatusWithEntry(aliased, state.status, nowMs);
    const decided = decidePolicy({ verified: aliased, status, entry, nowMs }, policy);
    if (decided.laneHalf !== undefined) seen.laneHalf = decided.laneHalf;
    return decidedVerdict(credential, status, applyDoorRules(decided.decision, door), nowMs);
  }

  function checkWithSubject(scan: ScanEvent): CheckedScan {
    const nowMs = state.now();
    const policy = state.policy;
    let door = NO_DOOR_CHECK;
    const seen: Seen = { subjectIds: [] };
    try {
      door = checkDoor(state.status.freshness, doorRulesOf(policy), nowMs);
      const verdict = run(scan, nowMs, policy, door, seen);
      return {
        verdict,
        subjectIds: seen.subjectIds,
        policy,
        door,
        ...(seen.laneHalf === undefined ? {} : { laneHalf: seen.laneHalf }),
        ...(seen.credential === undefined ? {} : { credential: seen.credential }),
      };
    } catch (error) {
      // A bug, not bad input: the person is sent to staff and the log keeps the stack.
      state.logger.error({ err: error, source: scan.source }, 'pipeline failed on a scan');
      const verdict: Verdict = { ...unreadableVerdict({ code: 'internal_error' }, nowMs), outcome: 'review', readable: true };
      return { verdict, subjectIds: seen.subjectIds, policy, door };
    }
  }

  return {
    check: (scan) => checkWithSubject(scan).verdict,
    checkWithSubject,
  };
}
