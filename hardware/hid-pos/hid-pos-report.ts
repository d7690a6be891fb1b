// One HID POS input report (usage page 0x8C, "Scanned Data Report"), read by the offsets of a
// device profile. The USB HID Point of Sale usage tables name the fields (symbology identifiers
// 1-3, decoded data, decoded data continued); where each sits in the report is the vendor's
// choice, so the offsets are data (hardware/profiles/*.json), not code.
import { HardwareError } from '../hardware-error.js';

export const HID_POS_USAGE_PAGE = 0x8c;

export interface HidPosLayout {
  /** Report id of the scanned-data report; node-hid puts it in byte 0. */
  reportId: number;
  /** Byte holding how many data bytes this report carries. */
  lengthOffset: number;
  /** First of the three AIM id bytes ("]Q1"), or null when the layout has none. */
  aimOffset: number | null;
  dataOffset: number;
  /** Most data bytes one report carries (56 in every layout seen so far). */
  dataCapacity: number;
  /** Byte and bit of the "decoded data continued" flag: more reports follow for this scan. */
  continuationOffset: number;
  continuationMask: number;
}

export type HidPosReport =
  | { kind: 'data'; data: Uint8Array; aim: string | null; continued: boolean; clamped: boolean }
  /** A report of another id (status, attributes): not part of a scan. */
  | { kind: 'other'; reportId: number };

function aimFrom(report: Uint8Array, offset: number): string | null {
  const bytes = report.subarray(offset, offset + 3);
  // Scanners with the AIM id turned off send zeros here.
  if (bytes.length < 3 || bytes[0] !== 0x5d) return null;
  return String.fromCharCode(...bytes);
}

/**
 * Reads one report. Throws HardwareError('report_malformed') only for a report too short for
 * its layout; a length byte larger than the report can hold is clamped (and says so).
 */
export function parseHidPosReport(report: Uint8Array, layout: HidPosLayout): HidPosReport {
  const reportId = report[0];
  if (reportId === undefined) throw new HardwareError('report_malformed', 'The scanner sent an empty HID report.');
  if (reportId !== layout.reportId) return { kind: 'other', reportId };
  const needed = Math.max(layout.continuationOffset, layout.lengthOffset, layout.dataOffset) + 1;
  if (report.length < needed) {
    throw new HardwareError(
      'report_malformed',
      `The scanner sent a ${report.length}-byte HID report where its profile expects at least ${needed} bytes: check that its profile matches the model.`,
    );
  }
  const declared = report[layout.lengthOffset] ?? 0;
  const available = Math.min(layout.dataCapacity, report.length - layout.dataOffset);
  const length = Math.min(declared, available);
  const flags = report[layout.continuationOffset] ?? 0;
  return {
    kind: 'data',
    data: report.slice(layout.dataOffset, layout.dataOffset + length),
    aim: layout.aimOffset === null ? null : aimFrom(report, layout.aimOffset),
    continued: (flags & layout.continuationMask) !== 0,
    clamped: declared > available,
  };
}
