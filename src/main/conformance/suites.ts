// Conformance suites, by name: `pccovid-kiosk conformance <suite> <dir>`. Each runs every test
// file of its layout found under <dir>, prints one line per failure, then `N passed, N failed`,
// and returns the exit code (0 only when none failed).
import type { CliIo } from '../cli/output.js';
import { runCertLogicConformance } from './certlogic.js';
import { runDccConformance, type DccConformanceOptions } from './dcc.js';
import { runRulesConformance } from './rules.js';

export type ConformanceOptions = DccConformanceOptions;

export interface ConformanceSuite {
  run(dir: string, io: CliIo, options: ConformanceOptions): Promise<number>;
  /** Whether the suite has a known-issue list (--strict, --known-issues). */
  readonly knownIssues: boolean;
}

export const CONFORMANCE_SUITES: Record<string, ConformanceSuite> = {
  certlogic: { run: runCertLogicConformance, knownIssues: false },
  dcc: { run: runDccConformance, knownIssues: true },
  rules: { run: runRulesConformance, knownIssues: false },
};
