// Cuts a serial byte stream into scans. Serial scanners and document readers send whole scans
// between delimiters, but the bytes reach the kiosk in chunks of any size: a frame may be split
// across chunks and one chunk may hold several frames. The framer is a byte-at-a-time state
// machine, so no split can confuse it; it never throws and never grows past maxFrameBytes.
//
// Framings:
//   crlf           text ended by CR, LF or CR LF (scanners' default suffix)
//   stx-etx        STX text ETX (scanners with an STX prefix and ETX suffix)
//   mrz-3m         3M / Thales readers, RTE native protocol:
//                  SOH len(lo) len(hi) 'O' 'U' STX flag lines ETX BCC
//                  BCC = XOR of every byte after SOH up to and including ETX. The length word
//                  is not trusted for framing (the frame ends at ETX and its BCC); it only
//                  bounds the frame's size.
//   mrz-access-is  Access-IS OCR readers: FS STX lines ETX GS
//   auto           each frame by its first byte: SOH -> mrz-3m, FS -> mrz-access-is,
//                  STX -> stx-etx, anything printable -> crlf
import { encodeUtf8, xorBytes } from '../bytes.js';
import { HardwareError } from '../hardware-error.js';

export const SERIAL_FRAMINGS = ['auto', 'crlf', 'stx-etx', 'mrz-3m', 'mrz-access-is'] as const;
export type SerialFraming = (typeof SERIAL_FRAMINGS)[number];
/** What a frame turned out to be ('auto' is not a frame kind). */
export type SerialFrameKind = 'line' | 'stx-etx' | 'mrz-3m' | 'mrz-access-is';

export const SOH = 0x01;
export const STX = 0x02;
export const ETX = 0x03;
export const LF = 0x0a;
export const CR = 0x0d;
export const FS = 0x1c;
export const GS = 0x1d;
const TAB = 0x09;

/** A pass is at most 8,192 characters; twice that in bytes leaves room for UTF-8 and MRZ framing. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024;
const RTE_HEADER_BYTES = 4; // len lo, len hi, device 'O', type 'U'
const REJECTED_SAMPLE_BYTES = 64;

export type FramerEvent =
  | { kind: 'frame'; frame: SerialFrameKind; payload: Uint8Array }
  | { kind: 'rejected'; error: HardwareError; sample: Uint8Array };

export interface SerialFramer {
  push(chunk: Uint8Array): FramerEvent[];
  /** Drops the frame in progress (the device went away mid-frame); returns its length so far. */
  reset(): number;
}

export interface SerialFramerOptions {
  maxFrameBytes?: number;
}

type State =
  | { at: 'idle' }
  | { at: 'line' }
  | { at: 'stx' }
  | { at: 'rte-header'; got: number }
  | { at: 'rte-text' }
  | { at: 'rte-bcc' }
  | { at: 'ais-stx' }
  | { at: 'ais-text' }
  | { at: 'ais-gs' }
  /** After a frame grew too long: skip to its end marker. */
  | { at: 'discard'; until: 'eol' | 'etx' | 'rte-etx' | 'rte-bcc' | 'gs' };

function isLineStart(byte: number): boolean {
  return byte >= 0x20 || byte === TAB;
}

function isBlank(bytes: readonly number[]): boolean {
  return bytes.every((byte) => byte === 0x20 || byte === TAB || byte === CR || byte === LF || byte === 0);
}

export function createSerialFramer(framing: SerialFraming, options: SerialFramerOptions = {}): SerialFramer {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!(maxFrameBytes >= 16)) throw new RangeError('serial framer: maxFrameBytes must be at least 16');

  let state: State = { at: 'idle' };
  /** Payload of the frame in progress (between its delimiters). */
  let payload: number[] = [];
  /** Running XOR for mrz-3m frames, from the byte after SOH. */
  let bcc = 0;
  /** Bytes seen between frames in a delimited framing: a sign of a mismatched setting. */
  let stray: number[] = [];
  let events: FramerEvent[] = [];

  const sample = (bytes: readonly number[]): Uint8Array => Uint8Array.from(bytes.slice(0, REJECTED_SAMPLE_BYTES));

  function reject(code: 'frame_checksum_invalid' | 'frame_malformed' | 'frame_too_long', message: string, bytes: readonly number[]): void {
    events.push({ kind: 'rejected', error: new HardwareError(code, message), sample: sample(bytes) });
  }

  function emit(frame: SerialFrameKind): void {
    events.push({ kind: 'frame', frame, payload: Uint8Array.from(payload) });
    payload = [];
    state = { at: 'idle' };
  }

  function flushStray(): void {
    if (stray.length > 0 && !isBlank(stray)) {
      reject(
        'frame_malformed',
        `The device sent ${stray.length} bytes outside any ${framing} frame: set the scanner's prefix and suffix to match (see hardware/README.md), or use framing "auto".`,
        stray,
      );
    }
    stray = [];
  }

  /** Appends to the frame in progress; on overflow rejects it and skips to its end. */
  function append(byte: number, until: 'eol' | 'etx' | 'rte-etx' | 'gs'): void {
    if (payload.length >= maxFrameBytes) {
      reject('frame_too_long', `The device sent a frame longer than ${maxFrameBytes} bytes; no pass is that long. Check the scanner's suffix setting (CR, LF or ETX).`, payload);
      payload = [];
      state = { at: 'discard', until };
      return;
    }
    payload.push(byte);
  }

  /** A new frame's start byte arrived while another frame was open: the old one lost its end. */
  function interrupted(kind: string): void {
    reject('frame_malformed', `A ${kind} frame was cut off by the next one (its end marker was lost): the traveller or visitor must scan again.`, payload);
    payload = [];
  }

  function startFrame(byte: number): boolean {
    const byFraming = framing === 'auto';
    if (byte === SOH && (byFraming || framing === 'mrz-3m')) {
      flushStray();
      bcc = 0;
      state = { at: 'rte-header', got: 0 };
      return true;
    }
    if (byte === FS && (byFraming || framing === 'mrz-access-is')) {
      flushStray();
      state = { at: 'ais-stx' };
      return true;
    }
    if (byte === STX && (byFraming || framing === 'stx-etx')) {
      flushStray();
      state = { at: 'stx' };
      return true;
    }
    if ((byFraming || framing === 'crlf') && isLineStart(byte)) {
      state = { at: 'line' };
      payload.push(byte);
      return true;
    }
    return false;
  }

  function idle(byte: number): void {
    if (startFrame(byte)) return;
    if (framing === 'auto' || framing === 'crlf') return; // CR, LF, NUL and other controls between lines
    if (byte === CR || byte === LF) {
      flushStray();
      return;
    }
    if (stray.length < maxFrameBytes) stray.push(byte);
  }

  function step(byte: number): void {
    switch (state.at) {
      case 'idle':
        idle(byte);
        return;
      case 'line':
        if (byte === CR || byte === LF) emit('line');
        else append(byte, 'eol');
        return;
      case 'stx':
        if (byte === ETX) emit('stx-etx');
        else if (byte === STX) {
          interrupted('STX/ETX');
          state = { at: 'stx' };
        } else append(byte, 'etx');
        return;
      case 'rte-header': {
        bcc ^= byte;
        if (state.got < RTE_HEADER_BYTES) {
          payload.push(byte);
          state = { at: 'rte-header', got: state.got + 1 };
          if (state.got === 2) {
            const declared = ((payload[1] ?? 0) << 8) | (payload[0] ?? 0);
            if ((declared & 0x3fff) > maxFrameBytes) {
              reject('frame_too_long', `A document reader frame announces ${declared & 0x3fff} bytes, more than the ${maxFrameBytes} an MRZ can need: check the reader's protocol setting.`, payload);
              payload = [];
              state = { at: 'discard', until: 'rte-etx' };
            }
          }
          return;
        }
        if (byte !== STX) {
          reject('frame_malformed', 'A document reader frame (SOH) lacks its STX after the header: set the reader to the RTE native protocol.', payload);
          payload = [];
          state = { at: 'idle' };
          idle(byte);
          return;
        }
        payload = [];
        state = { at: 'rte-text' };
        return;
      }
      case 'rte-text':
        if (byte === SOH) {
          interrupted('document reader');
          state = { at: 'idle' };
          idle(byte);
          return;
        }
        bcc ^= byte;
        if (byte === ETX) state = { at: 'rte-bcc' };
        else append(byte, 'rte-etx');
        return;
      case 'rte-bcc':
        if (byte !== bcc) {
          reject(
            'frame_checksum_invalid',
            `A document reader frame arrived damaged (check byte ${byte.toString(16).padStart(2, '0')}, computed ${bcc.toString(16).padStart(2, '0')}): check the cable and the baud rate; the traveller must scan again.`,
            payload,
          );
          payload = [];
          state = { at: 'idle' };
          return;
        }
        emit('mrz-3m');
        return;
      case 'ais-stx':
        if (byte === STX) {
          state = { at: 'ais-text' };
          return;
        }
        reject('frame_malformed', 'A document reader frame (FS) lacks its STX: check the reader\'s output format.', [FS, byte]);
        state = { at: 'idle' };
        idle(byte);
        return;
      case 'ais-text':
        if (byte === ETX) state = { at: 'ais-gs' };
        else if (byte === FS) {
          interrupted('document reader');
          state = { at: 'ais-stx' };
        } else append(byte, 'gs');
        return;
      case 'ais-gs':
        if (byte === GS) {
          emit('mrz-access-is');
          return;
        }
        reject('frame_malformed', 'A document reader frame ended without its GS: check the reader\'s output format; the traveller must scan again.', payload);
        payload = [];
        state = { at: 'idle' };
        idle(byte);
        return;
      case 'discard': {
        const until = state.until;
        const done =
          (until === 'eol' && (byte === CR || byte === LF)) ||
          (until === 'etx' && byte === ETX) ||
          (until === 'gs' && byte === GS) ||
          until === 'rte-bcc';
        if (until === 'rte-etx' && byte === ETX) state = { at: 'discard', until: 'rte-bcc' };
        else if (done) state = { at: 'idle' };
        return;
      }
      default: {
        const unreachable: never = state;
        throw new Error(`serial framer: unknown state ${String(unreachable)}`);
      }
    }
  }

  return {
    push(chunk) {
      events = [];
      for (const byte of chunk) step(byte);
      const out = events;
      events = [];
      return out;
    },
    reset() {
      const dropped = payload.length + (state.at === 'idle' ? 0 : 1);
      payload = [];
      stray = [];
      bcc = 0;
      state = { at: 'idle' };
      return dropped;
    },
  };
}

/** What a scanner or reader set to this framing sends for one scan (fakes and the simulator). */
export function encodeSerialFrame(framing: Exclude<SerialFraming, 'auto'>, text: string, options: { terminator?: 'CR' | 'LF' | 'CRLF' } = {}): Uint8Array {
  const body = encodeUtf8(text);
  switch (framing) {
    case 'crlf': {
      const terminator = options.terminator ?? 'CRLF';
      const tail = terminator === 'CR' ? [CR] : terminator === 'LF' ? [LF] : [CR, LF];
      return Uint8Array.from([...body, ...tail]);
    }
    case 'stx-etx':
      return Uint8Array.from([STX, ...body, ETX]);
    case 'mrz-3m':
      return encodeRte3mFrame(text.split('\n'));
    case 'mrz-access-is':
      return encodeAccessIsFrame(text.split('\n'));
    default: {
      const unreachable: never = framing;
      throw new Error(`unknown framing ${String(unreachable)}`);
    }
  }
}

/**
 * A 3M / Thales RTE native frame for MRZ lines. The reader always sends three line slots,
 * the bottom line last: a two-line passport MRZ has an empty first slot.
 */
export function encodeRte3mFrame(lines: readonly string[], flag = '0'): Uint8Array {
  const slots = lines.length >= 3 ? lines : [...Array.from({ length: 3 - lines.length }, () => ''), ...lines];
  const text = encodeUtf8(flag + slots.map((line) => `${line}\r`).join(''));
  const afterLength = [0x4f, 0x55, STX, ...text, ETX];
  const length = afterLength.length + 1; // through the BCC
  const checked = [length & 0xff, (length >> 8) & 0x3f, ...afterLength];
  return Uint8Array.from([SOH, ...checked, xorBytes(Uint8Array.from(checked))]);
}

export function encodeAccessIsFrame(lines: readonly string[]): Uint8Array {
  return Uint8Array.from([FS, STX, ...encodeUtf8(lines.map((line) => `${line}\r`).join('')), ETX, GS]);
}
