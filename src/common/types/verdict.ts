// The pipeline's last word on one scan: what the screen shows and what the log records.
import type { CredentialKind, HealthStatus } from './credential.js';
import type { Reason } from './reasons.js';

export type Outcome = 'admit' | 'deny' | 'review';
export const OUTCOMES: readonly Outcome[] = ['admit', 'deny', 'review'];

export interface HolderDisplay {
  /** Initials and masked letters only: enough for staff to match a face, not to identify. */
  maskedName: string;
  /** Null when the credential carries no date of birth. */
  birthYear: string | null;
}

export interface Verdict {
  outcome: Outcome;
  /** False when no decoder could read the scan (the CLI exits 3 for these). */
  readable: boolean;
  reasons: Reason[];
  credentialKind: CredentialKind | null;
  holder: HolderDisplay | null;
  status: HealthStatus | null;
  /** Wall-clock milliseconds of the decision. */
  decidedAt: number;
}
