// npm run sim -- serial: a serial scanner without hardware. socat makes a pty pair; this plays
// the scanner on one end and feeds the sample passes of the kiosk's own data directory (so they
// verify), and prints the other end for `pccovid-kiosk start --serial <path>`.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../data-dir.js';
import { openKioskCore } from '../core/open-kiosk-core.js';
import { samplePasses } from '../demo/sample-passes.js';
import { serialPortDriver } from '../../../hardware/serial/drivers/serialport-driver.js';
import type { SerialFraming } from '../../../hardware/serial/serial-framer.js';
import { startSerialSimulator, type SimulatorSample } from '../../../hardware/sim/serial-simulator.js';
import { startPtyPair } from '../../../hardware/sim/socat-pty.js';
import { HardwareError } from '../../../hardware/hardware-error.js';
import { EXIT, UsageError, type CliIo } from './output.js';

export const SIM_USAGE = `Usage: npm run sim -- serial [options]

Makes a serial scanner out of a socat pty pair and feeds it sample scans, so the whole kiosk
can be tried without hardware. Prints the port to start the kiosk with.

Options:
  --data-dir D      the kiosk's data directory (default: the kiosk's own), whose demo
                    authority signs the sample passes so that they verify
  --framing F       crlf (default), stx-etx, mrz-3m or mrz-access-is (the last two imitate
                    a 3M/Thales or an Access-IS document reader and send specimen MRZs)
  --interval S      seconds between samples (default 5; 0: only on Enter or on a trigger)
  --pty-dir DIR     where the pty links are made (default: ${join(tmpdir(), 'pccovid-sim')})
  --count N         stop after N samples (default: run until Ctrl+C)`;

type Framing = Exclude<SerialFraming, 'auto'>;
const FRAMINGS: readonly Framing[] = ['crlf', 'stx-etx', 'mrz-3m', 'mrz-access-is'];
const LAST_FRAME_GRACE_MS = 300;

/** ICAO 9303 specimen documents (Utopia): what a document reader sends for a passport and an ID card. */
export const SPECIMEN_MRZ: readonly SimulatorSample[] = [
  {
    id: 'specimen-passport',
    title: 'ICAO specimen passport (TD3)',
    expected: 'identity document: status from the status cache',
    text: 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
  },
  {
    id: 'specimen-id-card',
    title: 'ICAO specimen identity card (TD1)',
    expected: 'identity document: status from the status cache',
    text: 'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<',
  },
];

export interface SimOptions {
  dataDir: string;
  framing: Framing;
  intervalMs: number;
  ptyDir: string;
  count: number | null;
}

export function parseSimArgs(argv: readonly string[]): SimOptions {
  const [device, ...rest] = argv;
  if (device !== 'serial') throw new UsageError(device === undefined ? 'say which device to simulate: serial' : `no simulator for "${device}"; there is: serial`);
  const { values } = parseArgs({
    args: rest,
    options: {
      'data-dir': { type: 'string' },
      framing: { type: 'string' },
      interval: { type: 'string' },
      'pty-dir': { type: 'string' },
      count: { type: 'string' },
    },
    strict: true,
  });
  const framing = (values.framing ?? 'crlf') as Framing;
  if (!FRAMINGS.includes(framing)) throw new UsageError(`--framing must be one of ${FRAMINGS.join(', ')}; got "${values.framing ?? ''}"`);
  const interval = Number(values.interval ?? '5');
  if (!Number.isFinite(interval) || interval < 0) throw new UsageError(`--interval must be a number of seconds (0 or more); got "${values.interval ?? ''}"`);
  const count = values.count === undefined ? null : Number(values.count);
  if (count !== null && (!Number.isInteger(count) || count < 1)) throw new UsageError(`--count must be a whole number of samples; got "${values.count ?? ''}"`);
  return {
    dataDir: resolveDataDir(values['data-dir']),
    framing,
    intervalMs: Math.round(interval * 1000),
    ptyDir: values['pty-dir'] ?? join(tmpdir(), 'pccovid-sim'),
    count,
  };
}

/** The samples to send: the kiosk's sample passes, or specimen MRZs for a document reader. */
function samplesFor(options: SimOptions): SimulatorSample[] {
  if (options.framing === 'mrz-3m' || options.framing === 'mrz-access-is') return [...SPECIMEN_MRZ];
  const kiosk = openKioskCore({ dataDir: options.dataDir });
  try {
    return samplePasses(kiosk.demoAuthority, Date.now()).map((sample) => ({ ...sample, expected: String(sample.expected) }));
  } finally {
    kiosk.close();
  }
}

function waitForSignal(): { promise: Promise<string>; dispose(): void } {
  let dispose = (): void => undefined;
  const promise = new Promise<string>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => resolve(signal);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    dispose = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
  });
  return { promise, dispose };
}

export async function runSim(options: SimOptions, io: CliIo): Promise<number> {
  const samples = samplesFor(options);
  mkdirSync(options.ptyDir, { recursive: true, mode: 0o700 });
  const devicePath = join(options.ptyDir, 'scanner-end');
  const kioskPath = join(options.ptyDir, 'kiosk-end');
  const pair = await startPtyPair(devicePath, kioskPath);
  let sent = 0;
  let finish: (reason: string) => void = () => undefined;
  const finished = new Promise<string>((resolve) => (finish = resolve));

  const simulator = await startSerialSimulator({
    driver: serialPortDriver,
    devicePath,
    framing: options.framing,
    samples,
    onSent(sample, bytes, cause) {
      sent += 1;
      io.out(`→ ${sample.id} (${bytes.length} bytes, ${cause}): ${sample.title}; expect ${sample.expected}`);
      if (options.count !== null && sent >= options.count) finish('count');
    },
  }).catch(async (error: unknown) => {
    await pair.stop();
    throw error;
  });

  const dataFlag = `--data-dir ${JSON.stringify(options.dataDir)}`;
  io.out(`Simulated serial ${options.framing} scanner ready (socat pid ${pair.pid}).`);
  io.out(`The kiosk's end: ${kioskPath}`);
  io.out('Start the kiosk with it in another terminal:');
  io.out(`  npx pccovid-kiosk start --serial ${kioskPath} ${dataFlag}`);
  io.out(`  (or: PCCOVID_SERIAL=${kioskPath} PCCOVID_DATA_DIR=${JSON.stringify(options.dataDir)} npm start)`);
  io.out(
    `${options.intervalMs > 0 ? `A sample every ${options.intervalMs / 1000} s; ` : ''}Enter sends one now; the kiosk's trigger (SYN T CR) too. Ctrl+C unplugs the scanner.`,
  );

  const timer = options.intervalMs > 0 ? setInterval(() => void simulator.sendNext('timer').catch(() => undefined), options.intervalMs) : null;
  const lines = process.stdin.isTTY ? createInterface({ input: process.stdin }) : null;
  lines?.on('line', () => void simulator.sendNext('request').catch(() => undefined));
  const signals = waitForSignal();
  const reason = await Promise.race([finished, signals.promise]);
  signals.dispose();
  if (timer !== null) clearInterval(timer);
  lines?.close();
  // socat forwards the last frame on its own schedule: let it pass before pulling the plug.
  if (reason === 'count') await new Promise((resolve) => setTimeout(resolve, LAST_FRAME_GRACE_MS));
  await simulator.stop();
  await pair.stop();
  io.err(`Simulator stopped (${reason}); the kiosk now shows the scanner as missing.`);
  return 0;
}

export async function runSimCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await runSim(parseSimArgs(argv), io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS'))) {
      io.err(`sim: ${error.message}\n\n${SIM_USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof HardwareError) {
      io.err(`sim: ${error.message}`);
      return EXIT.kioskError;
    }
    io.err(`sim: the simulator could not run: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.kioskError;
  }
}
