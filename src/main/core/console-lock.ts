// The technician console's PIN check. Wrong PINs are rate-limited: after FREE_ATTEMPTS, each
// further failure locks the console for twice as long as the last (from 30 s, at most 1 h);
// a right PIN during a lock is refused too, so guessing cannot outrun the lock.
import { timingSafeEqual } from 'node:crypto';
import type { ConsoleUnlockResult } from '../../common/ipc/contract.js';

export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_MS = 30_000;
const MAX_LOCK_MS = 3_600_000;

export interface ConsoleLock {
  unlock(pin: string): ConsoleUnlockResult;
}

export function createConsoleLock(pin: string, now: () => number): ConsoleLock {
  const expected = Buffer.from(pin, 'utf8');
  let failures = 0;
  let lockedUntil = 0;
  return {
    unlock(candidate) {
      const at = now();
      if (at < lockedUntil) return { result: 'refused', code: 'rate_limited', retryAfterMs: lockedUntil - at };
      const given = Buffer.from(candidate, 'utf8');
      if (given.length === expected.length && timingSafeEqual(given, expected)) {
        failures = 0;
        return { result: 'unlocked' };
      }
      failures += 1;
      if (failures < FREE_ATTEMPTS) return { result: 'refused', code: 'wrong_pin', retryAfterMs: 0 };
      const lockMs = Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_ATTEMPTS));
      lockedUntil = at + lockMs;
      return { result: 'refused', code: 'rate_limited', retryAfterMs: lockMs };
    },
  };
}

/** A fresh 6-digit PIN for a new kiosk (printed once by the CLI at first start). */
export function newConsolePin(randomInt: (max: number) => number): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}
