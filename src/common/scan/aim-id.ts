// AIM symbology identifiers (ISO/IEC 15424): "]" + a code character + a modifier, such as "]Q1"
// for a QR code or "]E0" for EAN-13. Scanners either report it apart from the data (HID POS
// reports have a field for it) or prefix it to the data (keyboard wedge, serial), when told to.

/** "]" + code character (a letter) + modifier (a digit or letter). */
const AIM_ID = /^\][A-Za-z][0-9A-Za-z]/;

export const UNKNOWN_SYMBOLOGY = 'unknown';

export interface AimSplit {
  /** The AIM id ("]Q1") when the text began with one, else null. */
  symbology: string | null;
  /** The text without the AIM id. */
  payload: string;
}

export function isAimId(value: string): boolean {
  return value.length === 3 && AIM_ID.test(value);
}

/**
 * Splits a leading AIM id off scanned text. No pass format begins with "]", so a match is
 * always the scanner's prefix, never data.
 */
export function splitAimId(text: string): AimSplit {
  const match = AIM_ID.exec(text);
  return match === null ? { symbology: null, payload: text } : { symbology: match[0], payload: text.slice(3) };
}
