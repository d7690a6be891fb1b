// Base45 (RFC 9285). Decoding is this module's own single pass (it sits on every scan's path):
// it checks each character and each chunk's value as it goes (a triple above 65535 or a pair above
// 255 is invalid, not wrapped) and writes the bytes straight out. Encoding is base45-ts's.
import { encode as libraryEncode } from 'base45-ts';
import { stageFail, stageOk, type StageResult } from '../types/result.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

function valueAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (VALUES[code] ?? -1) : -1;
}

function badCharacter(text: string, at: number, count: number): StageResult<Uint8Array> {
  let bad = at;
  while (bad < at + count - 1 && valueAt(text, bad) >= 0) bad++;
  return stageFail({ code: 'base45_invalid', detail: `character ${bad + 1} is not base45` });
}

export function base45Decode(text: string): StageResult<Uint8Array> {
  const length = text.length;
  if (length % 3 === 1) {
    return stageFail({ code: 'base45_invalid', detail: `length ${length} is not valid base45` });
  }
  const whole = length - (length % 3);
  const out = new Uint8Array((whole / 3) * 2 + (length % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const c = valueAt(text, i);
    const d = valueAt(text, i + 1);
    const e = valueAt(text, i + 2);
    if ((c | d | e) < 0) return badCharacter(text, i, 3);
    const value = c + d * 45 + e * 2025;
    if (value > 0xffff) return stageFail({ code: 'base45_invalid', detail: `chunk at character ${i + 1} overflows` });
    out[o++] = value >> 8;
    out[o++] = value & 0xff;
  }
  if (whole < length) {
    const c = valueAt(text, whole);
    const d = valueAt(text, whole + 1);
    if ((c | d) < 0) return badCharacter(text, whole, 2);
    const value = c + d * 45;
    if (value > 0xff) return stageFail({ code: 'base45_invalid', detail: `chunk at character ${whole + 1} overflows` });
    out[o] = value;
  }
  return stageOk(out);
}

export function base45Encode(bytes: Uint8Array): string {
  return libraryEncode(bytes);
}
