// The camera's QR decoder: a pure function from pixels to the text of the QR code in them, shared
// by the renderer's camera and the DCC conformance suite. No Node, no DOM: pixels in, text out.
// Several attempts, cheapest first, because a phone screen, a print and a test image each defeat
// a different one: the hybrid binarizer (uneven light), the global histogram binarizer (small or
// blurry codes), the image as a pure barcode (a generated code with a clean quiet zone), and
// halved resolution (large images whose module edges are anti-aliased).
import {
  BarcodeFormat,
  BinaryBitmap,
  ChecksumException,
  DecodeHintType,
  FormatException,
  GlobalHistogramBinarizer,
  HybridBinarizer,
  NotFoundException,
  QRCodeReader,
  RGBLuminanceSource,
  type Binarizer,
  type LuminanceSource,
} from '@zxing/library';

/** One byte of luminance per pixel, row by row. */
export interface LuminanceImage {
  width: number;
  height: number;
  luminance: Uint8ClampedArray;
}

export type QrDecodeResult = { ok: true; text: string; attempt: QrAttemptName } | { ok: false; why: string };

export interface QrDecodeOptions {
  /** Which attempts to make, in the file's order; all of them by default. */
  attempts?: readonly QrAttemptName[];
}

/**
 * For camera frames: a pure barcode never fills a camera frame, and the camera varies the scale
 * itself from frame to frame (src/renderer/camera-browser.ts), so only the two binarizers on the
 * frame as given. This keeps a frame with no code in it cheap, since most frames have none.
 */
export const CAMERA_ATTEMPTS: readonly QrAttemptName[] = ['hybrid', 'global'];

/** Largest image side accepted: a 4K camera frame; beyond that it is not a camera frame. */
export const MAX_IMAGE_SIDE = 4096;

/** ITU-R BT.601 luma from RGBA, alpha composited on white (a transparent PNG is a printed code). */
export function rgbaToLuminance(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): LuminanceImage {
  const luminance = new Uint8ClampedArray(width * height);
  for (let i = 0, p = 0; i < luminance.length; i++, p += 4) {
    const alpha = (rgba[p + 3] ?? 255) / 255;
    const luma = 0.299 * (rgba[p] ?? 0) + 0.587 * (rgba[p + 1] ?? 0) + 0.114 * (rgba[p + 2] ?? 0);
    luminance[i] = luma * alpha + 255 * (1 - alpha);
  }
  return { width, height, luminance };
}

/** Averages 2×2 blocks. */
export function halveLuminance(image: LuminanceImage): LuminanceImage {
  const width = Math.floor(image.width / 2);
  const height = Math.floor(image.height / 2);
  const luminance = new Uint8ClampedArray(width * height);
  const src = image.luminance;
  for (let y = 0; y < height; y++) {
    const row0 = 2 * y * image.width;
    const row1 = row0 + image.width;
    for (let x = 0; x < width; x++) {
      const a = src[row0 + 2 * x] ?? 0;
      const b = src[row0 + 2 * x + 1] ?? 0;
      const c = src[row1 + 2 * x] ?? 0;
      const d = src[row1 + 2 * x + 1] ?? 0;
      luminance[y * width + x] = (a + b + c + d) / 4;
    }
  }
  return { width, height, luminance };
}

/** The decoding attempts, cheapest first (see the file's head). */
export type QrAttemptName = 'hybrid' | 'global' | 'pure' | 'hybrid-half' | 'global-half';

interface Attempt {
  name: QrAttemptName;
  binarizer: (source: LuminanceSource) => Binarizer;
  pure: boolean;
  halve: boolean;
}

const ATTEMPTS: readonly Attempt[] = [
  { name: 'hybrid', binarizer: (source) => new HybridBinarizer(source), pure: false, halve: false },
  { name: 'global', binarizer: (source) => new GlobalHistogramBinarizer(source), pure: false, halve: false },
  { name: 'pure', binarizer: (source) => new HybridBinarizer(source), pure: true, halve: false },
  { name: 'hybrid-half', binarizer: (source) => new HybridBinarizer(source), pure: false, halve: true },
  { name: 'global-half', binarizer: (source) => new GlobalHistogramBinarizer(source), pure: false, halve: true },
];

function hintsFor(pure: boolean): Map<DecodeHintType, unknown> {
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]],
    [DecodeHintType.TRY_HARDER, true],
    [DecodeHintType.CHARACTER_SET, 'UTF-8'],
  ]);
  if (pure) hints.set(DecodeHintType.PURE_BARCODE, true);
  return hints;
}

const HINTS = { pure: hintsFor(true), scan: hintsFor(false) };

function isExpectedMiss(error: unknown): boolean {
  return error instanceof NotFoundException || error instanceof ChecksumException || error instanceof FormatException;
}

/** Decodes the QR code in a luminance image; never throws. */
export function decodeQrFromLuminance(image: LuminanceImage, options: QrDecodeOptions = {}): QrDecodeResult {
  const { width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 21 || height < 21) {
    return { ok: false, why: `image ${width}×${height} is too small to hold a QR code` };
  }
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) return { ok: false, why: `image ${width}×${height} is larger than ${MAX_IMAGE_SIDE} pixels a side` };
  if (image.luminance.length !== width * height) return { ok: false, why: 'luminance buffer does not match the image size' };
  const reader = new QRCodeReader();
  let half: LuminanceImage | undefined;
  let lastError = 'no QR code found';
  const wanted = options.attempts;
  for (const attempt of ATTEMPTS) {
    if (wanted !== undefined && !wanted.includes(attempt.name)) continue;
    let source = image;
    if (attempt.halve) {
      if (width < 84 || height < 84) continue;
      half ??= halveLuminance(image);
      source = half;
    }
    try {
      const luminanceSource = new RGBLuminanceSource(source.luminance, source.width, source.height);
      const bitmap = new BinaryBitmap(attempt.binarizer(luminanceSource));
      const result = reader.decode(bitmap, attempt.pure ? HINTS.pure : HINTS.scan);
      return { ok: true, text: result.getText(), attempt: attempt.name };
    } catch (error) {
      if (!isExpectedMiss(error)) lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    } finally {
      reader.reset();
    }
  }
  return { ok: false, why: lastError };
}

/** Decodes the QR code in RGBA pixels (a canvas ImageData, a decoded PNG). */
export function decodeQrFromRgba(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, options: QrDecodeOptions = {}): QrDecodeResult {
  if (rgba.length !== width * height * 4) return { ok: false, why: 'RGBA buffer does not match the image size' };
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) return { ok: false, why: `image ${width}×${height} is larger than ${MAX_IMAGE_SIDE} pixels a side` };
  return decodeQrFromLuminance(rgbaToLuminance(rgba, width, height), options);
}
