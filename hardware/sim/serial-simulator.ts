// A serial scanner without hardware: it plays the device end of a socat pty pair, sends sample
// scans in the framing of the scanner or document reader it imitates, and answers the
// Honeywell trigger command (SYN T CR) with the next sample, as a scanner in manual-trigger
// mode would. The kiosk opens the other end exactly as it opens a USB CDC-ACM scanner.
import { fromHex } from '../bytes.js';
import { encodeSerialFrame, type SerialFraming } from '../serial/serial-framer.js';
import type { DeviceChannel, SerialDriver } from '../types.js';

export interface SimulatorSample {
  id: string;
  title: string;
  /** What the kiosk should answer, for the person watching. */
  expected: string;
  text: string;
}

export interface SerialSimulatorOptions {
  driver: SerialDriver;
  /** The device end of the pty pair. */
  devicePath: string;
  framing: Exclude<SerialFraming, 'auto'>;
  samples: readonly SimulatorSample[];
  onSent?(sample: SimulatorSample, bytes: Uint8Array, cause: 'timer' | 'trigger' | 'request'): void;
}

export interface SerialSimulator {
  /** Sends the next sample (they cycle). */
  sendNext(cause?: 'timer' | 'trigger' | 'request'): Promise<SimulatorSample>;
  stop(): Promise<void>;
}

export const SIMULATOR_TRIGGER = fromHex('16 54 0D');

function endsWith(haystack: readonly number[], needle: Uint8Array): boolean {
  if (haystack.length < needle.length) return false;
  return needle.every((byte, index) => haystack[haystack.length - needle.length + index] === byte);
}

export async function startSerialSimulator(options: SerialSimulatorOptions): Promise<SerialSimulator> {
  if (options.samples.length === 0) throw new RangeError('serial simulator: no samples to send');
  const channel: DeviceChannel = await options.driver.open(options.devicePath, { baudRate: 9600 });
  let next = 0;
  let closed = false;
  let received: number[] = [];

  async function sendNext(cause: 'timer' | 'trigger' | 'request' = 'request'): Promise<SimulatorSample> {
    const sample = options.samples[next % options.samples.length] ?? options.samples[0];
    if (sample === undefined) throw new RangeError('serial simulator: no samples to send');
    next += 1;
    const bytes = encodeSerialFrame(options.framing, sample.text);
    await channel.write(bytes);
    options.onSent?.(sample, bytes, cause);
    return sample;
  }

  channel.onData((chunk) => {
    // Commands from the kiosk; only the last few bytes matter for spotting a trigger.
    received = [...received, ...chunk].slice(-16);
    if (endsWith(received, SIMULATOR_TRIGGER)) {
      received = [];
      void sendNext('trigger').catch(() => undefined);
    }
  });
  channel.onClose(() => {
    closed = true;
  });

  return {
    sendNext,
    async stop() {
      if (!closed) await channel.close();
    },
  };
}
