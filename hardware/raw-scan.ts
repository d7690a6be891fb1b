// Builds the RawScan a driver hands to main from the payload bytes of one whole scan.
import { isAimId, splitAimId, UNKNOWN_SYMBOLOGY } from '../src/common/scan/aim-id.js';
import { decodeUtf8 } from './bytes.js';
import type { FrameKind, RawScan } from './types.js';

/**
 * Decodes the bytes only now that the whole scan is here: a multi-byte UTF-8 character split
 * across two reports or two serial chunks is whole again. A leading AIM id in the data is split
 * off; an AIM id the device reported apart (HID POS) wins over it.
 */
export function rawScanFrom(bytes: Uint8Array, frame: FrameKind, reportedAim: string | null = null): RawScan {
  const split = splitAimId(decodeUtf8(bytes));
  const symbology = reportedAim !== null && isAimId(reportedAim) ? reportedAim : (split.symbology ?? UNKNOWN_SYMBOLOGY);
  return { bytes, text: split.payload, symbology, frame };
}
