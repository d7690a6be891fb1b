import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CHECK_RETRY,
  createUpdateController,
  type DownloadedUpdate,
  FIRST_CHECK_DELAY_MS,
  FIRST_CHECK_SPREAD_MS,
  MIN_INSTALL_RETRY_MS,
  type UpdateController,
} from './update-controller.js';
import type { UpdateSettings } from './update-settings.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const VIETNAM = 7 * 60;
/** 2024-03-10 at hh:00 in Hanoi. */
const hanoi = (hour: number): number => Date.UTC(2024, 2, 10, hour - 7);

const settings: UpdateSettings = {
  url: 'https://updates.example/kiosk/',
  policy: { window: { startMinute: 60, endMinute: 5 * 60 }, minIdleMs: 20 * MINUTE },
  checkIntervalMs: 6 * HOUR,
};
const UPDATE: DownloadedUpdate = { version: '0.2.0', file: '/var/lib/pccovid-kiosk/.cache/pccovid-kiosk-updater/pending/k.deb', url: 'pccovid-kiosk_0.2.0_amd64.deb' };

interface LogLine {
  level: number;
  msg: string;
  version?: string;
}

function harness(options: { checkFails?: boolean; installFails?: boolean; lastScanAt?: () => number | null } = {}) {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });
  const calls = { checks: 0, installs: [] as DownloadedUpdate[] };
  let controller: UpdateController | null = null;
  const state = { checkFails: options.checkFails ?? false, installFails: options.installFails ?? false };
  controller = createUpdateController({
    settings,
    check: () => {
      calls.checks += 1;
      if (state.checkFails) {
        const error = new Error('getaddrinfo ENOTFOUND updates.example');
        // electron-updater emits 'error' and also rejects the check: both must count as one failure.
        controller?.failed(error);
        return Promise.reject(error);
      }
      return Promise.resolve();
    },
    install: (update) => {
      calls.installs.push(update);
      return state.installFails ? Promise.reject(new Error('dpkg refused the package')) : Promise.resolve();
    },
    lastScanAt: options.lastScanAt ?? (() => null),
    now: () => Date.now(),
    utcOffsetMinutes: () => VIETNAM,
    logger,
    random: () => 0.5,
  });
  return { controller, calls, logs, state };
}

describe('update controller', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(hanoi(10));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks first a few minutes after start (spread), then every check interval', async () => {
    const { controller, calls } = harness();
    controller.start();
    await vi.advanceTimersByTimeAsync(FIRST_CHECK_DELAY_MS);
    expect(calls.checks).toBe(0);
    await vi.advanceTimersByTimeAsync(FIRST_CHECK_SPREAD_MS / 2);
    expect(calls.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(settings.checkIntervalMs - MINUTE);
    expect(calls.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(calls.checks).toBe(2);
    controller.stop();
  });

  it('retries a failed check with growing back-off, counting each failure once, and logs it as a warning', async () => {
    const { controller, calls, logs, state } = harness({ checkFails: true });
    controller.start();
    await vi.advanceTimersByTimeAsync(FIRST_CHECK_DELAY_MS + FIRST_CHECK_SPREAD_MS / 2);
    expect(calls.checks).toBe(1);
    // attempt 1: half (random 0.5) of the base delay; attempt 2: half of twice the base.
    await vi.advanceTimersByTimeAsync(CHECK_RETRY.baseMs / 2);
    expect(calls.checks).toBe(2);
    await vi.advanceTimersByTimeAsync(CHECK_RETRY.baseMs - 1);
    expect(calls.checks).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.checks).toBe(3);
    const warnings = logs.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]?.msg).toMatch(/keeps its version and tries again later/);
    expect(logs.filter((line) => line.level >= 50)).toEqual([]);

    // Back online: the next check succeeds and the normal interval resumes.
    state.checkFails = false;
    await vi.advanceTimersByTimeAsync(2 * CHECK_RETRY.baseMs);
    expect(calls.checks).toBe(4);
    await vi.advanceTimersByTimeAsync(settings.checkIntervalMs);
    expect(calls.checks).toBe(5);
    controller.stop();
  });

  it('retries after a download that failed outside a check', async () => {
    const { controller, calls } = harness();
    controller.start();
    await vi.advanceTimersByTimeAsync(FIRST_CHECK_DELAY_MS + FIRST_CHECK_SPREAD_MS);
    expect(calls.checks).toBe(1);
    controller.failed(new Error('download cut: ECONNRESET'));
    await vi.advanceTimersByTimeAsync(CHECK_RETRY.baseMs);
    expect(calls.checks).toBe(2);
    controller.stop();
  });

  it('downloads by day but installs only at night', async () => {
    const { controller, calls } = harness();
    controller.start();
    controller.downloaded(UPDATE);
    await vi.advanceTimersByTimeAsync(14 * HOUR); // 10:00 -> 00:00
    expect(calls.installs).toEqual([]);
    await vi.advanceTimersByTimeAsync(HOUR + 15 * MINUTE); // 01:15
    expect(calls.installs).toEqual([UPDATE]);
    controller.stop();
  });

  it('waits at night until nobody has been checked in for a while', async () => {
    vi.setSystemTime(hanoi(2));
    let lastScan = Date.now() - 5 * MINUTE;
    const { controller, calls } = harness({ lastScanAt: () => lastScan });
    controller.start();
    controller.downloaded(UPDATE);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(calls.installs).toEqual([]);
    // Someone else scans: the wait starts again from that scan.
    lastScan = Date.now();
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(calls.installs).toEqual([]);
    await vi.advanceTimersByTimeAsync(6 * MINUTE);
    expect(calls.installs).toEqual([UPDATE]);
    controller.stop();
  });

  it('logs a failed install as an error, keeps running and tries again later, never throwing', async () => {
    vi.setSystemTime(hanoi(2));
    const { controller, calls, logs } = harness({ installFails: true });
    controller.start();
    controller.downloaded(UPDATE);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.installs).toHaveLength(1);
    const errors = logs.filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ version: '0.2.0' });
    expect(errors[0]?.msg).toMatch(/could not be installed; the kiosk keeps its version/);
    await vi.advanceTimersByTimeAsync(MIN_INSTALL_RETRY_MS - 1);
    expect(calls.installs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(calls.installs).toHaveLength(2);
    controller.stop();
  });

  it('does not install when the time of the last scan cannot be read', async () => {
    vi.setSystemTime(hanoi(2));
    const { controller, calls } = harness({
      lastScanAt: () => {
        throw new Error('database is closed');
      },
    });
    controller.start();
    controller.downloaded(UPDATE);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(calls.installs).toEqual([]);
    controller.stop();
  });

  it('does nothing more once stopped', async () => {
    vi.setSystemTime(hanoi(2));
    const { controller, calls } = harness();
    controller.start();
    controller.stop();
    controller.downloaded(UPDATE);
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(calls).toEqual({ checks: 0, installs: [] });
  });
});
