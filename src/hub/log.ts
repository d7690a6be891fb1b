// The hub's one logger (pino, JSON to stderr). Library code asks for a child with its module
// name; nothing else writes to the console.
import { pino, type Logger as PinoLogger } from 'pino';

export type HubLogger = PinoLogger;

const root: PinoLogger = pino({ level: process.env['PCCOVID_LOG_LEVEL'] ?? 'warn', base: undefined }, pino.destination(2));

export function hubLogger(module: string): HubLogger {
  return root.child({ service: 'hub', module });
}
