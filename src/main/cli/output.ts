// Where the CLI writes: stdout for results, stderr for people. Tests pass their own streams.
import type { CliIo } from '../../common/cli/cli-io.js';

export type { CliIo };

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Exit codes shared by the commands (sysexits where it has one). */
export const EXIT = {
  admit: 0,
  deny: 1,
  review: 2,
  unreadable: 3,
  kioskError: 4,
  usage: 64,
} as const;

export class UsageError extends Error {
  override name = 'UsageError';
}
