// A HID POS scanner, opened: input reports in, whole scans out. Knows nothing of node-hid (the
// driver or a fake hands it a HidChannel).
import { HardwareError } from '../hardware-error.js';
import type { HidChannel, RawScan } from '../types.js';
import { createHidPosAssembler, type HidPosAssemblerOptions } from './hid-pos-assembler.js';
import type { HidPosLayout } from './hid-pos-report.js';

export interface HidPosReaderOptions extends HidPosAssemblerOptions {
  layout: HidPosLayout;
  /** Feature reports sent once opened (some firmware sends nothing until asked). */
  enableFeatureReports?: readonly Uint8Array[];
  now: () => number;
  onScan(scan: RawScan): void;
  onProblem(error: HardwareError): void;
  onClosed(error: HardwareError | null): void;
}

export interface HidPosReader {
  close(): Promise<void>;
}

export async function startHidPosReader(channel: HidChannel, options: HidPosReaderOptions): Promise<HidPosReader> {
  const assembler = createHidPosAssembler(options.layout, options);

  channel.onData((report) => {
    for (const event of assembler.push(report, options.now())) {
      if (event.kind === 'scan') options.onScan(event.scan);
      else options.onProblem(event.error);
    }
  });

  channel.onClose((error) => {
    const dropped = assembler.reset();
    if (error !== null && dropped > 0) {
      options.onProblem(
        new HardwareError('scan_incomplete', `The scanner went away in the middle of a scan (${dropped} bytes dropped): the person must scan again once it is back.`),
      );
    }
    options.onClosed(error);
  });

  for (const report of options.enableFeatureReports ?? []) {
    try {
      await channel.sendFeatureReport(report);
    } catch (error) {
      // Not fatal: most scanners send their data without being asked.
      options.onProblem(
        new HardwareError('write_failed', 'The scanner refused its start-up feature report; it may still work. If no scan arrives, set it to HID POS mode again.', {
          cause: error,
        }),
      );
    }
  }
  return { close: () => channel.close() };
}
