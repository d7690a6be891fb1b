// The one logger (pino). Library code asks for a child with its module name; nothing else
// writes to the console. Logs go to stderr so that CLI output on stdout stays machine-readable.
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

const root: PinoLogger = pino(
  { level: process.env['PCCOVID_LOG_LEVEL'] ?? 'warn', base: undefined },
  pino.destination(2),
);

export function moduleLogger(module: string): Logger {
  return root.child({ module });
}
