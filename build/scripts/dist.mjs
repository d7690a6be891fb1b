// `npm run dist [-- <electron-builder options>]`: builds the installers into release/ (on Linux
// the AppImage and the deb, on Windows the NSIS installer; `-- --linux deb`, `-- --win`, `-- --arm64`
// choose others). In order:
//   1. checks that Electron itself can be had: its zip in electron's download cache, or the
//      download server reachable. Otherwise it stops here, with a sentence saying what to do;
//   2. the production build (dist/, no source maps) and the icons (build/icons/);
//   3. electron-builder, from the repository root, never publishing. If it fails, the sentence
//      says why in one line and where its full output is (release/electron-builder.log).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROBE_TIMEOUT_MS = 15_000;
const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/';

function fail(sentence) {
  process.stderr.write(`\nnpm run dist: ${sentence}\n`);
  process.exit(1);
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    return fail('the electron package is not installed: run "npm ci" first (ELECTRON_SKIP_BINARY_DOWNLOAD=1 is fine).');
  }
}

/** Where @electron/get keeps the Electron zips it downloaded (its own rules, same order). */
export function electronCacheDir(env = process.env, platform = process.platform) {
  const configured = env.electron_config_cache ?? env.ELECTRON_CACHE;
  if (configured) return configured;
  switch (platform) {
    case 'win32':
      return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
    case 'darwin':
      return join(homedir(), 'Library', 'Caches', 'electron');
    default:
      return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron');
  }
}

/** The zip, directly in the cache or in one of the per-URL folders @electron/get makes there. */
export function findCachedElectronZip(cacheDir, zipName) {
  if (!existsSync(cacheDir)) return null;
  const direct = join(cacheDir, zipName);
  if (existsSync(direct)) return direct;
  for (const entry of readdirSync(cacheDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const candidate = join(cacheDir, entry.name, zipName);
    if (existsSync(candidate) && statSync(candidate).size > 0) return candidate;
  }
  return null;
}

/** The platforms and architectures this run packages, from electron-builder's own flags. */
function requestedTargets(args) {
  const platforms = new Set();
  const archs = new Set();
  for (const arg of args) {
    if (arg === '--linux' || arg === '-l') platforms.add('linux');
    else if (arg === '--win' || arg === '-w' || arg === '--windows') platforms.add('win32');
    else if (arg === '--mac' || arg === '-m' || arg === '--macos') platforms.add('darwin');
    else if (['--x64', '--ia32', '--arm64', '--armv7l'].includes(arg)) archs.add(arg.slice(2));
  }
  if (platforms.size === 0) platforms.add(process.platform);
  if (archs.size === 0) archs.add(process.arch);
  return [...platforms].flatMap((platform) => [...archs].map((arch) => ({ platform, arch })));
}

async function probe(url) {
  try {
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return null;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return cause instanceof Error ? (cause.message || cause.name) : String(cause);
  }
}

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('error', (error) => resolve({ code: 1, error }));
    child.on('close', (code) => resolve({ code: code ?? 1 }));
  });
}

/** What electron-builder said went wrong: its last line marked ⨯ that has a message, without the stack. */
function errorSummary(output) {
  const marked = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('⨯'))
    .map((line) => line.replace(/^⨯\s*/, '').replace(/\s+(failedTask|stackTrace)=[\s\S]*$/, '').trim())
    .filter((line) => line !== '');
  return (marked.at(-1) ?? 'it stopped without saying why').slice(0, 300);
}

/**
 * electron-builder rebuilds the native addons for Electron in node_modules itself; the CLI, the
 * web shell and the tests need better-sqlite3 built for Node (the other addons use N-API, which
 * both accept). Put Node's build back if it is gone.
 */
async function restoreNodeAddons() {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root, encoding: 'utf8' });
  if (probe.status === 0) return;
  process.stdout.write('npm run dist: rebuilding better-sqlite3 for Node (electron-builder left it built for Electron)\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const rebuilt = await run(npm, ['rebuild', 'better-sqlite3'], { shell: process.platform === 'win32' });
  if (rebuilt.code !== 0) {
    process.stderr.write('npm run dist: "npm rebuild better-sqlite3" failed; run it before "npm test" or "npm start".\n');
  }
}

const NETWORK_ERROR = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up|network/i;

async function main() {
  const args = process.argv.slice(2);
  const version = electronVersion();
  const cacheDir = electronCacheDir();
  const missing = requestedTargets(args)
    .map(({ platform, arch }) => `electron-v${version}-${platform}-${arch}.zip`)
    .filter((zip) => findCachedElectronZip(cacheDir, zip) === null);

  if (missing.length > 0) {
    const mirror = process.env.ELECTRON_MIRROR ?? process.env.electron_config_mirror ?? DEFAULT_MIRROR;
    const host = (() => {
      try {
        return new URL(mirror).host;
      } catch {
        return mirror;
      }
    })();
    const problem = await probe(mirror);
    if (problem !== null) {
      fail(
        `cannot build the installers here: Electron ${version} (${missing.join(', ')}) is not in Electron's download cache (${cacheDir}) ` +
          `and ${host} cannot be reached (${problem}).\n` +
          'Build them on a machine with internet access (build/README.md, "Build the installers"), or copy the zip into that cache ' +
          '(or set ELECTRON_MIRROR to a mirror that has it) and run "npm run dist" again.',
      );
    }
  }

  const built = await run(process.execPath, [join(root, 'build', 'scripts', 'build.mjs')], {
    env: { ...process.env, NODE_ENV: 'production', PCCOVID_DIST_DIR: '' },
  });
  if (built.code !== 0) fail('the production build (build/scripts/build.mjs) failed: see its messages above.');
  const icons = await run(process.execPath, [join(root, 'build', 'scripts', 'make-icons.mjs')]);
  if (icons.code !== 0) fail('drawing the icons (build/scripts/make-icons.mjs) failed: see its messages above.');

  const releaseDir = join(root, 'release');
  mkdirSync(releaseDir, { recursive: true });
  const logPath = join(releaseDir, 'electron-builder.log');
  const log = createWriteStream(logPath);
  let output = '';
  let pending = '';
  // Its progress lines (•) are shown as they come; everything, stack traces included, goes to the log.
  const show = (chunk) => {
    const text = chunk.toString();
    output += text;
    log.write(chunk);
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (/^\s*•/.test(line)) process.stdout.write(`${line}\n`);
  };
  const builder = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--publish', 'never', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', show);
    child.stderr.on('data', show);
    child.on('error', (error) => resolve({ code: 1, error }));
    child.on('close', (code) => resolve({ code: code ?? 1 }));
  });
  await new Promise((resolve) => log.end(resolve));
  await restoreNodeAddons();

  if (builder.code === 0) {
    process.stdout.write(`\nnpm run dist: installers in ${releaseDir} (electron-builder's output: ${logPath})\n`);
    return;
  }
  const reason = builder.error instanceof Error ? builder.error.message : errorSummary(output);
  const network = NETWORK_ERROR.test(output)
    ? ' It had to download something (Electron, its headers for rebuilding the native modules, or fpm, the AppImage tools or NSIS) and could not: build on a machine with internet access.'
    : '';
  fail(`electron-builder could not build the installers: ${reason}.${network}\nIts full output is in ${logPath}.`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
