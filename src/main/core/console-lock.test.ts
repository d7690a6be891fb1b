import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createConsoleLock, FREE_ATTEMPTS, newConsolePin } from './console-lock.js';

describe('console lock', () => {
  it('unlocks with the PIN and refuses another', () => {
    const lock = createConsoleLock('123456', () => 0);
    expect(lock.unlock('654321')).toEqual({ result: 'refused', code: 'wrong_pin', retryAfterMs: 0 });
    expect(lock.unlock('123456')).toEqual({ result: 'unlocked' });
  });

  it('locks after the free attempts, refuses even the right PIN meanwhile, and doubles the lock', () => {
    let now = 0;
    const lock = createConsoleLock('123456', () => now);
    for (let i = 1; i < FREE_ATTEMPTS; i++) expect(lock.unlock('000000').result).toBe('refused');
    expect(lock.unlock('000000')).toEqual({ result: 'refused', code: 'rate_limited', retryAfterMs: 30_000 });
    now = 29_999;
    expect(lock.unlock('123456')).toEqual({ result: 'refused', code: 'rate_limited', retryAfterMs: 1 });
    now = 30_000;
    expect(lock.unlock('000000')).toEqual({ result: 'refused', code: 'rate_limited', retryAfterMs: 60_000 });
    now = 90_000;
    expect(lock.unlock('123456')).toEqual({ result: 'unlocked' });
  });

  it('makes 6-digit PINs', () => {
    expect(newConsolePin(() => 42)).toBe('000042');
    expect(newConsolePin(randomInt)).toMatch(/^\d{6}$/);
  });
});
