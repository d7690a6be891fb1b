// Policies are data (DESIGN.md, "policy" stage): what each health status means at this door.
// Later issues grow this into CertLogic rules shipped as signed bundles.
import type { HealthStatus } from './credential.js';
import type { Outcome } from './verdict.js';

export interface StatusPolicy {
  kind: 'status';
  id: string;
  outcomes: Record<HealthStatus, Outcome>;
}

export type Policy = StatusPolicy;

/** Venue default: green enters, red stays out, anything uncertain goes to staff. */
export const DEFAULT_VENUE_POLICY: StatusPolicy = {
  kind: 'status',
  id: 'venue-status-v1',
  outcomes: { green: 'admit', yellow: 'review', red: 'deny', unknown: 'review' },
};
