// pccovid-kiosk start: Electron when its binary is present, else the web shell (opening
// Chromium in app mode when installed, else printing the URL to open).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openKioskCore } from '../core/open-kiosk-core.js';
import type { ConfiguredSerialPort } from '../devices/device-manager.js';
import { SerialSpecError, serialFlagsFor, serialPortsFrom } from '../devices/hardware-options.js';
import { attachHardware } from '../devices/kiosk-hardware.js';
import { writeSamplesPage } from '../demo/sample-passes.js';
import { findAppRoot, findElectronBinary, launchElectron } from '../electron/launch.js';
import { moduleLogger } from '../log.js';
import { findChromium, launchChromiumApp } from '../web/launch-browser.js';
import { startWebShell } from '../web/web-shell.js';
import { startSyncFromEnvironment } from './sync-command.js';
import { UsageError, type CliIo } from './output.js';
import { prepareDccSchema } from '../pipeline/decoders/dcc/dcc-schema.js';
import { KIOSK_LEAVE_EXIT_CODE } from '../../common/ipc/contract.js';

export type ShellChoice = 'electron' | 'web';

export interface StartOptions {
  dataDir: string;
  shell: ShellChoice | undefined;
  open: boolean;
  /** An unprovisioned web-shell kiosk decides with the demo authority (false: --no-demo). */
  demo?: boolean;
  port: number;
  /** Serial scanners and readers opened by path (--serial, PCCOVID_SERIAL); USB ones are found alone. */
  serialPorts?: readonly ConfiguredSerialPort[];
}

export function parseSerialPorts(flags: readonly string[] | undefined): ConfiguredSerialPort[] {
  try {
    return serialPortsFrom(flags ?? []);
  } catch (error) {
    if (error instanceof SerialSpecError) throw new UsageError(error.message);
    throw error;
  }
}

export function parseShell(value: string | undefined): ShellChoice | undefined {
  if (value === undefined || value === 'electron' || value === 'web') return value;
  throw new UsageError(`--shell must be "electron" or "web"; got "${value}"`);
}

export function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535; got "${value}"`);
  }
  return port;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => resolve(signal);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * node_modules' better-sqlite3 is built for Node; Electron needs its own build, made once into
 * native/ by build/scripts/electron-native.mjs (which needs network access to Electron's headers).
 */
function ensureElectronSqlite(io: CliIo): boolean {
  const appRoot = findAppRoot();
  const script = join(appRoot, 'build', 'scripts', 'electron-native.mjs');
  if (!existsSync(script)) return true; // an installed package: rebuilt for Electron at packaging
  io.err('Preparing the database driver for Electron (first start only)…');
  const result = spawnSync(process.execPath, [script], { cwd: appRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  return result.status === 0;
}

async function startElectron(binary: string, options: StartOptions, io: CliIo): Promise<number> {
  io.err(`Starting the Electron kiosk (data in ${options.dataDir})`);
  const child = launchElectron(binary, ['--data-dir', options.dataDir, ...serialFlagsFor(options.serialPorts ?? [])]);
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code ?? 0));
    child.on('error', (error) => {
      io.err(`Electron could not start: ${error.message}. Try "pccovid-kiosk start --shell web".`);
      resolve(1);
    });
  });
}

async function startWeb(options: StartOptions, io: CliIo): Promise<number> {
  const logger = moduleLogger('web-shell');
  // A provisioned kiosk syncs in the background with the hub it was provisioned against.
  const core = openKioskCore({ dataDir: options.dataDir, backgroundSync: true, allowDemo: options.demo ?? true });
  const samples = await writeSamplesPage(options.dataDir, core.demoAuthority, core.info().venueName, Date.now());
  const sync = startSyncFromEnvironment(core, io);
  const hardware = attachHardware(core, { logger: moduleLogger('devices'), serialPorts: options.serialPorts ?? [] });
  for (const port of options.serialPorts ?? []) io.err(`Reading scans from the serial port ${port.path}`);
  // Staff leave kiosk mode from the console with the PIN: the kiosk stops as on a signal, with
  // KIOSK_LEAVE_EXIT_CODE (the systemd unit then gives tty1 a login instead of a restart).
  let leave: () => void = () => undefined;
  const left = new Promise<'left'>((resolve) => {
    leave = () => resolve('left');
  });
  const shell = await startWebShell({ core: hardware.core, logger, port: options.port, leaveKiosk: () => leave() });
  // Printed once, at the first start: the technician notes it (it stays in the data directory's settings).
  if (core.consolePinCreated !== null) io.out(`Technician console PIN: ${core.consolePinCreated}`);
  io.out(`Kiosk ready at ${shell.url}`);
  // The EU DCC schema validator compiles now, not at the first DCC of the day.
  setImmediate(prepareDccSchema);
  io.err(`Sample passes to print or open on a phone: ${samples}`);
  if (options.open) {
    const chromium = findChromium();
    if (chromium === null) {
      io.err('Chromium is not installed: open the address above in a browser on this machine.');
    } else {
      const browser = launchChromiumApp(shell.url, { userDataDir: join(options.dataDir, 'chromium-profile'), kiosk: false });
      browser.on('error', (error) => io.err(`Chromium could not start (${error.message}): open the address above in a browser.`));
      browser.on('exit', (code) => {
        if (code !== 0 && code !== null) {
          io.err(`Chromium closed with code ${code} (no display?): open the address above in a browser. The kiosk keeps running.`);
        }
      });
    }
  }
  const signal = await Promise.race([waitForSignal(), left]);
  io.err(signal === 'left' ? 'Staff left kiosk mode (console PIN): stopping the kiosk.' : `Stopping the kiosk (${signal}).`);
  await shell.close();
  await hardware.stop();
  await sync?.stop();
  await core.shutdown();
  return signal === 'left' ? KIOSK_LEAVE_EXIT_CODE : 0;
}

export async function runStart(options: StartOptions, io: CliIo): Promise<number> {
  if (options.shell !== 'web') {
    const binary = findElectronBinary();
    if (binary !== null && ensureElectronSqlite(io)) return startElectron(binary, options, io);
    if (binary !== null) {
      io.err('Electron is installed but its database driver could not be built; starting the web shell instead.');
      if (options.shell === 'electron') return 1;
      return startWeb(options, io);
    }
    if (options.shell === 'electron') {
      io.err(
        "Electron's binary is not installed (its download was skipped or failed). Reinstall with " +
          'network access ("npm install"), or use "pccovid-kiosk start --shell web".',
      );
      return 1;
    }
    io.err("Electron's binary is not installed; starting the web shell instead.");
  }
  return startWeb(options, io);
}
