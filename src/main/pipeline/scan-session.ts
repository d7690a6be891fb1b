// The thin stateful wrapper in main around the pure pipeline: what a kiosk remembers between
// scans. The duplicate window (the same code again within the policy's window is the earlier
// check-in) and the border lane session (two documents, one traveller). Both change only when
// the scan's check-in row has been written (commit), so a failed write leaves them as they were.
// The clock, stale data and the policy stage stay pure, inside the pipeline.
import type { VerdictView } from '../../common/ipc/contract.js';
import { doorRulesOf, type Policy } from '../../common/types/policy.js';
import type { ScanEvent } from '../../common/types/credential.js';
import type { Outcome } from '../../common/types/verdict.js';
import { applyDoorRules, checkDoor, type DoorCheck } from './door-rules.js';
import { DuplicateWindow, type DuplicateWindowOptions, type RememberedCheckin } from './duplicate-window.js';
import { combineLaneHalves, type LaneRole } from './lane.js';
import { LaneSession } from './lane-session.js';
import { createPipeline, type CheckedScan, type Pipeline, type PipelineState } from './pipeline.js';

export type ScanDecision =
  /** Already checked in within the window: show this, write no row. */
  | { kind: 'repeat'; view: VerdictView }
  /** A new check-in: write its row, then commit with the row's id. */
  | { kind: 'new'; checked: CheckedScan; commit(checkinId: string): VerdictView };

export interface DoorState {
  nowMs: number;
  policy: Policy;
  door: DoorCheck;
  /** In a border lane: which document waits for its pair. */
  laneWaiting: LaneRole | null;
}

export interface ScanSession {
  /** The pure pipeline underneath (the CLI's verify runs it without any state). */
  readonly pipeline: Pipeline;
  decide(scan: ScanEvent): ScanDecision;
  /** A staff override was logged: repeats show its outcome, a lane waiting on that scan is released. */
  overridden(checkinId: string, outcome: Outcome): void;
  doorState(): DoorState;
}

export interface ScanSessionOptions {
  duplicates?: DuplicateWindowOptions;
}

function repeatView(earlier: RememberedCheckin, nowMs: number): VerdictView {
  const seconds = Math.max(0, Math.round((nowMs - earlier.at) / 1000));
  return {
    ...earlier.view,
    reasons: [{ code: 'already_checked_in', detail: `checked in ${seconds} s ago` }, ...earlier.view.reasons],
    decidedAt: nowMs,
  };
}

export function createScanSession(state: PipelineState, options: ScanSessionOptions = {}): ScanSession {
  const pipeline = createPipeline(state);
  const duplicates = new DuplicateWindow(options.duplicates);
  const lane = new LaneSession();

  function decide(scan: ScanEvent): ScanDecision {
    const windowMs = doorRulesOf(state.policy).duplicateWindowSeconds * 1000;
    let pseudonym: string | null = null;
    if (windowMs > 0) {
      pseudonym = duplicates.pseudonymOf(scan.text);
      const nowMs = state.now();
      const earlier = duplicates.find(pseudonym, nowMs, windowMs);
      if (earlier !== undefined) return { kind: 'repeat', view: repeatView(earlier, nowMs) };
    }

    const checked = pipeline.checkWithSubject(scan);
    const { policy, laneHalf } = checked;
    let verdict = checked.verdict;
    let paired = false;
    if (policy.kind === 'border-lane' && laneHalf !== undefined && laneHalf.decision.outcome !== 'deny') {
      const partner = lane.partnerOf(laneHalf, policy, verdict.decidedAt);
      if (partner !== null) {
        paired = true;
        const combined = applyDoorRules(combineLaneHalves(partner.half, laneHalf), checked.door);
        verdict = { ...verdict, outcome: combined.outcome, reasons: combined.reasons };
      }
    }
    return {
      kind: 'new',
      checked: { ...checked, verdict },
      commit(checkinId) {
        const view: VerdictView = { ...verdict, checkinId };
        // Only a scan that was read is a check-in to repeat; a damaged one may read next time.
        if (pseudonym !== null && verdict.readable) duplicates.remember(pseudonym, view, verdict.decidedAt, windowMs);
        if (policy.kind === 'border-lane' && laneHalf !== undefined) lane.settle(laneHalf, paired, checkinId, policy, verdict.decidedAt);
        return view;
      },
    };
  }

  return {
    pipeline,
    decide,
    overridden(checkinId, outcome) {
      duplicates.overridden(checkinId, outcome);
      lane.release(checkinId);
    },
    doorState() {
      const policy = state.policy;
      const nowMs = state.now();
      return {
        nowMs,
        policy,
        door: checkDoor(state.status.freshness, doorRulesOf(policy), nowMs),
        laneWaiting: policy.kind === 'border-lane' ? lane.waitingRole(policy, nowMs) : null,
      };
    },
  };
}
