// One data directory holds all of a kiosk's state: --data-dir, else PCCOVID_DATA_DIR, else the
// OS user data folder (the same path Electron's app.getPath('userData') gives this app).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_DIR_NAME = 'pccovid-kiosk';

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  switch (platform) {
    case 'win32':
      return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return join(env['XDG_CONFIG_HOME'] ?? join(home, '.config'), APP_DIR_NAME);
  }
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env['PCCOVID_DATA_DIR'];
  return chosen !== undefined && chosen !== '' ? resolve(chosen) : defaultDataDir(process.platform, env);
}

/** Creates the directory readable by the kiosk user only. */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}
