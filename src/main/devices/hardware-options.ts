// Which serial ports the kiosk opens by path: `--serial <path>[@baud]` (repeatable) on the
// command line, or PCCOVID_SERIAL (comma-separated). Scanners with a known USB vendor id are
// found without it; this is for the simulator's pty and for readers behind USB-serial cables.
import type { Logger } from '../log.js';
import type { ConfiguredSerialPort } from './device-manager.js';

export const SERIAL_ENV = 'PCCOVID_SERIAL';
export const DEFAULT_SERIAL_BAUD = 9600;

export class SerialSpecError extends Error {
  override name = 'SerialSpecError';
}

/** "/dev/ttyUSB0" or "/dev/ttyUSB0@115200". */
export function parseSerialSpec(spec: string): ConfiguredSerialPort {
  const trimmed = spec.trim();
  const at = trimmed.lastIndexOf('@');
  const path = at > 0 ? trimmed.slice(0, at) : trimmed;
  const baudText = at > 0 ? trimmed.slice(at + 1) : '';
  if (path === '') throw new SerialSpecError(`--serial needs a device path such as /dev/ttyACM0; got "${spec}"`);
  const baudRate = baudText === '' ? DEFAULT_SERIAL_BAUD : Number(baudText);
  if (!Number.isInteger(baudRate) || baudRate < 50 || baudRate > 4_000_000) {
    throw new SerialSpecError(`--serial ${path}@<baud>: the baud rate must be a whole number such as 9600 or 115200; got "${baudText}"`);
  }
  return { path, baudRate, framing: 'auto' };
}

/** The ports of --serial flags, else of PCCOVID_SERIAL. */
export function serialPortsFrom(flags: readonly string[], env: NodeJS.ProcessEnv = process.env): ConfiguredSerialPort[] {
  const specs = flags.length > 0 ? flags : (env[SERIAL_ENV] ?? '').split(',').filter((spec) => spec.trim() !== '');
  return specs.map(parseSerialSpec);
}

/** --serial values in an argv that also holds Electron's and Chromium's own switches. */
export function serialFlagsInArgv(argv: readonly string[]): string[] {
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--serial') {
      const value = argv[i + 1];
      if (value !== undefined && !value.startsWith('--')) {
        flags.push(value);
        i += 1;
      }
    } else if (arg?.startsWith('--serial=') === true) {
      flags.push(arg.slice('--serial='.length));
    }
  }
  return flags;
}

/** Command-line flags that hand the same ports on to another process (the Electron shell). */
export function serialFlagsFor(ports: readonly ConfiguredSerialPort[]): string[] {
  return ports.flatMap((port) => ['--serial', port.baudRate === DEFAULT_SERIAL_BAUD ? port.path : `${port.path}@${port.baudRate}`]);
}

/**
 * For the Electron shell, which has no terminal to print usage to: a bad --serial or
 * PCCOVID_SERIAL is logged and ignored, so the kiosk still starts (keyboard-mode and USB
 * scanners keep working).
 */
export function serialPortsFromArgv(argv: readonly string[], env: NodeJS.ProcessEnv, logger: Logger): ConfiguredSerialPort[] {
  try {
    return serialPortsFrom(serialFlagsInArgv(argv), env);
  } catch (error) {
    logger.error({ err: error }, 'ignoring the serial ports given to the kiosk: fix --serial or PCCOVID_SERIAL and restart it');
    return [];
  }
}
