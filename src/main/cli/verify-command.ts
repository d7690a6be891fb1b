// pccovid-kiosk verify: one payload through the pipeline, the verdict as JSON on stdout.
// Exits 0 admit, 1 deny, 2 review, 3 unreadable. It logs no check-in: it is a staff tool.
import { readFileSync } from 'node:fs';
import { reasonMessage } from '../../common/types/reasons.js';
import type { Verdict } from '../../common/types/verdict.js';
import { openKioskCore } from '../core/open-kiosk-core.js';
import { EXIT, UsageError, type CliIo } from './output.js';

/** "@path" reads the payload from a file; anything else is the payload itself. */
export function readPayloadArgument(argument: string): string {
  if (!argument.startsWith('@')) return argument;
  const path = argument.slice(1);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`cannot read the payload file ${path} (${code})`);
  }
}

export function verdictJson(verdict: Verdict): object {
  return {
    outcome: verdict.outcome,
    readable: verdict.readable,
    credentialKind: verdict.credentialKind,
    status: verdict.status,
    holder: verdict.holder,
    reasons: verdict.reasons.map((reason) => ({
      code: reason.code,
      message: reasonMessage(reason.code, 'en'),
      messageVi: reasonMessage(reason.code, 'vi'),
      ...(reason.detail === undefined ? {} : { detail: reason.detail }),
    })),
    decidedAt: new Date(verdict.decidedAt).toISOString(),
  };
}

export function exitCodeFor(verdict: Verdict): number {
  if (!verdict.readable) return EXIT.unreadable;
  return EXIT[verdict.outcome];
}

export function runVerify(dataDir: string, payloadArgument: string, io: CliIo): number {
  const payload = readPayloadArgument(payloadArgument);
  const kiosk = openKioskCore({ dataDir });
  try {
    const verdict = kiosk.checkOnly({ source: 'cli', symbology: 'unknown', text: payload, receivedAt: Date.now() });
    io.out(JSON.stringify(verdictJson(verdict), null, 2));
    return exitCodeFor(verdict);
  } finally {
    kiosk.close();
  }
}
