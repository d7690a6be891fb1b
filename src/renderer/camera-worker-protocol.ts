// The messages between the page and the camera's decoding worker (camera-worker.ts).
import type { QrDecodeResult } from '../common/camera/qr-decoder.js';

export interface CameraWorkerRequest {
  id: number;
  width: number;
  height: number;
  /** Transferred, not copied: the page does not use a frame after sending it. */
  rgba: Uint8ClampedArray;
}

export interface CameraWorkerResponse {
  id: number;
  result: QrDecodeResult;
  ms: number;
}

export function isCameraWorkerRequest(value: unknown): value is CameraWorkerRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<CameraWorkerRequest>;
  return typeof v.id === 'number' && typeof v.width === 'number' && typeof v.height === 'number' && v.rgba instanceof Uint8ClampedArray;
}

export function isCameraWorkerResponse(value: unknown): value is CameraWorkerResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<CameraWorkerResponse>;
  return typeof v.id === 'number' && typeof v.ms === 'number' && typeof v.result === 'object' && v.result !== null && typeof v.result.ok === 'boolean';
}
