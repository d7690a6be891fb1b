import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { markLeftByStaff } from './leave-marker.js';

const logger = () => ({ error: vi.fn() }) as unknown as Parameters<typeof markLeftByStaff>[1];

describe('the leave marker', () => {
  it('is written where the unit says, with the time', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pccovid-leave-')), 'left-by-staff');
    expect(markLeftByStaff({ PCCOVID_LEAVE_MARKER: path }, logger(), () => Date.UTC(2026, 10, 27, 7, 0))).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('2026-11-27T07:00:00.000Z\n');
  });

  it('is not written without the variable (not under systemd)', () => {
    expect(markLeftByStaff({}, logger())).toBe(false);
  });

  it('says so in the log when it cannot be written', () => {
    const log = logger();
    expect(markLeftByStaff({ PCCOVID_LEAVE_MARKER: '/nonexistent-dir/left-by-staff' }, log)).toBe(false);
    expect((log as unknown as { error: ReturnType<typeof vi.fn> }).error).toHaveBeenCalledOnce();
  });
});
