import { describe, expect, it } from 'vitest';
import { createFrameDecoder, decodeSize } from './camera-browser.js';
import type { CameraFrame } from './camera-scan.js';
import type { CameraWorkerRequest, CameraWorkerResponse } from './camera-worker-protocol.js';

/** A white frame: no code in it, so a page decode answers "not found". */
function blankFrame(): CameraFrame {
  return { width: 64, height: 48, rgba: new Uint8ClampedArray(64 * 48 * 4).fill(255) };
}

/** The Worker surface the decoder uses; messages are answered by the test. */
class FakeWorker {
  readonly posted: { request: CameraWorkerRequest; transfer: Transferable[] }[] = [];
  terminated = false;
  readonly #listeners = new Map<string, ((event: unknown) => void)[]>();

  addEventListener(type: string, listener: (event: unknown) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  postMessage(request: CameraWorkerRequest, transfer: Transferable[]): void {
    this.posted.push({ request, transfer });
  }

  terminate(): void {
    this.terminated = true;
  }

  answer(response: CameraWorkerResponse): void {
    for (const listener of this.#listeners.get('message') ?? []) listener({ data: response });
  }

  fail(message: string): void {
    for (const listener of this.#listeners.get('error') ?? []) listener({ message, preventDefault: () => undefined });
  }
}

describe('createFrameDecoder', () => {
  it('sends frames to the worker, transferring the pixels, and returns its answers by id', async () => {
    const fake = new FakeWorker();
    const decoder = createFrameDecoder('camera-worker.js', () => fake as unknown as Worker);
    expect(decoder.place).toBe('worker');
    const first = decoder.decode(blankFrame());
    const second = decoder.decode(blankFrame());
    expect(fake.posted.map((p) => p.request.id)).toEqual([1, 2]);
    expect(fake.posted[0]?.transfer).toEqual([fake.posted[0]?.request.rgba.buffer]);
    fake.answer({ id: 2, result: { ok: true, text: 'PC1:X', attempt: 'hybrid' }, ms: 4 });
    fake.answer({ id: 1, result: { ok: false, why: 'no QR code found' }, ms: 3 });
    expect(await second).toEqual({ ok: true, text: 'PC1:X', attempt: 'hybrid', ms: 4 });
    expect(await first).toEqual({ ok: false, why: 'no QR code found', ms: 3 });
  });

  it('ignores messages that are not answers', async () => {
    const fake = new FakeWorker();
    const decoder = createFrameDecoder('camera-worker.js', () => fake as unknown as Worker);
    const pending = decoder.decode(blankFrame());
    const answerAnything = fake.answer.bind(fake) as (response: unknown) => void;
    answerAnything('hello');
    answerAnything({ id: 1 });
    fake.answer({ id: 1, result: { ok: false, why: 'x' }, ms: 1 });
    expect(await pending).toMatchObject({ ok: false, why: 'x' });
  });

  it('when the worker fails, frames in flight are answered and later frames are decoded on the page', async () => {
    const fake = new FakeWorker();
    const decoder = createFrameDecoder('camera-worker.js', () => fake as unknown as Worker);
    const inFlight = decoder.decode(blankFrame());
    fake.fail('404');
    expect(await inFlight).toMatchObject({ ok: false, why: expect.stringMatching(/worker failed \(404\)/) });
    expect(fake.terminated).toBe(true);
    expect(decoder.place).toBe('page');
    const here = await decoder.decode(blankFrame());
    expect(here).toMatchObject({ ok: false, why: 'no QR code found' });
    expect(here.ms).toBeGreaterThanOrEqual(0);
    expect(fake.posted).toHaveLength(1);
  });

  it('decodes on the page when no worker can be made', async () => {
    const decoder = createFrameDecoder('camera-worker.js', () => {
      throw new Error('Worker is not defined');
    });
    expect(decoder.place).toBe('page');
    expect(await decoder.decode(blankFrame())).toMatchObject({ ok: false });
  });
});

describe('decodeSize', () => {
  it('caps the longest side at 960 and cycles through four scales, never enlarging', () => {
    expect([0, 1, 2, 3, 4].map((i) => decodeSize(1280, 720, i))).toEqual([
      { width: 960, height: 540 },
      { width: 768, height: 432 },
      { width: 624, height: 351 },
      { width: 864, height: 486 },
      { width: 960, height: 540 },
    ]);
    expect(decodeSize(640, 480, 0)).toEqual({ width: 640, height: 480 });
    expect(decodeSize(640, 480, 1)).toEqual({ width: 512, height: 384 });
    expect(decodeSize(1, 1, 2)).toEqual({ width: 1, height: 1 });
  });
});
