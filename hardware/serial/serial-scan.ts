// From a serial frame to the RawScan main receives: text scans as they are, document readers'
// MRZ as its lines joined by "\n" (the shape the MRZ decoder reads).
import { decodeUtf8 } from '../bytes.js';
import { rawScanFrom } from '../raw-scan.js';
import type { RawScan } from '../types.js';
import type { SerialFrameKind } from './serial-framer.js';

/**
 * MRZ lines as a reader sends them: separated by CR (or CR LF), missing lines sent empty (3M
 * always sends three slots), short lines padded by the reader. Empty slots are dropped; the
 * characters are kept as read, so a misread stays visible to the MRZ decoder's check digits.
 */
export function mrzLines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .join('\n');
}

export function rawScanFromFrame(frame: SerialFrameKind, payload: Uint8Array): RawScan {
  switch (frame) {
    case 'line':
    case 'stx-etx':
      return rawScanFrom(payload, frame);
    case 'mrz-3m':
      // The first byte of the text is the reader's flag byte, not MRZ.
      return { bytes: payload, text: mrzLines(decodeUtf8(payload.subarray(1))), symbology: 'unknown', frame };
    case 'mrz-access-is':
      return { bytes: payload, text: mrzLines(decodeUtf8(payload)), symbology: 'unknown', frame };
    default: {
      const unreachable: never = frame;
      throw new Error(`unknown serial frame ${String(unreachable)}`);
    }
  }
}
