// The browser half of the camera fallback: getUserMedia into the preview <video>, frames read
// through a canvas, and decoding in a worker (falling back to the page's own thread when the
// worker cannot run). camera-scan.ts drives these; it never touches the DOM itself.
import { CAMERA_ATTEMPTS, decodeQrFromRgba } from '../common/camera/qr-decoder.js';
import type { CameraDecodeResult, CameraFrame, CameraStream } from './camera-scan.js';
import { type CameraWorkerRequest, isCameraWorkerResponse } from './camera-worker-protocol.js';

/** Frames are scaled down to at most this many pixels on their longest side before decoding. */
export const CAMERA_DECODE_MAX_SIDE = 960;

/**
 * Each frame is decoded at the next of these scales (of the size above). @zxing/library's
 * finder-pattern search misses some codes at one exact scale and reads them at another: on
 * generated pass codes, 5-20 % fail at any single scale, while fewer than 1 in 100 fail at all
 * four (README, "Camera"). A code held still in front of the camera is thus read within four
 * frames instead of never; a moving one gets a new scale for free.
 */
export const CAMERA_SCALE_CYCLE: readonly number[] = [1, 0.8, 0.65, 0.9];

/** The size frame number `index` of a `videoWidth`×`videoHeight` video is decoded at. */
export function decodeSize(videoWidth: number, videoHeight: number, index: number): { width: number; height: number } {
  const base = Math.min(1, CAMERA_DECODE_MAX_SIDE / Math.max(videoWidth, videoHeight));
  const scale = base * (CAMERA_SCALE_CYCLE[index % CAMERA_SCALE_CYCLE.length] ?? 1);
  return { width: Math.max(1, Math.round(videoWidth * scale)), height: Math.max(1, Math.round(videoHeight * scale)) };
}

/** Rear ("environment") camera when there is one (a tablet), else whatever camera exists (a webcam). */
export const CAMERA_CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
};

const HAVE_CURRENT_DATA = 2;

/** Opens the camera into `video` (muted, inline). Rejects with getUserMedia's own DOMException. */
export async function openCamera(video: HTMLVideoElement, doc: Document): Promise<CameraStream> {
  const media = typeof navigator === 'object' ? navigator.mediaDevices : undefined;
  // Absent outside a secure context, or in a browser built without media capture.
  if (media === undefined || typeof media.getUserMedia !== 'function') throw new TypeError('this browser offers no camera access (navigator.mediaDevices)');
  const stream = await media.getUserMedia(CAMERA_CONSTRAINTS);
  const release = (): void => {
    for (const track of stream.getTracks()) track.stop();
    video.pause();
    video.srcObject = null;
  };
  try {
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    await video.play();
  } catch (error) {
    release();
    throw error;
  }
  const canvas = doc.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) {
    release();
    throw new Error('the page could not make a canvas to read camera frames');
  }
  let frames = 0;
  return {
    grabFrame(): CameraFrame | null {
      const { videoWidth, videoHeight } = video;
      if (video.readyState < HAVE_CURRENT_DATA || videoWidth === 0 || videoHeight === 0) return null;
      const { width, height } = decodeSize(videoWidth, videoHeight, frames++);
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== height) canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      return { width, height, rgba: context.getImageData(0, 0, width, height).data };
    },
    release,
  };
}

function decodeHere(frame: CameraFrame): CameraDecodeResult {
  const started = performance.now();
  const result = decodeQrFromRgba(frame.rgba, frame.width, frame.height, { attempts: CAMERA_ATTEMPTS });
  return { ...result, ms: performance.now() - started };
}

export type DecoderPlace = 'worker' | 'page';

export interface FrameDecoder {
  decode(frame: CameraFrame): Promise<CameraDecodeResult>;
  /** Where frames are decoded now: 'page' once the worker failed to load or crashed. */
  readonly place: DecoderPlace;
}

/**
 * Decodes frames in the worker at `workerUrl`. If the worker cannot be made, fails to load or
 * crashes, frames in flight are answered "not read" and every later frame is decoded on the
 * page's thread: slower for the screen, but the camera keeps working.
 */
export function createFrameDecoder(workerUrl: string, makeWorker: (url: string) => Worker = (url) => new Worker(url)): FrameDecoder {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, (result: CameraDecodeResult) => void>();

  function giveUpWorker(why: string): void {
    worker?.terminate();
    worker = null;
    for (const resolve of pending.values()) resolve({ ok: false, why, ms: 0 });
    pending.clear();
  }

  try {
    worker = makeWorker(workerUrl);
    worker.addEventListener('message', (event: MessageEvent<unknown>) => {
      const response = event.data;
      if (!isCameraWorkerResponse(response)) return;
      const resolve = pending.get(response.id);
      pending.delete(response.id);
      resolve?.({ ...response.result, ms: response.ms });
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      giveUpWorker(`the decoding worker failed (${event.message || 'it could not load'}); decoding on the page`);
    });
  } catch {
    worker = null;
  }

  return {
    decode(frame) {
      const current = worker;
      if (current === null) return Promise.resolve(decodeHere(frame));
      const id = nextId++;
      return new Promise<CameraDecodeResult>((resolve) => {
        pending.set(id, resolve);
        const request: CameraWorkerRequest = { id, width: frame.width, height: frame.height, rgba: frame.rgba };
        current.postMessage(request, [frame.rgba.buffer]);
      });
    },
    get place() {
      return worker === null ? 'page' : 'worker';
    },
  };
}
