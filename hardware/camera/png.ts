// PNG files to RGBA pixels, for Node callers of the camera decoder (tests, the DCC conformance
// suite). The renderer gets its pixels from a canvas instead.
import { PNG } from 'pngjs';

export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export type PngReadResult = { ok: true; image: RgbaImage } | { ok: false; why: string };

/** Decodes a PNG (any bit depth, palette, grey or colour, interlaced or not) to 8-bit RGBA. */
export function readPng(bytes: Uint8Array): PngReadResult {
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { ok: true, image: { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) } };
  } catch (error) {
    return { ok: false, why: `not a readable PNG: ${error instanceof Error ? error.message : String(error)}` };
  }
}
