import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { UpdateSettings, UpdateSettingsResult } from './update-settings.js';
import { createUpdateSupervisor, SETTINGS_RECHECK_MS } from './update-supervisor.js';

const PATH = '/var/lib/pccovid-kiosk/update.json';
const settings = (url: string): UpdateSettings => ({
  url,
  policy: { window: { startMinute: 60, endMinute: 300 }, minIdleMs: 20 * 60_000 },
  checkIntervalMs: 6 * 3_600_000,
});

function harness(first: UpdateSettingsResult) {
  const logs: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as { level: number; msg: string }) });
  const state = { file: first, startFails: false };
  const events: string[] = [];
  let tick: (() => void) | null = null;
  let interval = 0;
  let cleared = false;
  const supervisor = createUpdateSupervisor({
    read: () => state.file,
    start: (running) => {
      if (state.startFails) throw new Error('no updater for this installation');
      events.push(`start ${running.url}`);
      return () => events.push(`stop ${running.url}`);
    },
    logger,
    setInterval: (callback, ms) => {
      tick = callback;
      interval = ms;
      return 1;
    },
    clearInterval: () => {
      cleared = true;
    },
  });
  return {
    supervisor,
    state,
    events,
    logs,
    /** The timer firing, as it does every SETTINGS_RECHECK_MS. */
    tick: () => tick?.(),
    interval: () => interval,
    cleared: () => cleared,
  };
}

describe('update supervisor (update.json read again while the kiosk runs)', () => {
  it('starts updates once provisioning writes update.json on a kiosk that is already running', () => {
    const h = harness({ kind: 'not-provisioned', path: PATH });
    h.supervisor.recheck();
    h.tick();
    h.tick();
    expect(h.events).toEqual([]);
    expect(h.supervisor.running()).toBeNull();
    // Said once, not at every read.
    expect(h.logs.filter((line) => line.msg.startsWith('no update server provisioned'))).toHaveLength(1);
    expect(h.interval()).toBe(SETTINGS_RECHECK_MS);

    h.state.file = { kind: 'ok', settings: settings('https://updates.example/kiosk/') };
    h.tick();
    expect(h.events).toEqual(['start https://updates.example/kiosk/']);
    expect(h.supervisor.running()?.url).toBe('https://updates.example/kiosk/');
    // Unchanged settings: the updater is left alone (its own check timer and back-off go on).
    h.tick();
    h.tick();
    expect(h.events).toEqual(['start https://updates.example/kiosk/']);
  });

  it('restarts the updater when the hub moves the fleet to another server, and stops it when updates are taken away', () => {
    const h = harness({ kind: 'ok', settings: settings('https://a.example/') });
    h.supervisor.recheck();
    h.state.file = { kind: 'ok', settings: settings('https://b.example/') };
    h.tick();
    expect(h.events).toEqual(['start https://a.example/', 'stop https://a.example/', 'start https://b.example/']);
    expect(h.logs.map((line) => line.msg)).toContain('update settings changed: fleet updates restarted');
    h.state.file = { kind: 'not-provisioned', path: PATH };
    h.tick();
    expect(h.events.at(-1)).toBe('stop https://b.example/');
    expect(h.supervisor.running()).toBeNull();
    expect(h.logs.map((line) => line.msg)).toContain('update.json is gone: fleet updates off');
  });

  it('stops updates on a damaged file, says what to fix once, and starts again once it is fixed', () => {
    const h = harness({ kind: 'ok', settings: settings('https://a.example/') });
    h.supervisor.recheck();
    h.state.file = { kind: 'invalid', path: PATH, message: `${PATH}: url: must be https.` };
    h.tick();
    h.tick();
    expect(h.events).toEqual(['start https://a.example/', 'stop https://a.example/']);
    const errors = h.logs.filter((line) => line.level === 50);
    expect(errors.map((line) => line.msg)).toEqual([`fleet updates off: ${PATH}: url: must be https.`]);
    h.state.file = { kind: 'ok', settings: settings('https://a.example/') };
    h.tick();
    expect(h.events.at(-1)).toBe('start https://a.example/');
  });

  it('an updater that cannot start is logged once and tried again at the next read', () => {
    const h = harness({ kind: 'ok', settings: settings('https://a.example/') });
    h.state.startFails = true;
    h.supervisor.recheck();
    h.tick();
    expect(h.supervisor.running()).toBeNull();
    expect(h.logs.filter((line) => line.msg === 'fleet updates could not start; the kiosk keeps its version')).toHaveLength(1);
    h.state.startFails = false;
    h.tick();
    expect(h.events).toEqual(['start https://a.example/']);
  });

  it('stop() stops the updater and the timer; later reads do nothing', () => {
    const h = harness({ kind: 'ok', settings: settings('https://a.example/') });
    h.supervisor.recheck();
    h.supervisor.stop();
    expect(h.events).toEqual(['start https://a.example/', 'stop https://a.example/']);
    expect(h.cleared()).toBe(true);
    h.state.file = { kind: 'ok', settings: settings('https://b.example/') };
    h.tick();
    expect(h.events).toHaveLength(2);
  });
});
