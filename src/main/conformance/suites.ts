// Conformance suites, by name: `pccovid-kiosk conformance <suite> <dir>`. Each runs every test
// file of its layout found under <dir>, prints one line per failure, then `N passed, N failed`,
// and returns the exit code (0 only when none failed).
import type { CliIo } from '../cli/output.js';
import { runCertLogicConformance } from './certlogic.js';
import { runDccConformance } from './dcc.js';
import { runRulesConformance } from './rules.js';

export type ConformanceSuite = (dir: string, io: CliIo) => Promise<number>;

export const CONFORMANCE_SUITES: Record<string, ConformanceSuite> = {
  certlogic: runCertLogicConformance,
  dcc: runDccConformance,
  rules: runRulesConformance,
};
