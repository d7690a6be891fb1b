// The camera's decoding worker (bundled on its own to dist/renderer/camera-worker.js, a classic
// worker): decodes one frame per message off the page's thread, so the preview, the scanner's
// keys and the verdict screen never wait for @zxing/library.
import { CAMERA_ATTEMPTS, decodeQrFromRgba } from '../common/camera/qr-decoder.js';
import { type CameraWorkerResponse, isCameraWorkerRequest } from './camera-worker-protocol.js';

/** The part of a DedicatedWorkerGlobalScope this file uses (the renderer compiles with DOM types). */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  postMessage(message: CameraWorkerResponse): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (!isCameraWorkerRequest(request)) return;
  const started = performance.now();
  const result = decodeQrFromRgba(request.rgba, request.width, request.height, { attempts: CAMERA_ATTEMPTS });
  scope.postMessage({ id: request.id, result, ms: performance.now() - started });
});
