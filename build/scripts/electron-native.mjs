// Builds better-sqlite3's native addon for the installed Electron's ABI into
// native/electron-<version>/better_sqlite3.node, leaving node_modules built for Node (the CLI,
// the web shell and the tests use it). The Electron shell passes that file to better-sqlite3
// as its nativeBinding. Needs network access to Electron's headers, so it runs on a developer
// machine when `pccovid-kiosk start` first opens Electron; packaged apps are rebuilt by
// electron-builder instead and do not use it.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function electronVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

export function electronSqliteBinding(version = electronVersion()) {
  return join(root, 'native', `electron-${version}`, 'better_sqlite3.node');
}

export async function buildElectronSqlite() {
  const version = electronVersion();
  const target = electronSqliteBinding(version);
  if (existsSync(target)) return target;
  const { rebuild } = await import('@electron/rebuild');
  const work = mkdtempSync(join(tmpdir(), 'pccovid-electron-native-'));
  try {
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'native-work', version: '0.0.0', dependencies: { 'better-sqlite3': '*' } }));
    cpSync(join(root, 'node_modules', 'better-sqlite3'), join(work, 'node_modules', 'better-sqlite3'), {
      recursive: true,
      filter: (source) => !source.includes(`${join('better-sqlite3', 'build')}`),
    });
    await rebuild({ buildPath: work, electronVersion: version, onlyModules: ['better-sqlite3'], force: true });
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(`${await buildElectronSqlite()}\n`);
  } catch (error) {
    process.stderr.write(
      `Could not build better-sqlite3 for Electron ${electronVersion()}: ${error instanceof Error ? error.message : String(error)}\n` +
        'This needs network access to download Electron headers and a C++ toolchain (python3, make, g++).\n' +
        'Meanwhile the kiosk runs in the web shell: pccovid-kiosk start --shell web\n',
    );
    process.exitCode = 1;
  }
}
