// Starts the Electron shell from the Node CLI. The electron package's main export is the path
// of its binary when the binary was downloaded at install time, and throws when the download
// was skipped (ELECTRON_SKIP_BINARY_DOWNLOAD) or failed: both mean "use the web shell".
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'pccovid-kiosk';

export function findElectronBinary(fromFile: string = fileURLToPath(import.meta.url)): string | null {
  let binary: unknown;
  try {
    binary = createRequire(fromFile)('electron');
  } catch {
    return null;
  }
  if (typeof binary !== 'string' || binary === '') return null;
  try {
    return statSync(binary).isFile() ? binary : null;
  } catch {
    return null;
  }
}

function isAppRoot(folder: string): boolean {
  const manifest = join(folder, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The folder holding the kiosk's package.json, whose "main" is the Electron entry. */
export function findAppRoot(fromFile: string = fileURLToPath(import.meta.url)): string {
  let folder = dirname(fromFile);
  for (;;) {
    if (isAppRoot(folder)) return folder;
    const parent = dirname(folder);
    if (parent === folder) {
      throw new Error(`The ${PACKAGE_NAME} folder (with its package.json) was not found above ${dirname(fromFile)}; reinstall the kiosk.`);
    }
    folder = parent;
  }
}

export interface LaunchElectronOptions {
  appRoot?: string;
  stdio?: StdioOptions;
}

export function launchElectron(binary: string, args: readonly string[], options: LaunchElectronOptions = {}): ChildProcess {
  const appRoot = options.appRoot ?? findAppRoot();
  const env = { ...process.env };
  // Inherited from a parent Electron tool, this would make the binary behave as plain Node.
  delete env['ELECTRON_RUN_AS_NODE'];
  return spawn(binary, [appRoot, ...args], { stdio: options.stdio ?? 'inherit', env });
}
