// The Electron shell's own command-line options, read from process.argv. Electron and Chromium
// put their own switches there too; anything not ours is left alone.
import { resolve } from 'node:path';

export interface ElectronShellArgs {
  /** From --data-dir or PCCOVID_DATA_DIR; null means Electron's userData folder. */
  dataDir: string | null;
  /** --dev: a normal window with devtools instead of the locked kiosk. */
  dev: boolean;
  /** --demo: an unprovisioned packaged kiosk decides with the demo authority (shows "demo"). */
  demo: boolean;
}

export function parseElectronArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ElectronShellArgs {
  let dataDir: string | null = null;
  let dev = false;
  let demo = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dev') dev = true;
    else if (arg === '--demo') demo = true;
    else if (arg === '--data-dir') {
      const value = argv[i + 1];
      if (value !== undefined && value !== '' && !value.startsWith('--')) {
        dataDir = value;
        i += 1;
      }
    } else if (arg?.startsWith('--data-dir=') === true) {
      const value = arg.slice('--data-dir='.length);
      if (value !== '') dataDir = value;
    }
  }
  const fromEnv = env['PCCOVID_DATA_DIR'];
  if (dataDir === null && fromEnv !== undefined && fromEnv !== '') dataDir = fromEnv;
  return { dataDir: dataDir === null ? null : resolve(dataDir), dev, demo };
}
