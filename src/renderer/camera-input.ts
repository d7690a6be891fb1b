// The camera fallback on the idle screen: the "use the camera" button, the preview and what
// went wrong, in words a person can act on. A press opens the camera, frames are decoded in a
// worker at a bounded rate (camera-scan.ts), and the first code read is submitted as a scan with
// source 'camera'. The camera is released as soon as a code is read, the time limit passes, the
// person stops it, a verdict is shown or the page is hidden.
import type { Locale } from '../common/types/reasons.js';
import { createFrameDecoder, type FrameDecoder, openCamera } from './camera-browser.js';
import { type CameraProblem, type CameraScan, type CameraScanEnd, DEFAULT_CAMERA_SCAN_OPTIONS, type CameraScanOptions, startCameraScan } from './camera-scan.js';
import { otherLocale, uiText } from './ui-text.js';
import { byId } from './dom.js';

export const CAMERA_WORKER_URL = 'camera-worker.js';

export interface CameraInputDeps {
  locale(): Locale;
  /** A code was read: submit it as a scan from the camera. */
  scan(text: string): void;
  options?: CameraScanOptions;
}

type CameraState = 'off' | 'opening' | 'running';

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export class CameraInput {
  readonly #doc: Document;
  readonly #deps: CameraInputDeps;
  readonly #button: HTMLButtonElement;
  readonly #panel: HTMLElement;
  readonly #video: HTMLVideoElement;
  readonly #status: HTMLElement;
  readonly #stop: HTMLButtonElement;
  readonly #message: HTMLElement;
  readonly #messagePrimary: HTMLElement;
  readonly #messageSecondary: HTMLElement;
  #decoder: FrameDecoder | null = null;
  #scan: CameraScan | null = null;
  #state: CameraState = 'off';
  #problem: CameraProblem | null = null;
  #buttonShown = false;
  /** Decode time of each frame of the current (or last) scan, for its figures. */
  #decodeMs: number[] = [];

  constructor(doc: Document, deps: CameraInputDeps) {
    this.#doc = doc;
    this.#deps = deps;
    this.#button = byId(doc, 'camera-button', HTMLButtonElement);
    this.#panel = byId(doc, 'camera-panel', HTMLElement);
    this.#video = byId(doc, 'camera-video', HTMLVideoElement);
    this.#status = byId(doc, 'camera-status', HTMLElement);
    this.#stop = byId(doc, 'camera-stop', HTMLButtonElement);
    this.#message = byId(doc, 'camera-message', HTMLElement);
    this.#messagePrimary = byId(doc, 'camera-message-primary', HTMLElement);
    this.#messageSecondary = byId(doc, 'camera-message-secondary', HTMLElement);
    // A focused button would "press" itself on a scanner's Enter: never keep the focus.
    for (const button of [this.#button, this.#stop]) button.addEventListener('focus', () => button.blur());
    this.#button.addEventListener('click', () => this.start());
    this.#stop.addEventListener('click', () => this.stop());
    // A hidden page (another window, a locked screen) has no one in front of the camera.
    doc.addEventListener('visibilitychange', () => {
      if (doc.visibilityState === 'hidden') this.stop();
    });
  }

  showButton(): void {
    this.#buttonShown = true;
    this.render();
  }

  /** Opens the camera and reads frames until a code, the time limit or stop(). */
  start(): void {
    if (this.#scan?.active === true) return;
    this.#decoder ??= createFrameDecoder(CAMERA_WORKER_URL);
    const decoder = this.#decoder;
    this.#problem = null;
    this.#decodeMs = [];
    this.#panel.dataset['frames'] = '0';
    this.#state = 'opening';
    this.render();
    const openStarted = performance.now();
    let runningSince = 0;
    this.#scan = startCameraScan(
      {
        open: () => openCamera(this.#video, this.#doc),
        decode: (frame) => decoder.decode(frame),
        setTimer: (callback, ms) => setTimeout(callback, ms),
        clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      },
      {
        onRunning: () => {
          runningSince = performance.now();
          this.#panel.dataset['openMs'] = String(Math.round(runningSince - openStarted));
          this.#state = 'running';
          this.render();
        },
        onFrame: (result) => {
          this.#decodeMs.push(result.ms);
          this.#panel.dataset['frames'] = String(this.#decodeMs.length);
        },
        onEnd: (end) => this.#ended(end, runningSince),
      },
      this.#deps.options ?? DEFAULT_CAMERA_SCAN_OPTIONS,
    );
  }

  /** Releases the camera (if on) and hides the preview; any message stays until the next start. */
  stop(): void {
    this.#scan?.stop();
  }

  /** Hides a camera problem too: for when the screen moves on (a verdict from any scanner). */
  reset(): void {
    this.stop();
    if (this.#problem === null) return;
    this.#problem = null;
    this.render();
  }

  #ended(end: CameraScanEnd, runningSince: number): void {
    this.#scan = null;
    this.#state = 'off';
    // The last scan's figures, read by the e2e test and `npm run bench -- camera`.
    const panel = this.#panel;
    const ms = this.#decodeMs;
    panel.dataset['decoder'] = this.#decoder?.place ?? 'page';
    panel.dataset['frames'] = String(ms.length);
    panel.dataset['decodeMeanMs'] = mean(ms).toFixed(2);
    panel.dataset['decodeMaxMs'] = ms.length === 0 ? '0' : Math.max(...ms).toFixed(2);
    panel.dataset['runMs'] = runningSince === 0 ? '0' : String(Math.round(performance.now() - runningSince));
    delete panel.dataset['problemDetail'];
    switch (end.kind) {
      case 'code':
        this.render();
        this.#deps.scan(end.text);
        return;
      case 'problem':
        this.#problem = end.problem;
        panel.dataset['problemDetail'] = end.detail.slice(0, 200);
        this.render();
        return;
      case 'stopped':
        this.render();
        return;
      default: {
        const unreachable: never = end;
        throw new Error(`unknown camera scan end ${String(unreachable)}`);
      }
    }
  }

  render(): void {
    const locale = this.#deps.locale();
    const on = this.#state !== 'off';
    this.#panel.dataset['state'] = this.#state;
    this.#button.textContent = uiText('cameraUse', locale);
    // While the camera is on, its stop button takes the place of this one.
    this.#button.hidden = !this.#buttonShown || on;
    this.#panel.hidden = !on;
    this.#stop.textContent = uiText('cameraStop', locale);
    this.#video.setAttribute('aria-label', uiText('cameraPreview', locale));
    this.#status.textContent = uiText(this.#state === 'running' ? 'cameraLooking' : 'cameraOpening', locale);
    const problem = this.#problem;
    this.#message.hidden = problem === null;
    this.#message.dataset['problem'] = problem ?? '';
    this.#messagePrimary.textContent = problem === null ? '' : uiText(problem, locale);
    this.#messageSecondary.textContent = problem === null ? '' : uiText(problem, otherLocale(locale));
  }
}
