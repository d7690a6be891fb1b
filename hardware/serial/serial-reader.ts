// A serial scanner or document reader, opened: bytes in, whole scans out. Knows nothing of the
// port itself (the driver or a fake hands it a DeviceChannel).
import { HardwareError } from '../hardware-error.js';
import type { DeviceChannel, RawScan } from '../types.js';
import { createSerialFramer, type SerialFraming } from './serial-framer.js';
import { rawScanFromFrame } from './serial-scan.js';

export interface SerialReaderOptions {
  framing: SerialFraming;
  /** Bytes that make the device read once (its "trigger" command), when it has one. */
  triggerOn?: Uint8Array | null;
  maxFrameBytes?: number;
  onScan(scan: RawScan): void;
  /** Damaged or malformed frames: reported, never submitted. */
  onProblem(error: HardwareError): void;
  /** The channel closed: error when the device went away, null when close() was called. */
  onClosed(error: HardwareError | null): void;
}

export interface SerialReader {
  /** Sends the trigger command; HardwareError('write_failed') when the device has none or refuses it. */
  trigger(): Promise<void>;
  close(): Promise<void>;
}

export function startSerialReader(channel: DeviceChannel, options: SerialReaderOptions): SerialReader {
  const framer = createSerialFramer(options.framing, options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes });

  channel.onData((chunk) => {
    for (const event of framer.push(chunk)) {
      if (event.kind === 'frame') options.onScan(rawScanFromFrame(event.frame, event.payload));
      else options.onProblem(event.error);
    }
  });

  channel.onClose((error) => {
    const dropped = framer.reset();
    if (error !== null && dropped > 0) {
      options.onProblem(
        new HardwareError('scan_incomplete', `The device went away in the middle of a scan (${dropped} bytes dropped): the person must scan again once it is back.`),
      );
    }
    options.onClosed(error);
  });

  return {
    async trigger() {
      const command = options.triggerOn ?? null;
      if (command === null) {
        throw new HardwareError('write_failed', 'This device has no trigger command in its profile: set it to presentation (auto-scan) mode.');
      }
      await channel.write(command);
    },
    close: () => channel.close(),
  };
}
