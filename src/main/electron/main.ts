// The Electron shell (bundled to dist/electron/main.cjs): one kiosk window over the kiosk core.
// Thin on purpose: the core does the work, window-options.ts holds the security settings,
// register-ipc.ts the contract.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage } from 'electron';
import type { KioskCore } from '../core/kiosk-core.js';
import { openKioskCore, type OpenedKiosk } from '../core/open-kiosk-core.js';
import { startSyncFromEnvironment } from '../cli/sync-command.js';
import type { SyncClient } from '../sync/sync-client.js';
import { serialPortsFromArgv } from '../devices/hardware-options.js';
import { attachHardware } from '../devices/kiosk-hardware.js';
import { moduleLogger } from '../log.js';
import { parseElectronArgs } from './args.js';
import { safeStorageProtector } from './safe-storage-protector.js';
import { blockKioskShortcuts, runSingleInstance } from './kiosk-lock.js';
import { isRendererFileSender, registerIpcHandlers } from './register-ipc.js';
import { startKioskUpdates } from './updates.js';
import { hardenWebContents, kioskPageUrl, kioskWindowOptions } from './window-options.js';
import { prepareDccSchema } from '../pipeline/decoders/dcc/dcc-schema.js';
import { KIOSK_LEAVE_EXIT_CODE } from '../../common/ipc/contract.js';
import { markLeftByStaff } from './leave-marker.js';

const logger = moduleLogger('electron');
const RELOAD_AFTER_CRASH_MS = 1000;

/** Says what went wrong on screen (nobody reads a kiosk's log at the door) and quits. */
function fail(message: string, error: unknown): void {
  logger.fatal({ err: error }, message);
  dialog.showErrorBox('PC-Covid Checkpoint', `${message}\n\n${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
}

/**
 * In development node_modules holds better-sqlite3 built for Node; `pccovid-kiosk start` builds
 * a copy for Electron's ABI into native/ (build/scripts/electron-native.mjs). Packaged apps
 * are rebuilt for Electron by electron-builder and have no such file.
 */
function electronSqliteBinding(appRoot: string): string | undefined {
  const path = join(appRoot, 'native', `electron-${process.versions.electron ?? ''}`, 'better_sqlite3.node');
  return existsSync(path) ? path : undefined;
}

function openCore(dataDir: string, appRoot: string, allowDemo: boolean): OpenedKiosk | null {
  try {
    const sqliteBinding = electronSqliteBinding(appRoot);
    // Provisioned: syncs in the background, private keys wrapped by the OS keyring when there is one.
    // Unprovisioned: a packaged kiosk decides nothing until a technician provisions it (or --demo).
    const options = { dataDir, backgroundSync: true, allowDemo, keyProtector: safeStorageProtector(safeStorage) };
    return openKioskCore(sqliteBinding === undefined ? options : { ...options, sqliteBinding });
  } catch (error) {
    fail(`The kiosk could not open its data folder ${dataDir}. Check that the disk is present and writable, then restart the kiosk.`, error);
    return null;
  }
}

function start(): void {
  const args = parseElectronArgs(process.argv);
  let core: KioskCore | null = null;
  let disposeIpc: (() => void) | null = null;
  let window: BrowserWindow | null = null;
  let stopUpdates: (() => void) | null = null;
  let sync: SyncClient | null = null;

  // Every webContents ever created (not only the kiosk window's) gets the same lock-down; only
  // the kiosk page itself may have the camera (the camera fallback).
  const pageUrl = kioskPageUrl(app.getAppPath());
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, logger, pageUrl));

  app.on('second-instance', () => {
    if (window === null || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  let leavingKiosk = false;
  app.on('window-all-closed', () => app.quit());

  app.on('will-quit', () => {
    void sync?.stop();
    sync = null;
    stopUpdates?.();
    stopUpdates = null;
    disposeIpc?.();
    disposeIpc = null;
    core?.close();
    core = null;
    if (leavingKiosk) app.exit(KIOSK_LEAVE_EXIT_CODE);
  });

  app
    .whenReady()
    .then(async () => {
      const appRoot = app.getAppPath();
      const dataDir = args.dataDir ?? app.getPath('userData');
      const opened = openCore(dataDir, appRoot, args.demo || !app.isPackaged);
      if (opened === null) return;
      // Scanners: the core the window talks to also submits hardware scans and lists devices.
      const hardware = attachHardware(opened, { logger: moduleLogger('devices'), serialPorts: serialPortsFromArgv(process.argv, process.env, logger) });
      core = hardware.core;
      // The EU DCC schema validator compiles now, not at the first DCC of the day.
      setImmediate(prepareDccSchema);
      // Fleet updates (<data dir>/update.json): downloaded in the background, installed at night while idle.
      const checkins = hardware.core;
      // Check-ins upload in the background when a hub is configured (PCCOVID_HUB_URL until provisioning sets it).
      sync = startSyncFromEnvironment(opened, { out: (text) => logger.info(text), err: (text) => logger.info(text) });
      stopUpdates = startKioskUpdates({ dataDir, logger: moduleLogger('updates'), lastScanAt: () => checkins.recentCheckins(1)[0]?.at ?? null });
      const indexPath = join(appRoot, 'dist', 'renderer', 'index.html');
      const win = new BrowserWindow(
        kioskWindowOptions({ dev: args.dev, preloadPath: join(appRoot, 'dist', 'electron', 'preload.cjs') }),
      );
      window = win;
      // No keyboard way out of a locked kiosk (reload, devtools, close, quit); --dev keeps them.
      if (!args.dev) blockKioskShortcuts(win.webContents, (input) => logger.warn({ key: input.key }, 'blocked a kiosk shortcut'));
      // Staff leave kiosk mode only from the console with the PIN (kiosk:leave): the app writes the
      // unit's marker (no restart, tty1 gets a login) and quits with KIOSK_LEAVE_EXIT_CODE.
      const leaveKiosk = (): void => {
        logger.warn('staff left kiosk mode with the console PIN');
        markLeftByStaff(process.env, logger);
        leavingKiosk = true;
        app.quit();
      };
      disposeIpc = registerIpcHandlers(ipcMain, hardware.core, logger, isRendererFileSender(pathToFileURL(indexPath).href), win.webContents, { leaveKiosk });
      win.once('ready-to-show', () => win.show());
      win.on('closed', () => {
        disposeIpc?.();
        disposeIpc = null;
        window = null;
      });
      // A kiosk has nobody to click "reload": bring the screen back by itself.
      win.webContents.on('render-process-gone', (_event, details) => {
        logger.error({ reason: details.reason, exitCode: details.exitCode }, 'the kiosk screen crashed; reloading it');
        setTimeout(() => {
          if (!win.isDestroyed()) void win.loadFile(indexPath);
        }, RELOAD_AFTER_CRASH_MS);
      });
      await win.loadFile(indexPath);
    })
    .catch((error: unknown) => fail('The kiosk window could not start. Run "npm run build", then restart the kiosk.', error));
}

// A second kiosk on the same data would fight over the scanner and the database.
runSingleInstance(app, start);
