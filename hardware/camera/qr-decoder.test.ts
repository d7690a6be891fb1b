import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPng } from './png.js';
import { CAMERA_ATTEMPTS, decodeQrFromLuminance, decodeQrFromRgba } from '../../src/common/camera/qr-decoder.js';

const FIXTURES = new URL('../../test/fixtures/dcc/', import.meta.url);

describe('camera QR decoder', () => {
  it('reads a DCC QR image to exactly its PREFIX', () => {
    const png = readPng(readFileSync(new URL('AT/png/1.png', FIXTURES)));
    if (!png.ok) throw new Error(png.why);
    const { PREFIX } = JSON.parse(readFileSync(new URL('AT/2DCode/raw/1.json', FIXTURES), 'utf8')) as { PREFIX: string };
    const result = decodeQrFromRgba(png.image.rgba, png.image.width, png.image.height);
    expect(result.ok && result.text).toBe(PREFIX);
  });

  it('makes only the attempts asked for (the camera asks for the two binarizers)', () => {
    const png = readPng(readFileSync(new URL('AT/png/1.png', FIXTURES)));
    if (!png.ok) throw new Error(png.why);
    const { rgba, width, height } = png.image;
    expect(decodeQrFromRgba(rgba, width, height, { attempts: CAMERA_ATTEMPTS })).toMatchObject({ ok: true, attempt: 'hybrid' });
    expect(decodeQrFromRgba(rgba, width, height, { attempts: ['global'] })).toMatchObject({ ok: true, attempt: 'global' });
    expect(decodeQrFromRgba(rgba, width, height, { attempts: [] })).toEqual({ ok: false, why: 'no QR code found' });
  });

  it('says why when there is no code, the buffer is wrong or the image is too small', () => {
    expect(decodeQrFromLuminance({ width: 100, height: 100, luminance: new Uint8ClampedArray(10_000).fill(255) })).toMatchObject({ ok: false });
    expect(decodeQrFromRgba(new Uint8Array(10), 100, 100)).toMatchObject({ ok: false, why: expect.stringMatching(/size/) });
    expect(decodeQrFromLuminance({ width: 5, height: 5, luminance: new Uint8ClampedArray(25) })).toMatchObject({ ok: false });
    expect(readPng(new Uint8Array([1, 2, 3]))).toMatchObject({ ok: false });
  });
});
