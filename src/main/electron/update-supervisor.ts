// Keeps the fleet updates in step with <data dir>/update.json while the kiosk runs: provisioning
// writes the file (the wizard, on a kiosk that was already running), the hub may move the fleet
// to another update server or night window, or take updates away. The file is read again every
// few minutes; a change starts, restarts or stops the updater (update-controller.ts) without a
// restart of the kiosk. A file that cannot be used stops updates and says once what to fix; the
// same problem is not logged again at every read.
import type { Logger } from '../log.js';
import type { UpdateSettings, UpdateSettingsResult } from './update-settings.js';

/** How often update.json is read again. */
export const SETTINGS_RECHECK_MS = 5 * 60_000;

export interface UpdateSupervisorDeps {
  read(): UpdateSettingsResult;
  /** Starts updates with these settings; returns what stops them. Throwing means "could not start" (logged). */
  start(settings: UpdateSettings): () => void;
  logger: Logger;
  setInterval(callback: () => void, ms: number): { unref?(): unknown } | number;
  clearInterval(handle: { unref?(): unknown } | number): void;
}

export interface UpdateSupervisor {
  /** Reads update.json now and acts on a change (also called by the timer). */
  recheck(): void;
  /** The settings updates run with now, or null when they are off. */
  running(): UpdateSettings | null;
  stop(): void;
}

function sameSettings(a: UpdateSettings, b: UpdateSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function createUpdateSupervisor(deps: UpdateSupervisorDeps): UpdateSupervisor {
  const log = deps.logger;
  let current: { settings: UpdateSettings; stop: () => void } | null = null;
  /** What was last said about the file, so an unchanged state is not logged at every read. */
  let lastSaid = '';
  let stopped = false;

  const say = (key: string, write: () => void): void => {
    if (key === lastSaid) return;
    lastSaid = key;
    write();
  };

  const stopCurrent = (): void => {
    const running = current;
    current = null;
    if (running === null) return;
    try {
      running.stop();
    } catch (error) {
      log.error({ err: error }, 'the updater did not stop cleanly');
    }
  };

  const recheck = (): void => {
    if (stopped) return;
    const read = deps.read();
    switch (read.kind) {
      case 'not-provisioned':
        if (current !== null) log.info({ path: read.path }, 'update.json is gone: fleet updates off');
        else say(`none:${read.path}`, () => log.info({ path: read.path }, 'no update server provisioned: fleet updates off until provisioning writes update.json'));
        stopCurrent();
        lastSaid = `none:${read.path}`;
        return;
      case 'invalid':
        say(`invalid:${read.message}`, () => log.error({ path: read.path }, `fleet updates off: ${read.message}`));
        stopCurrent();
        return;
      case 'ok':
        break;
      default: {
        const unknownResult: never = read;
        return unknownResult;
      }
    }
    const settings = read.settings;
    if (current !== null && sameSettings(current.settings, settings)) return;
    const restarting = current !== null;
    stopCurrent();
    try {
      current = { settings, stop: deps.start(settings) };
      lastSaid = `ok:${JSON.stringify(settings)}`;
      log.info({ url: settings.url, checkEveryMs: settings.checkIntervalMs }, restarting ? 'update settings changed: fleet updates restarted' : 'fleet updates on');
    } catch (error) {
      say(`failed:${JSON.stringify(settings)}`, () => log.error({ err: error }, 'fleet updates could not start; the kiosk keeps its version'));
    }
  };

  const timer = deps.setInterval(recheck, SETTINGS_RECHECK_MS);
  if (typeof timer === 'object') timer.unref?.();

  return {
    recheck,
    running: () => current?.settings ?? null,
    stop() {
      stopped = true;
      deps.clearInterval(timer);
      stopCurrent();
    },
  };
}
