// Tells a keyboard-wedge scanner from a person at a keyboard. A wedge scanner "types" the whole
// code in a burst of keystrokes a few milliseconds apart and ends it with Enter (or Tab, when
// the scanner is configured with a Tab suffix); a person types far slower, and a key held down
// repeats (KeyboardEvent.repeat), which no scanner does. An AIM id the scanner prefixes ("]Q1")
// is split off. Pure: the caller passes each key with its timestamp, so tests drive it with
// synthetic timings.
//
// What this mode cannot carry (hardware/README.md says more): the scanner sends key positions
// for the keyboard layout it was set to, so a layout mismatch changes characters (AZERTY turns
// "Q" into "A"); letters outside that layout (Vietnamese "ễ", "Đ") cannot be typed at all, and
// an input method (Telex, VNI) would rewrite what is typed; control bytes (GS in GS1 codes, NUL,
// binary data) have no key, and CR, LF or Tab inside a code end the scan early. HID POS and
// serial scanners carry all of it as bytes.
import { splitAimId } from '../common/scan/aim-id.js';

export interface WedgeKey {
  /** KeyboardEvent.key: one character for printable keys, a name ("Enter", "Shift") otherwise. */
  key: string;
  /** Milliseconds on any monotonic clock (KeyboardEvent.timeStamp in the renderer). */
  at: number;
  /** KeyboardEvent.repeat: the key is held down and auto-repeating (a person, never a scanner). */
  repeat?: boolean;
}

export type WedgeTerminator = 'Enter' | 'Tab';

export type WedgeResult =
  | { kind: 'none' }
  /** symbology: the AIM id the scanner prefixed (split off text); absent when there was none. */
  | { kind: 'scan'; text: string; terminator: WedgeTerminator; symbology?: string }
  /** A burst ran past maxLength: no pass is that long, the scan is refused as a whole. */
  | { kind: 'too_long'; length: number };

export interface KeyboardWedgeOptions {
  /** Largest gap between two keys of one burst, terminator included. Default 80 ms. */
  maxGapMs?: number;
  /** Fewest characters a scan may have; shorter bursts are stray keys. Default 4. */
  minLength?: number;
  /** Most characters kept for one burst; longer bursts end as 'too_long'. Default 8192. */
  maxLength?: number;
}

export const DEFAULT_WEDGE_MAX_GAP_MS = 80;
export const DEFAULT_WEDGE_MIN_LENGTH = 4;
export const DEFAULT_WEDGE_MAX_LENGTH = 8192;

/**
 * Keys that carry no character and do not break a burst: scanners press Shift for capitals,
 * and the Caps Lock or NumLock state may be toggled by the scanner itself.
 */
const TRANSPARENT_KEYS: ReadonlySet<string> = new Set([
  'Shift',
  'CapsLock',
  'NumLock',
  'Unidentified',
  'Dead',
]);

function isTerminator(key: string): key is WedgeTerminator {
  return key === 'Enter' || key === 'Tab';
}

export interface KeyboardWedge {
  /** Feeds one key; returns a scan when this key ended a burst that qualifies. */
  push(event: WedgeKey): WedgeResult;
  /** Forgets the burst in progress (the window lost focus, for instance). */
  reset(): void;
}

export function createKeyboardWedge(options: KeyboardWedgeOptions = {}): KeyboardWedge {
  const maxGapMs = options.maxGapMs ?? DEFAULT_WEDGE_MAX_GAP_MS;
  const minLength = options.minLength ?? DEFAULT_WEDGE_MIN_LENGTH;
  const maxLength = options.maxLength ?? DEFAULT_WEDGE_MAX_LENGTH;
  if (!(maxGapMs > 0) || !(minLength >= 1) || !(maxLength >= minLength)) {
    throw new RangeError('keyboard wedge: need maxGapMs > 0 and 1 <= minLength <= maxLength');
  }

  let chunks: string[] = [];
  let length = 0;
  let overflowed = false;
  let lastAt = Number.NEGATIVE_INFINITY;

  function reset(): void {
    chunks = [];
    length = 0;
    overflowed = false;
    lastAt = Number.NEGATIVE_INFINITY;
  }

  function scanOf(text: string, terminator: WedgeTerminator): WedgeResult {
    const { symbology, payload } = splitAimId(text);
    return symbology === null ? { kind: 'scan', text, terminator } : { kind: 'scan', text: payload, terminator, symbology };
  }

  function push({ key, at, repeat }: WedgeKey): WedgeResult {
    if (TRANSPARENT_KEYS.has(key)) return { kind: 'none' };
    // A held-down key repeats every ~30 ms: fast enough to pass for a burst, and always a person.
    if (repeat === true) {
      reset();
      return { kind: 'none' };
    }
    const inBurst = length > 0 && at - lastAt >= 0 && at - lastAt < maxGapMs;

    if (isTerminator(key)) {
      const result: WedgeResult = !inBurst
        ? { kind: 'none' }
        : overflowed
          ? { kind: 'too_long', length }
          : length >= minLength
            ? scanOf(chunks.join(''), key)
            : { kind: 'none' };
      reset();
      return result;
    }

    // Named keys (arrows, Backspace, F5...) are never part of a scanned code.
    if ([...key].length !== 1) {
      reset();
      return { kind: 'none' };
    }

    // A slow key starts a new burst: whatever came before was typed by a person.
    if (!inBurst) reset();
    length += 1;
    lastAt = at;
    if (length > maxLength) {
      overflowed = true;
      chunks = [];
    } else {
      chunks.push(key);
    }
    return { kind: 'none' };
  }

  return { push, reset };
}
