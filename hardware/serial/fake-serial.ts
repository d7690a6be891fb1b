// A fake serial scanner or document reader that speaks its framing (CR/LF, STX/ETX, 3M and
// Access-IS MRZ frames), delivers bytes in whatever chunks a test asks for, and answers its
// trigger command. Used by tests and the demo instead of serialport.
import { FakeChannel } from '../fakes/fake-channel.js';
import { HardwareError } from '../hardware-error.js';
import type { DeviceChannel, SerialDriver, SerialOpenOptions, SerialPortInfo } from '../types.js';
import { encodeSerialFrame, type SerialFraming } from './serial-framer.js';

export class FakeSerialScanner {
  channel: FakeChannel | null = null;
  readonly openedWith: SerialOpenOptions[] = [];
  /** Written by the kiosk (trigger commands). */
  readonly received: Uint8Array[] = [];
  /** What the device does with a command from the kiosk. */
  answer: ((command: Uint8Array, scanner: FakeSerialScanner) => void) | null = null;

  constructor(
    readonly info: SerialPortInfo,
    readonly framing: Exclude<SerialFraming, 'auto'> = 'crlf',
  ) {}

  /** Sends bytes in one chunk, or split at the given chunk sizes; false when nobody has the port open. */
  send(bytes: Uint8Array, chunkSizes: readonly number[] = []): boolean {
    const channel = this.channel;
    if (channel === null || channel.isClosed) return false;
    let offset = 0;
    for (const size of chunkSizes) {
      if (offset >= bytes.length) break;
      if (!channel.deliver(bytes.subarray(offset, offset + size))) return false;
      offset += size;
    }
    return offset >= bytes.length || channel.deliver(bytes.subarray(offset));
  }

  /** One scan in the device's framing. */
  scan(text: string, chunkSizes: readonly number[] = []): boolean {
    return this.send(encodeSerialFrame(this.framing, text), chunkSizes);
  }
}

export function fakeSerialInfo(overrides: Partial<SerialPortInfo> & { path: string }): SerialPortInfo {
  return { vendorId: null, productId: null, manufacturer: 'Fake', serialNumber: null, ...overrides };
}

/** serialport's stand-in: ports appear and disappear as a test plugs and unplugs them. */
export class FakeSerialDriver implements SerialDriver {
  private readonly scanners = new Map<string, FakeSerialScanner>();
  /** Ports that exist but are not listed (ptys, or a reader configured by path). */
  readonly unlisted = new Set<string>();
  readonly openFailures = new Map<string, HardwareError>();
  listFailure: HardwareError | null = null;

  plug(scanner: FakeSerialScanner, options: { listed?: boolean } = {}): FakeSerialScanner {
    this.scanners.set(scanner.info.path, scanner);
    if (options.listed === false) this.unlisted.add(scanner.info.path);
    return scanner;
  }

  unplug(path: string): void {
    const scanner = this.scanners.get(path);
    this.scanners.delete(path);
    scanner?.channel?.unplug();
  }

  async list(): Promise<SerialPortInfo[]> {
    if (this.listFailure !== null) throw this.listFailure;
    return [...this.scanners.values()].filter((scanner) => !this.unlisted.has(scanner.info.path)).map((scanner) => ({ ...scanner.info }));
  }

  async open(path: string, options: SerialOpenOptions): Promise<DeviceChannel> {
    const failure = this.openFailures.get(path);
    if (failure !== undefined) throw failure;
    const scanner = this.scanners.get(path);
    if (scanner === undefined) throw new HardwareError('device_not_found', `No device answers at ${path}.`);
    scanner.openedWith.push(options);
    const channel = new FakeChannel(path);
    channel.onWrite = (bytes) => {
      scanner.received.push(Uint8Array.from(bytes));
      scanner.answer?.(bytes, scanner);
    };
    scanner.channel = channel;
    return channel;
  }
}
