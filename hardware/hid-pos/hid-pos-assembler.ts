// Joins the input reports of one HID POS scan. A scan longer than one report's data field (56
// bytes) comes as several reports, each but the last with its "more follows" bit set. The bytes
// are joined first and decoded as UTF-8 only at the end: a Vietnamese letter (two or three
// bytes) may straddle two reports, and decoding each report alone would break it.
import { concatBytes } from '../bytes.js';
import { HardwareError } from '../hardware-error.js';
import { rawScanFrom } from '../raw-scan.js';
import type { RawScan } from '../types.js';
import { parseHidPosReport, type HidPosLayout } from './hid-pos-report.js';

export const DEFAULT_MAX_SCAN_BYTES = 16 * 1024;
/** Reports of one scan follow each other within milliseconds; a longer silence means the rest was lost. */
export const DEFAULT_MAX_REPORT_GAP_MS = 1000;

export type AssemblerEvent = { kind: 'scan'; scan: RawScan } | { kind: 'problem'; error: HardwareError };

export interface HidPosAssembler {
  /** One input report as node-hid delivers it (report id first) and when it arrived. */
  push(report: Uint8Array, at: number): AssemblerEvent[];
  /** Drops a scan in progress; returns how many bytes it had. */
  reset(): number;
}

export interface HidPosAssemblerOptions {
  maxScanBytes?: number;
  maxReportGapMs?: number;
}

export function createHidPosAssembler(layout: HidPosLayout, options: HidPosAssemblerOptions = {}): HidPosAssembler {
  const maxScanBytes = options.maxScanBytes ?? DEFAULT_MAX_SCAN_BYTES;
  const maxReportGapMs = options.maxReportGapMs ?? DEFAULT_MAX_REPORT_GAP_MS;
  let parts: Uint8Array[] = [];
  let length = 0;
  let aim: string | null = null;
  let lastAt = 0;
  /** The scan grew past maxScanBytes: its remaining reports are skipped. */
  let discarding = false;

  function clear(): void {
    parts = [];
    length = 0;
    aim = null;
    discarding = false;
  }

  function push(report: Uint8Array, at: number): AssemblerEvent[] {
    const events: AssemblerEvent[] = [];
    let parsed;
    try {
      parsed = parseHidPosReport(report, layout);
    } catch (error) {
      return [{ kind: 'problem', error: error instanceof HardwareError ? error : new HardwareError('report_malformed', String(error)) }];
    }
    if (parsed.kind === 'other') return events;

    const inProgress = length > 0 || discarding;
    if (inProgress && at - lastAt > maxReportGapMs) {
      events.push({
        kind: 'problem',
        error: new HardwareError('scan_incomplete', `A scan's last report never came (${length} bytes dropped): the person must scan again.`),
      });
      clear();
    }
    lastAt = at;
    if (parsed.clamped) {
      events.push({
        kind: 'problem',
        error: new HardwareError('report_malformed', 'A HID report announced more data than it can hold; its data was cut to fit. Check that the device profile matches the model.'),
      });
    }

    if (!discarding) {
      if (length + parsed.data.length > maxScanBytes) {
        events.push({
          kind: 'problem',
          error: new HardwareError('frame_too_long', `The scanner sent a scan longer than ${maxScanBytes} bytes; no pass is that long, so it was dropped.`),
        });
        parts = [];
        length = 0;
        discarding = true;
      } else {
        if (length === 0) aim = parsed.aim;
        parts.push(parsed.data);
        length += parsed.data.length;
      }
    }

    if (!parsed.continued) {
      if (!discarding && length > 0) events.push({ kind: 'scan', scan: rawScanFrom(concatBytes(parts), 'hid-pos', aim) });
      clear();
    }
    return events;
  }

  return {
    push,
    reset() {
      const dropped = length;
      clear();
      return dropped;
    },
  };
}
