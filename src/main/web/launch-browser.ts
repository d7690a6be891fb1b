// Opens the web shell's screen in Chromium as an app window (or full kiosk), with a profile of
// its own and no background traffic: the kiosk must work with no network at all.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const CHROMIUM_PATH_ENV = 'PCCOVID_CHROMIUM';
const WELL_KNOWN_PATHS: readonly string[] = ['/usr/bin/chromium'];
const PATH_NAMES: readonly string[] = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export interface FindChromiumEnv {
  env?: NodeJS.ProcessEnv;
  isExecutable?: (path: string) => boolean;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** PCCOVID_CHROMIUM, then /usr/bin/chromium, then chromium, chromium-browser or Chrome on PATH. */
export function findChromium(options: FindChromiumEnv = {}): string | null {
  const env = options.env ?? process.env;
  const isExecutable = options.isExecutable ?? isExecutableFile;
  const configured = env[CHROMIUM_PATH_ENV];
  if (configured !== undefined && configured !== '') {
    // An explicit choice that does not work is not silently replaced by another browser.
    return isExecutable(configured) ? configured : null;
  }
  for (const path of WELL_KNOWN_PATHS) if (isExecutable(path)) return path;
  const folders = (env['PATH'] ?? '').split(delimiter).filter((folder) => folder !== '');
  for (const name of PATH_NAMES) {
    for (const folder of folders) {
      const candidate = join(folder, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

export interface ChromiumAppOptions {
  /** A profile folder for the kiosk alone (never the person's own browser profile). */
  userDataDir: string;
  /** Full-screen kiosk mode; otherwise an app window. */
  kiosk: boolean;
  /** The browser to run; found with findChromium() when absent. */
  chromiumPath?: string;
}

export function chromiumAppArgs(url: string, options: Pick<ChromiumAppOptions, 'userDataDir' | 'kiosk'>): string[] {
  return [
    `--app=${url}`,
    ...(options.kiosk ? ['--kiosk'] : []),
    `--user-data-dir=${options.userDataDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-translate',
    '--password-store=basic',
  ];
}

export class ChromiumNotFoundError extends Error {
  readonly code = 'chromium_not_found';
  constructor() {
    super(
      `No Chromium or Chrome was found. Install the chromium package, or set ${CHROMIUM_PATH_ENV} ` +
        'to the browser\'s path, or open the printed address in a browser yourself.',
    );
    this.name = 'ChromiumNotFoundError';
  }
}

export function launchChromiumApp(url: string, options: ChromiumAppOptions): ChildProcess {
  const chromium = options.chromiumPath ?? findChromium();
  if (chromium === null) throw new ChromiumNotFoundError();
  return spawn(chromium, chromiumAppArgs(url, options), { stdio: 'ignore' });
}
