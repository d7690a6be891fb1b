// Shared by the pipeline's tests and the benchmark: an authority, a trusted-key store and a
// clock fixed in time, so every decision is reproducible.
import type { ScanEvent, ScanSource } from '../../common/types/credential.js';
import { createEphemeralAuthority, issueDemoPass, issuerKeyOf, type DemoAuthority, type DemoPassOptions } from '../demo/demo-authority.js';
import { MapTrustStore } from '../trust/trust-store.js';

export const FIXED_NOW_MS = Date.UTC(2026, 10, 27, 7, 0, 0);

export interface PipelineFixture {
  authority: DemoAuthority;
  trust: MapTrustStore;
  pass(options?: Partial<DemoPassOptions>): string;
}

export function pipelineFixture(): PipelineFixture {
  const authority = createEphemeralAuthority();
  return {
    authority,
    trust: new MapTrustStore([issuerKeyOf(authority)]),
    pass: (options = {}) => issueDemoPass(authority, { nowMs: FIXED_NOW_MS, ...options }),
  };
}

export function scanOf(text: string, source: ScanSource = 'keyboard-wedge'): ScanEvent {
  return { source, symbology: 'unknown', text, receivedAt: FIXED_NOW_MS };
}
