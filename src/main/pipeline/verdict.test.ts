import { describe, expect, it } from 'vitest';
import { maskName, unreadableVerdict } from './verdict.js';

describe('verdict stage', () => {
  it.each([
    ['Trần Thị Bích Ngọc', 'T*** T** B*** N***'],
    ['Nguyễn  Văn An', 'N***** V** A*'],
    ['Nguyễn'.normalize('NFD'), 'N*****'],
    ['Đỗ', 'Đ*'],
    ['', ''],
  ])('masks %j as %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('marks an unreadable scan as a deny that is not readable', () => {
    expect(unreadableVerdict({ code: 'base45_invalid' }, 5)).toEqual({
      outcome: 'deny',
      readable: false,
      reasons: [{ code: 'base45_invalid' }],
      credentialKind: null,
      holder: null,
      status: null,
      decidedAt: 5,
    });
  });
});
