import { describe, expect, it } from 'vitest';
import { cachedPerOwner } from './per-owner-cache.js';

describe('cachedPerOwner', () => {
  it('makes a value once per owner and key', () => {
    const owner = {};
    let made = 0;
    const make = (): number => ++made;
    expect(cachedPerOwner(owner, 'a', make)).toBe(1);
    expect(cachedPerOwner(owner, 'a', make)).toBe(1);
    expect(cachedPerOwner(owner, 'b', make)).toBe(2);
    expect(cachedPerOwner({}, 'a', make)).toBe(3);
  });
});
