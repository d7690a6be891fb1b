// Video files Chromium plays as its camera (--use-file-for-fake-video-capture): Y4M, 4:2:0, one
// frame that Chromium repeats. A QR code is drawn from the text given (the qrcode package), dark
// modules on a light page with its quiet zone, on a grey background like a phone held up to a
// webcam; or a frame with no code at all.
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

export interface Y4mOptions {
  width?: number;
  height?: number;
  /** Pixels per QR module. */
  moduleSize?: number;
}

const GREY = 128;
const PAGE = 235;
const INK = 25;
const QUIET_MODULES = 4;

function y4m(width: number, height: number, luma: Uint8Array): Buffer {
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error('Y4M 4:2:0 needs even sides');
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frame = Buffer.from('FRAME\n', 'ascii');
  // No colour: both chroma planes at their neutral value.
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  return Buffer.concat([header, frame, luma, chroma]);
}

/** One grey frame (one byte of luminance per pixel) showing `text` as a QR code, centred. */
export function qrFrame(text: string, options: Y4mOptions = {}): { width: number; height: number; luma: Uint8Array; modules: number } {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const modules = qr.modules.size;
  const side = modules + 2 * QUIET_MODULES;
  const moduleSize = options.moduleSize ?? Math.floor((Math.min(width, height) * 0.85) / side);
  if (moduleSize < 2) throw new Error(`a ${modules}-module code does not fit a ${width}×${height} frame`);
  const luma = new Uint8Array(width * height).fill(GREY);
  const size = side * moduleSize;
  const left = Math.floor((width - size) / 2);
  const top = Math.floor((height - size) / 2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const row = Math.floor(y / moduleSize) - QUIET_MODULES;
      const col = Math.floor(x / moduleSize) - QUIET_MODULES;
      const dark = row >= 0 && col >= 0 && row < modules && col < modules && qr.modules.get(row, col) === 1;
      luma[(top + y) * width + left + x] = dark ? INK : PAGE;
    }
  }
  return { width, height, luma, modules };
}

/** Writes a Y4M whose frame shows `text` as a QR code, centred; returns the module count a side. */
export function writeQrY4m(path: string, text: string, options: Y4mOptions = {}): number {
  const frame = qrFrame(text, options);
  writeFileSync(path, y4m(frame.width, frame.height, frame.luma));
  return frame.modules;
}

/** Writes a Y4M of a frame with no code in it: soft diagonal bands, as a room behind a person. */
export function writeNoCodeY4m(path: string, width = 640, height = 480): void {
  const luma = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) luma[y * width + x] = 90 + Math.round(60 * Math.sin((x + y) / 40));
  }
  writeFileSync(path, y4m(width, height, luma));
}
