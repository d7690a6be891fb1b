import { describe, expect, it } from 'vitest';
import { isAimId, splitAimId } from './aim-id.js';

describe('AIM ids', () => {
  it('splits a leading AIM id off the data', () => {
    expect(splitAimId(']Q1PC1:ABC')).toEqual({ symbology: ']Q1', payload: 'PC1:ABC' });
    expect(splitAimId(']d2010123')).toEqual({ symbology: ']d2', payload: '010123' });
    expect(splitAimId(']L0x')).toEqual({ symbology: ']L0', payload: 'x' });
  });

  it('leaves text without an AIM id alone', () => {
    expect(splitAimId('PC1:ABC')).toEqual({ symbology: null, payload: 'PC1:ABC' });
    expect(splitAimId('')).toEqual({ symbology: null, payload: '' });
    // "]" followed by something that is not a code character and a modifier.
    expect(splitAimId(']1QABC')).toEqual({ symbology: null, payload: ']1QABC' });
    expect(splitAimId(' ]Q1ABC')).toEqual({ symbology: null, payload: ' ]Q1ABC' });
  });

  it('recognises exactly three-character ids', () => {
    expect(isAimId(']Q1')).toBe(true);
    expect(isAimId(']Q')).toBe(false);
    expect(isAimId(']Q1x')).toBe(false);
    expect(isAimId('\u0000\u0000\u0000')).toBe(false);
  });
});
