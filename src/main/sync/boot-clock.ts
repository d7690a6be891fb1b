// The monotonic clock recorded with each check-in: milliseconds since the machine booted
// (CLOCK_MONOTONIC through hrtime) and the boot's id, so the authority can order one device's
// check-ins even when its wall clock was wrong or jumped.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface BootClock {
  bootId: string;
  monotonicMs(): number;
}

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // Not Linux: a process-local id (monotonic times then compare only within one run).
    return `proc-${randomUUID()}`;
  }
}

export function systemBootClock(): BootClock {
  return { bootId: readBootId(), monotonicMs: () => Number(process.hrtime.bigint() / 1000n) / 1000 };
}
