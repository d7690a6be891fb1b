// Byte helpers shared by the drivers and their fakes.

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function toHex(bytes: Uint8Array, separator = ''): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(separator);
}

/** "16 54 0d", "16540D" or "0x16,0x54" -> bytes; throws RangeError on anything else. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/0x/gi, '').replace(/[\s,:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new RangeError(`not a hex byte string: "${hex}"`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });
const UTF8_ENCODER = new TextEncoder();

/**
 * Decodes a whole scan. Invalid sequences become U+FFFD rather than an exception: the decoders
 * then call the scan unreadable, with a reason.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return UTF8.decode(bytes);
}

export function encodeUtf8(text: string): Uint8Array {
  return UTF8_ENCODER.encode(text);
}

/** XOR of every byte: the block check character of many serial protocols. */
export function xorBytes(bytes: Uint8Array): number {
  let bcc = 0;
  for (const byte of bytes) bcc ^= byte;
  return bcc;
}
