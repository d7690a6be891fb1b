// Base45 (RFC 9285) through the base45-ts library, with the one check it leaves out: a chunk
// whose value overflows (a triple above 65535, a pair above 255) is invalid, not wrapped.
import { decode as libraryDecode, encode as libraryEncode } from 'base45-ts';
import { stageFail, stageOk, type StageResult } from '../types/result.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

function valueAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (VALUES[code] ?? -1) : -1;
}

export function base45Decode(text: string): StageResult<Uint8Array> {
  if (text.length % 3 === 1) {
    return stageFail({ code: 'base45_invalid', detail: `length ${text.length} is not valid base45` });
  }
  for (let i = 0; i < text.length; i += 3) {
    const c = valueAt(text, i);
    const d = valueAt(text, i + 1);
    const e = i + 2 < text.length ? valueAt(text, i + 2) : 0;
    if (c < 0 || d < 0 || e < 0) {
      const bad = c < 0 ? i : d < 0 ? i + 1 : i + 2;
      return stageFail({ code: 'base45_invalid', detail: `character ${bad + 1} is not base45` });
    }
    const limit = i + 2 < text.length ? 0xffff : 0xff;
    if (c + d * 45 + e * 2025 > limit) {
      return stageFail({ code: 'base45_invalid', detail: `chunk at character ${i + 1} overflows` });
    }
  }
  return stageOk(libraryDecode(text));
}

export function base45Encode(bytes: Uint8Array): string {
  return libraryEncode(bytes);
}
