import { describe, expect, it } from 'vitest';
import {
  type CameraDecodeResult,
  type CameraFrame,
  type CameraScanEnd,
  type CameraStream,
  cameraProblemOf,
  startCameraScan,
} from './camera-scan.js';

const OPTIONS = { frameIntervalMs: 120, timeoutMs: 1000 };
const FRAME: CameraFrame = { width: 2, height: 1, rgba: new Uint8ClampedArray(8) };

/** A clock and timers the test advances by hand; microtasks run between steps. */
class ManualTime {
  now = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;

  setTimer = (callback: () => void, ms: number): unknown => {
    const id = this.#next++;
    this.#timers.set(id, { at: this.now + ms, callback });
    return id;
  };

  clearTimer = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };

  get pending(): number {
    return this.#timers.size;
  }

  /** Moves the clock forward, firing due timers in order and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      await flush();
      const due = [...this.#timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.#timers.delete(due[0]);
      this.now = Math.max(this.now, due[1].at);
      due[1].callback();
    }
    this.now = until;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

class FakeStream implements CameraStream {
  released = 0;
  grabs = 0;
  constructor(private readonly blankFrames = 0) {}
  grabFrame(): CameraFrame | null {
    this.grabs++;
    return this.grabs <= this.blankFrames ? null : FRAME;
  }
  release(): void {
    this.released++;
  }
}

function setup(opts: { open?: () => Promise<CameraStream>; decode?: (n: number) => CameraDecodeResult | Promise<CameraDecodeResult> } = {}) {
  const time = new ManualTime();
  const stream = new FakeStream(1);
  const ends: CameraScanEnd[] = [];
  let running = 0;
  let decodes = 0;
  const frameMs: number[] = [];
  const scan = startCameraScan(
    {
      open: opts.open ?? (() => Promise.resolve(stream)),
      decode: async () => (opts.decode ?? (() => ({ ok: false, why: 'no QR code found', ms: 5 })))(++decodes),
      setTimer: time.setTimer,
      clearTimer: time.clearTimer,
    },
    { onRunning: () => running++, onFrame: (result) => frameMs.push(result.ms), onEnd: (end) => ends.push(end) },
    OPTIONS,
  );
  return { time, stream, ends, scan, frameMs, running: () => running, decodes: () => decodes };
}

describe('startCameraScan', () => {
  it('decodes frames at the bounded rate until a code is found, then releases the camera', async () => {
    const t = setup({ decode: (n) => (n === 3 ? { ok: true, text: 'PC1:ABC', attempt: 'hybrid', ms: 7 } : { ok: false, why: 'no QR code found', ms: 5 }) });
    await t.time.advance(0);
    expect(t.running()).toBe(1);
    // The first grab had no picture yet (the video was starting).
    expect(t.stream.grabs).toBe(1);
    expect(t.decodes()).toBe(0);
    await t.time.advance(119);
    expect(t.decodes()).toBe(0);
    await t.time.advance(1);
    expect(t.decodes()).toBe(1);
    await t.time.advance(240);
    expect(t.decodes()).toBe(3);
    expect(t.ends).toEqual([{ kind: 'code', text: 'PC1:ABC' }]);
    expect(t.frameMs).toEqual([5, 5, 7]);
    expect(t.stream.released).toBe(1);
    expect(t.scan.active).toBe(false);
    expect(t.time.pending).toBe(0);
  });

  it('never decodes two frames at once: a slow decode lowers the rate', async () => {
    let finish: (r: CameraDecodeResult) => void = () => undefined;
    const t = setup({ decode: () => new Promise<CameraDecodeResult>((resolve) => (finish = resolve)) });
    await t.time.advance(120);
    expect(t.decodes()).toBe(1);
    await t.time.advance(600);
    expect(t.decodes()).toBe(1);
    // Only the time limit is waiting: no frame grab is queued behind the busy decoder.
    expect(t.time.pending).toBe(1);
    finish({ ok: false, why: 'no QR code found', ms: 600 });
    await t.time.advance(120);
    expect(t.decodes()).toBe(2);
  });

  it('gives up after the time limit with cameraTimeout and releases the camera', async () => {
    const t = setup();
    await t.time.advance(1200);
    expect(t.ends).toHaveLength(1);
    expect(t.ends[0]).toMatchObject({ kind: 'problem', problem: 'cameraTimeout' });
    expect(t.stream.released).toBe(1);
    expect(t.time.pending).toBe(0);
    // About one decode per 120 ms within the second, never more.
    expect(t.decodes()).toBeGreaterThanOrEqual(7);
    expect(t.decodes()).toBeLessThanOrEqual(9);
  });

  it('a decoder that never answers cannot keep the camera on past the time limit', async () => {
    const t = setup({ decode: () => new Promise<CameraDecodeResult>(() => undefined) });
    await t.time.advance(1000);
    expect(t.ends[0]).toMatchObject({ kind: 'problem', problem: 'cameraTimeout' });
    expect(t.stream.released).toBe(1);
  });

  it('stop() releases the camera once and ends the loop', async () => {
    const t = setup();
    await t.time.advance(300);
    t.scan.stop();
    t.scan.stop();
    expect(t.ends).toEqual([{ kind: 'stopped' }]);
    expect(t.stream.released).toBe(1);
    const decodes = t.decodes();
    await t.time.advance(1000);
    expect(t.decodes()).toBe(decodes);
  });

  it('a camera that opens after stop() is released at once and never read', async () => {
    let resolveOpen: (s: CameraStream) => void = () => undefined;
    const late = new FakeStream();
    const t = setup({ open: () => new Promise<CameraStream>((resolve) => (resolveOpen = resolve)) });
    t.scan.stop();
    resolveOpen(late);
    await t.time.advance(500);
    expect(late.released).toBe(1);
    expect(late.grabs).toBe(0);
    expect(t.running()).toBe(0);
    expect(t.ends).toEqual([{ kind: 'stopped' }]);
  });

  it('reports why the camera could not open', async () => {
    const denied = setup({ open: () => Promise.reject(Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' })) });
    await denied.time.advance(0);
    expect(denied.ends).toEqual([{ kind: 'problem', problem: 'cameraDenied', detail: 'NotAllowedError: Permission denied' }]);
  });

  it('a decoder that fails ends the scan with cameraFailed', async () => {
    const t = setup({ decode: () => Promise.reject(new Error('worker died')) });
    await t.time.advance(120);
    expect(t.ends[0]).toMatchObject({ kind: 'problem', problem: 'cameraFailed', detail: expect.stringMatching(/worker died/) });
    expect(t.stream.released).toBe(1);
  });
});

describe('cameraProblemOf', () => {
  it.each([
    ['NotFoundError', 'cameraMissing'],
    ['OverconstrainedError', 'cameraMissing'],
    ['NotAllowedError', 'cameraDenied'],
    ['SecurityError', 'cameraDenied'],
    ['NotReadableError', 'cameraBusy'],
    ['AbortError', 'cameraBusy'],
    ['TypeError', 'cameraUnsupported'],
    ['SomethingElse', 'cameraFailed'],
  ] as const)('%s -> %s', (name, problem) => {
    expect(cameraProblemOf({ name })).toBe(problem);
  });

  it('anything that is not an error is cameraFailed', () => {
    expect(cameraProblemOf('boom')).toBe('cameraFailed');
    expect(cameraProblemOf(null)).toBe('cameraFailed');
  });
});
