// Drives the fleet updates: checks the update server now and then (downloads run in the
// background), and installs a downloaded update only when decideInstall says so (night, idle).
// Every failure — server unreachable, download cut, installer refused — is logged and retried
// later with back-off; none reaches the screen, and the running version stays until an install
// succeeds. electron-updater itself is injected (updates.ts), so this is tested with fakes.
import type { Logger } from '../log.js';
import { backoffDelayMs, type BackoffPolicy } from '../sync/backoff.js';
import { decideInstall } from './update-schedule.js';
import type { UpdateSettings } from './update-settings.js';

const MINUTE_MS = 60_000;

export interface DownloadedUpdate {
  version: string;
  /** The verified installer electron-updater downloaded. */
  file: string;
  /** Its address on the update server, as the server's index names it (relative to its base); null when unknown. */
  url: string | null;
}

export interface UpdateControllerDeps {
  settings: UpdateSettings;
  /** Asks the server for a newer version; electron-updater then downloads it by itself. Rejects when the check fails. */
  check(): Promise<void>;
  /** Hands a downloaded update over for installation; resolves once handed over, rejects if it could not be. */
  install(update: DownloadedUpdate): Promise<void>;
  /** When the last person was checked in (ms since the epoch), null when never. */
  lastScanAt(): number | null;
  now(): number;
  utcOffsetMinutes(nowMs: number): number;
  logger: Logger;
  random?: () => number;
}

export interface UpdateController {
  start(): void;
  /** electron-updater's 'update-downloaded'. */
  downloaded(update: DownloadedUpdate): void;
  /** electron-updater's 'error' (a failed check or download). */
  failed(error: unknown): void;
  stop(): void;
}

/** The first check waits a little, spread over ten minutes: a fleet back from a power cut does not knock all at once. */
export const FIRST_CHECK_DELAY_MS = 2 * MINUTE_MS;
export const FIRST_CHECK_SPREAD_MS = 10 * MINUTE_MS;
export const CHECK_RETRY: BackoffPolicy = { baseMs: 2 * MINUTE_MS, maxMs: 6 * 60 * MINUTE_MS };
export const MIN_CHECK_RETRY_MS = 30_000;
/**
 * A hand-over that did not end in a restart (installer refused, helper missing) is tried again,
 * less and less often; at least an hour later, so an install still running is not disturbed.
 */
export const INSTALL_RETRY: BackoffPolicy = { baseMs: 30 * MINUTE_MS, maxMs: 24 * 60 * MINUTE_MS };
export const MIN_INSTALL_RETRY_MS = 60 * MINUTE_MS;
/** The install decision is re-read at least this often: the wall clock may jump (NTP after boot). */
export const MAX_EVALUATION_WAIT_MS = 15 * MINUTE_MS;

export function createUpdateController(deps: UpdateControllerDeps): UpdateController {
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  let stopped = false;
  let checking = false;
  let checkFailures = 0;
  let installAttempts = 0;
  let ready: DownloadedUpdate | null = null;
  let checkTimer: ReturnType<typeof setTimeout> | null = null;
  let installTimer: ReturnType<typeof setTimeout> | null = null;

  function scheduleCheck(delayMs: number): void {
    if (stopped) return;
    if (checkTimer !== null) clearTimeout(checkTimer);
    checkTimer = setTimeout(() => {
      checkTimer = null;
      void runCheck();
    }, delayMs);
    checkTimer.unref();
  }

  function scheduleEvaluation(delayMs: number): void {
    if (stopped) return;
    if (installTimer !== null) clearTimeout(installTimer);
    installTimer = setTimeout(() => {
      installTimer = null;
      void evaluate();
    }, delayMs);
    installTimer.unref();
  }

  function retryCheckLater(error: unknown): void {
    checkFailures += 1;
    const delay = Math.max(MIN_CHECK_RETRY_MS, backoffDelayMs(CHECK_RETRY, checkFailures, random));
    log.warn({ err: error, attempt: checkFailures, retryInMs: delay }, 'update check or download failed; the kiosk keeps its version and tries again later');
    scheduleCheck(delay);
  }

  async function runCheck(): Promise<void> {
    if (stopped || checking) return;
    checking = true;
    try {
      await deps.check();
      checkFailures = 0;
      const interval = deps.settings.checkIntervalMs;
      scheduleCheck(Math.round(interval * (0.9 + 0.2 * random())));
    } catch (error) {
      retryCheckLater(error);
    } finally {
      checking = false;
    }
  }

  async function evaluate(): Promise<void> {
    const update = ready;
    if (stopped || update === null) return;
    let lastScanAt: number | null;
    try {
      lastScanAt = deps.lastScanAt();
    } catch (error) {
      // Without the log we cannot know whether someone is at the door: ask again later.
      log.warn({ err: error }, 'could not read the time of the last scan; not installing the update now');
      scheduleEvaluation(MAX_EVALUATION_WAIT_MS);
      return;
    }
    const nowMs = deps.now();
    const decision = decideInstall({ nowMs, utcOffsetMinutes: deps.utcOffsetMinutes(nowMs) }, lastScanAt, deps.settings.policy);
    if (!decision.install) {
      scheduleEvaluation(Math.min(Math.max(decision.retryInMs, MINUTE_MS), MAX_EVALUATION_WAIT_MS));
      return;
    }
    installAttempts += 1;
    try {
      log.info({ version: update.version, attempt: installAttempts }, 'installing the downloaded update (night, kiosk idle)');
      await deps.install(update);
    } catch (error) {
      log.error({ err: error, version: update.version, attempt: installAttempts }, 'the update could not be installed; the kiosk keeps its version and tries again later');
    }
    // Still running: either the installer has not restarted the kiosk yet, or it failed.
    scheduleEvaluation(Math.max(MIN_INSTALL_RETRY_MS, backoffDelayMs(INSTALL_RETRY, installAttempts, random)));
  }

  return {
    start() {
      log.info({ url: deps.settings.url }, 'fleet updates on');
      scheduleCheck(FIRST_CHECK_DELAY_MS + Math.round(random() * FIRST_CHECK_SPREAD_MS));
    },
    downloaded(update) {
      if (stopped) return;
      if (ready?.version === update.version) {
        // Found again in the cache by a later check: the install schedule already runs.
        ready = update;
        return;
      }
      installAttempts = 0;
      ready = update;
      log.info({ version: update.version }, 'update downloaded; it will be installed at night while the kiosk is idle');
      scheduleEvaluation(0);
    },
    failed(error) {
      // A failed check also rejects check(), whose handler retries: count it once.
      if (stopped || checking) return;
      retryCheckLater(error);
    },
    stop() {
      stopped = true;
      if (checkTimer !== null) clearTimeout(checkTimer);
      if (installTimer !== null) clearTimeout(installTimer);
      checkTimer = null;
      installTimer = null;
    },
  };
}
