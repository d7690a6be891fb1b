// A pair of pseudo-terminals joined by socat: one end plays the scanner, the other is the port
// the kiosk opens, through the same serialport binding as a USB CDC-ACM scanner. Used by the
// serial integration tests and by the simulator (npm run sim -- serial). Stopping socat is
// unplugging the scanner; starting it again on the same paths is plugging it back.
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { HardwareError } from '../hardware-error.js';

export interface PtyPair {
  /** The scanner's end: what is written here arrives at kioskPath. */
  readonly devicePath: string;
  /** The kiosk's end (a stable symlink to /dev/pts/N). */
  readonly kioskPath: string;
  readonly pid: number;
  /** Whether socat is still running. */
  readonly running: boolean;
  /** Ends socat (SIGTERM, or SIGKILL for an abrupt "unplug") and waits for it to exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export interface PtyPairOptions {
  socat?: string;
  /** How long socat may take to set up its ptys. */
  readyTimeoutMs?: number;
}

export const SOCAT_MISSING_MESSAGE =
  'socat is not installed, and the serial scanner tests and simulator need it: install it ("sudo apt-get install socat" on Debian and Ubuntu, "brew install socat" on macOS), then run again.';

const READY_LINE = 'starting data transfer loop';
const STOP_TIMEOUT_MS = 5000;

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts socat with two raw ptys linked at devicePath and kioskPath (stale links are replaced). */
export async function startPtyPair(devicePath: string, kioskPath: string, options: PtyPairOptions = {}): Promise<PtyPair> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  // A socat killed with SIGKILL leaves its links behind; socat refuses to overwrite them.
  rmSync(devicePath, { force: true });
  rmSync(kioskPath, { force: true });
  const child = spawn(
    options.socat ?? 'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${kioskPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stderr: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new HardwareError('tool_missing', `socat did not set up its ptys within ${readyTimeoutMs} ms:\n${stderr.join('')}`)), readyTimeoutMs);
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        stderr.push(chunk);
        if (stderr.join('').includes(READY_LINE)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(error.code === 'ENOENT' ? new HardwareError('tool_missing', SOCAT_MISSING_MESSAGE, { cause: error }) : error);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new HardwareError('tool_missing', `socat exited (${String(code)}) before its ptys were ready:\n${stderr.join('')}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  // Keep draining socat's log so it never blocks on a full pipe.
  child.stderr?.resume();
  const pid = child.pid ?? -1;
  return {
    devicePath,
    kioskPath,
    pid,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_TIMEOUT_MS);
      }
    },
  };
}
