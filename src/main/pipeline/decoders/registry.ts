// Every decoder the kiosk knows, in the order decodeScan asks them (decode.ts strips scanner
// artefacts first: AIM symbology id, surrounding whitespace, trailing CR/LF). The first whose
// claims() accepts the text decodes it, so the order matters only where shapes could overlap:
// prefixed formats first (cheap and unambiguous), then the shapes of unprefixed codes.
import type { CredentialDecoder } from '../decode.js';
import { createCccdDecoder } from './cccd/cccd-decoder.js';
import { dccDecoder } from './dcc/dcc-decoder.js';
import { createMrzDecoder } from './mrz/mrz-decoder.js';
import { pc1Decoder } from './pc1/pc1-decoder.js';
import { createPccovidV1Decoder } from './pccovid-v1/pccovid-v1-decoder.js';
import { createVhdDecoder } from './vhd/vhd-decoder.js';

export interface DecoderRegistryOptions {
  /**
   * Wall clock in milliseconds. Identity documents need it to read dates: an MRZ's two-digit
   * years, a date of birth that may not lie in the future.
   */
  now: () => number;
}

export function createDecoderRegistry(options: DecoderRegistryOptions): readonly CredentialDecoder[] {
  const { now } = options;
  return [
    // "PC1:" — the unified app's signed pass.
    pc1Decoder,
    // "HC1:" — EU DCC (vaccination, test, recovery).
    dccDecoder,
    // "VHD1|" — the health-declaration apps' personal code.
    createVhdDecoder(now),
    // Six "|" fields whose fourth is 0 or 1 — the PC-Covid v1.1 personal QR.
    createPccovidV1Decoder(now),
    // A 12-digit id then 6 or 7 "|" fields — the citizen ID card's QR (never the shape above).
    createCccdDecoder(now),
    // Two or three lines of A-Z, 0-9 and "<" — a travel document's MRZ.
    createMrzDecoder(now),
  ];
}
