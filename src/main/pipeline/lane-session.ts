// Stateful, in main: one border lane, one traveller at a time. The guard scans the travel
// document and the health certificate in either order; the first half waits here (its verdict
// was "review: scan the other document") until the other half arrives within the policy's
// window, and the pure combination (lane.ts) decides the pair. A denied half waits for nothing
// and replaces nothing: the guard may scan another certificate for the document still waiting.
// A second document of the same kind replaces the waiting one (a rescan, or the next traveller).
import type { BorderLanePolicy } from '../../common/types/policy.js';
import type { LaneHalf, LaneRole } from './lane.js';

export interface WaitingHalf {
  half: LaneHalf;
  /** The check-in row of the first scan, and when it was made. */
  checkinId: string;
  at: number;
  policyId: string;
}

export class LaneSession {
  private pending: WaitingHalf | null = null;

  /** The waiting half this one completes, if any: the other role, same policy, within the window. */
  partnerOf(half: LaneHalf, policy: BorderLanePolicy, nowMs: number): WaitingHalf | null {
    const waiting = this.current(policy, nowMs);
    return waiting !== null && waiting.half.role !== half.role ? waiting : null;
  }

  /**
   * After the scan's row is written: a pair completed clears the lane; a usable half that
   * completed nothing waits for its pair; a denied half changes nothing.
   */
  settle(half: LaneHalf, paired: boolean, checkinId: string, policy: BorderLanePolicy, nowMs: number): void {
    if (paired) this.pending = null;
    else if (half.decision.outcome !== 'deny') this.pending = { half, checkinId, at: nowMs, policyId: policy.id };
  }

  /** A guard decided the waiting traveller (override): nothing waits any more. */
  release(checkinId: string): void {
    if (this.pending?.checkinId === checkinId) this.pending = null;
  }

  /** The role waiting for its pair, for staff screens; null when the lane is free. */
  waitingRole(policy: BorderLanePolicy, nowMs: number): LaneRole | null {
    return this.current(policy, nowMs)?.half.role ?? null;
  }

  private current(policy: BorderLanePolicy, nowMs: number): WaitingHalf | null {
    const waiting = this.pending;
    if (waiting === null) return null;
    const within = nowMs >= waiting.at && nowMs - waiting.at < policy.laneWindowSeconds * 1000;
    if (!within || waiting.policyId !== policy.id) {
      this.pending = null;
      return null;
    }
    return waiting;
  }
}
