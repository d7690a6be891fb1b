// The camera fallback's control loop, with no DOM in it: open the camera, decode one frame at a
// time at a bounded rate, stop at the first code, at the time limit or when told to, and always
// give the camera back. The browser parts (getUserMedia, the canvas, the worker) are injected,
// so this file is tested in Node with fakes (camera-scan.test.ts).
import type { QrDecodeResult } from '../common/camera/qr-decoder.js';

/** What went wrong with the camera, in words a person can act on (ui-text.ts keys). */
export type CameraProblem = 'cameraMissing' | 'cameraDenied' | 'cameraBusy' | 'cameraUnsupported' | 'cameraFailed' | 'cameraTimeout';

/** RGBA pixels of one video frame. */
export interface CameraFrame {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** An open camera: frames are read from it; release gives the device back to the system. */
export interface CameraStream {
  /** The current frame, or null while the video has no picture yet. */
  grabFrame(): CameraFrame | null;
  release(): void;
}

export type CameraDecodeResult = QrDecodeResult & {
  /** Time spent decoding this frame, in milliseconds. */
  ms: number;
};

export interface CameraScanDeps {
  open(): Promise<CameraStream>;
  decode(frame: CameraFrame): Promise<CameraDecodeResult>;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface CameraScanOptions {
  /** Pause between the end of one decode and the next frame grab. */
  frameIntervalMs: number;
  /** Give up after this long without a code (the camera is then released). */
  timeoutMs: number;
}

export const DEFAULT_CAMERA_SCAN_OPTIONS: CameraScanOptions = { frameIntervalMs: 120, timeoutMs: 30_000 };

/** How a scan ended. */
export type CameraScanEnd =
  | { kind: 'code'; text: string }
  | { kind: 'problem'; problem: CameraProblem; detail: string }
  | { kind: 'stopped' };

export interface CameraScanCallbacks {
  /** The camera is open and frames are being read. */
  onRunning(): void;
  /** One frame was decoded (with or without a code in it). */
  onFrame?(result: CameraDecodeResult): void;
  /** Called once, when the scan ends for any reason; the camera is already released. */
  onEnd(end: CameraScanEnd): void;
}

export interface CameraScan {
  /** Ends the scan (no-op once ended) and releases the camera. */
  stop(): void;
  readonly active: boolean;
}

/** getUserMedia's DOMException names, per the Media Capture spec, to what a person can do. */
export function cameraProblemOf(error: unknown): CameraProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  switch (name) {
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'cameraMissing';
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'cameraDenied';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'cameraBusy';
    case 'TypeError':
      return 'cameraUnsupported';
    default:
      return 'cameraFailed';
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Starts a camera scan. Frames are decoded one at a time: the next grab waits
 * `frameIntervalMs` after the previous decode finished, so a slow decoder lowers the rate
 * instead of piling frames up.
 */
export function startCameraScan(deps: CameraScanDeps, callbacks: CameraScanCallbacks, options: CameraScanOptions = DEFAULT_CAMERA_SCAN_OPTIONS): CameraScan {
  let ended = false;
  let stream: CameraStream | null = null;
  let timer: unknown = undefined;
  // Its own timer, so a decoder that never answers cannot keep the camera on.
  let timeoutTimer: unknown = undefined;
  let frames = 0;

  function end(result: CameraScanEnd): void {
    if (ended) return;
    ended = true;
    if (timer !== undefined) deps.clearTimer(timer);
    if (timeoutTimer !== undefined) deps.clearTimer(timeoutTimer);
    timer = undefined;
    timeoutTimer = undefined;
    stream?.release();
    stream = null;
    callbacks.onEnd(result);
  }

  function schedule(ms: number): void {
    timer = deps.setTimer(() => {
      timer = undefined;
      void tick();
    }, ms);
  }

  async function tick(): Promise<void> {
    if (ended || stream === null) return;
    const frame = stream.grabFrame();
    if (frame === null) {
      schedule(options.frameIntervalMs);
      return;
    }
    let result: CameraDecodeResult;
    try {
      result = await deps.decode(frame);
    } catch (error) {
      end({ kind: 'problem', problem: 'cameraFailed', detail: `the decoder failed: ${errorText(error)}` });
      return;
    }
    if (ended) return;
    frames++;
    callbacks.onFrame?.(result);
    if (result.ok) {
      end({ kind: 'code', text: result.text });
      return;
    }
    schedule(options.frameIntervalMs);
  }

  deps.open().then(
    (opened) => {
      if (ended) {
        // Stopped while the camera was opening: give it straight back.
        opened.release();
        return;
      }
      stream = opened;
      timeoutTimer = deps.setTimer(() => {
        timeoutTimer = undefined;
        end({ kind: 'problem', problem: 'cameraTimeout', detail: `no QR code seen in ${options.timeoutMs} ms (${frames} frames decoded)` });
      }, options.timeoutMs);
      callbacks.onRunning();
      schedule(0);
    },
    (error: unknown) => end({ kind: 'problem', problem: cameraProblemOf(error), detail: errorText(error) }),
  );

  return {
    stop: () => end({ kind: 'stopped' }),
    get active() {
      return !ended;
    },
  };
}
