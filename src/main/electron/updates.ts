// Fleet updates in the Electron shell: electron-updater against the generic update server named
// in <data dir>/update.json (update-settings.ts, read again every few minutes by
// update-supervisor.ts), downloading in the background and installing when
// update-controller.ts and update-schedule.ts say so (night, kiosk idle). Nothing here ever
// throws into the kiosk: without settings, outside a packaged app or on any failure, the kiosk
// simply keeps running the version it has, and the reason is in the log.
import { app } from 'electron';
// A static import: the bundle require()s it like the other dependencies, straight from app.asar.
// Loading it has no effect of its own; nothing is asked of Electron until an updater is made.
import { AppImageUpdater, type AppUpdater, DebUpdater, NsisUpdater, type Logger as UpdaterLogger, type UpdateDownloadedEvent } from 'electron-updater';
import type { Logger } from '../log.js';
import { handOffDebUpdate, UpdateHandoffError } from './deb-update-handoff.js';
import { fetchUpdateSignature, signatureUrlFor } from './update-signature.js';
import { createUpdateController, type DownloadedUpdate, type UpdateController } from './update-controller.js';
import { readPackageType, type UpdateInstallKind, updateInstallKind } from './update-install-kind.js';
import { readUpdateSettings, type UpdateSettings } from './update-settings.js';
import { createUpdateSupervisor } from './update-supervisor.js';

/** Set by the deb's systemd unit: where the kiosk hands a downloaded .deb to the root helper. */
export const UPDATE_SPOOL_ENV = 'PCCOVID_UPDATE_SPOOL';

export interface KioskUpdatesOptions {
  dataDir: string;
  logger: Logger;
  /** When the last person was checked in (the check-in log), null when never. */
  lastScanAt(): number | null;
}

function describe(message: unknown): string {
  if (message instanceof Error) return message.message;
  return typeof message === 'string' ? message : String(message);
}

/** electron-updater's own chatter, into our log. Its errors are also emitted as 'error' events, which the controller reports. */
function updaterLogger(log: Logger): UpdaterLogger {
  return {
    info: (message?: unknown) => log.info({ updater: describe(message) }, 'electron-updater'),
    warn: (message?: unknown) => log.warn({ updater: describe(message) }, 'electron-updater'),
    error: (message?: unknown) => log.warn({ updater: describe(message) }, 'electron-updater'),
    debug: (message: string) => log.debug({ updater: message }, 'electron-updater'),
  };
}

function createUpdater(kind: UpdateInstallKind, url: string): AppUpdater {
  const feed = { provider: 'generic' as const, url };
  switch (kind) {
    case 'nsis':
      return new NsisUpdater(feed);
    case 'appimage':
      return new AppImageUpdater(feed);
    case 'deb':
      return new DebUpdater(feed);
    default: {
      const unknownKind: never = kind;
      throw new Error(`no updater for ${String(unknownKind)}`);
    }
  }
}

function installer(kind: UpdateInstallKind, updater: AppUpdater, feedUrl: string, spool: string | undefined): (update: DownloadedUpdate) => Promise<void> {
  if (kind === 'deb') {
    return async (update) => {
      if (spool === undefined || spool === '') {
        throw new Error(`${UPDATE_SPOOL_ENV} is not set: start the kiosk through its systemd unit (pccovid-kiosk.service) to install updates.`);
      }
      if (update.url === null) throw new UpdateHandoffError(`the update server's index names no .deb for ${update.version}, so its signature cannot be fetched`);
      // The root helper installs nothing without the release key's signature: fetched here, checked there.
      const signature = await fetchUpdateSignature(signatureUrlFor(feedUrl, update.url));
      handOffDebUpdate(update.file, signature, spool);
    };
  }
  // NSIS runs silently and starts the new version; the AppImage replaces itself and restarts.
  return () => {
    updater.quitAndInstall(true, true);
    return Promise.resolve();
  };
}

/** The downloaded installer's address in the server's index (latest*.yml): the .deb's for a deb install. */
function packageUrlOf(event: UpdateDownloadedEvent, kind: UpdateInstallKind): string | null {
  const wanted = kind === 'deb' ? '.deb' : kind === 'appimage' ? '.AppImage' : '.exe';
  return event.files.find((file) => file.url.endsWith(wanted))?.url ?? null;
}

/** Starts an updater and its controller with these settings; returns what stops them. Throws if it cannot. */
function startUpdater(kind: UpdateInstallKind, settings: UpdateSettings, options: KioskUpdatesOptions): () => void {
  const log = options.logger;
  const updater = createUpdater(kind, settings.url);
  updater.logger = updaterLogger(log);
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = false;
  updater.autoRunAppAfterInstall = true;
  updater.allowDowngrade = false;
  updater.allowPrerelease = false;
  const controller: UpdateController = createUpdateController({
    settings,
    check: async () => {
      const result = await updater.checkForUpdates();
      // A failed download is reported through the 'error' event; the promise must not go unhandled.
      result?.downloadPromise?.catch(() => undefined);
    },
    install: installer(kind, updater, settings.url, process.env[UPDATE_SPOOL_ENV]),
    lastScanAt: options.lastScanAt,
    now: Date.now,
    utcOffsetMinutes: (nowMs) => -new Date(nowMs).getTimezoneOffset(),
    logger: log,
  });
  updater.on('update-downloaded', (event: UpdateDownloadedEvent) =>
    controller.downloaded({ version: event.version, file: event.downloadedFile, url: packageUrlOf(event, kind) }),
  );
  updater.on('error', (error: Error) => controller.failed(error));
  controller.start();
  return () => {
    controller.stop();
    updater.removeAllListeners();
  };
}

/**
 * Starts the fleet updates for a packaged kiosk that can update itself; returns what stops them.
 * update.json is read now and every few minutes after (update-supervisor.ts): a kiosk provisioned
 * while running, or moved to another update server, follows without a restart.
 */
export function startKioskUpdates(options: KioskUpdatesOptions): () => void {
  const log = options.logger;
  const noop = (): void => undefined;
  if (!app.isPackaged) {
    log.debug('not a packaged app: fleet updates off');
    return noop;
  }
  const kind = updateInstallKind(process.platform, process.env, () => readPackageType(process.resourcesPath));
  if (kind === null) {
    log.warn('this installation cannot update itself (not an NSIS, AppImage or deb install): fleet updates off');
    return noop;
  }
  const supervisor = createUpdateSupervisor({
    read: () => readUpdateSettings(options.dataDir),
    start: (settings) => startUpdater(kind, settings, options),
    logger: log,
    setInterval: (callback, ms) => setInterval(callback, ms),
    clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  });
  supervisor.recheck();
  return () => supervisor.stop();
}
