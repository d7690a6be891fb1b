// What `npm run dist` would ship, checked on a real electron-builder run. Electron's binary cannot
// be downloaded here, so electron-builder packages against a stand-in Electron distribution
// (config electronDist: a folder with a fake `electron` carrying a real fuse wire) with the native
// rebuild off (npmRebuild: false; the addons stay built for Node, which lets this test load them).
// It builds the unpacked Linux app (`dir`) and the deb; fpm, which electron-builder would
// download, is a stand-in that records how it was called (CUSTOM_FPM_PATH), so the deb's
// scripts, dependencies and files are checked without building the archive itself.
//
// Everything happens in a staged copy of the project in a temporary folder (the project's own
// package.json, lock file, electron-builder.yml, build/, udev rules and node_modules, the latter
// hard-linked), with its own esbuild output: dist/ of the repository is rebuilt by other tests
// meanwhile.
import asar from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEB_MACROS, EXECUTABLE, INSTALL_DIR, renderTemplate, requireShellcheck, ROOT, shellcheck } from './package-kit.js';

const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, as a real binary carries them: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on. */
const DEFAULT_FUSES = '10110001';
/** How a fuse wire spells a fuse's state (@electron/fuses does not export its FuseState). */
const FUSE_OFF = '0'.charCodeAt(0);
const FUSE_ON = '1'.charCodeAt(0);
const TEST_CONFIG = 'electron-builder.packaging-test.yml';

interface PackageLock {
  packages: Record<string, { version?: string; dev?: boolean }>;
}

interface Recorded {
  args: string[];
  cwd: string;
  scripts: Record<string, string>;
}

let work: string;
let stage: string;
let release: string;
let appDir: string;
let archive: string;
let files: string[];
let fpm: Recorded;

function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${String(result.status)}):\n${output}`);
  return output;
}

/** A stand-in unpacked Electron for Linux: the files electron-builder moves around, and a fuse wire. */
function standInElectron(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  mkdirSync(join(dir, 'locales'), { recursive: true });
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('stand-in electron\n'), Buffer.from(FUSE_SENTINEL), Buffer.from([1, 8]), Buffer.from(DEFAULT_FUSES)]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'chrome-sandbox'), '');
  writeFileSync(join(dir, 'locales', 'en-US.pak'), '');
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
}

/** A stand-in fpm: records its arguments and the scripts it was given, and writes an empty package. */
function standInFpm(file: string, recordTo: string): void {
  writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const scripts = {};
for (const flag of ['--after-install', '--after-remove', '--before-remove']) {
  const i = args.indexOf(flag);
  if (i >= 0) scripts[flag] = fs.readFileSync(path.resolve(args[i + 1]), 'utf8');
}
fs.writeFileSync(${JSON.stringify(recordTo)}, JSON.stringify({ args, cwd: process.cwd(), scripts }));
const out = args[args.indexOf('--package') + 1];
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, 'stand-in deb');
`,
  );
  chmodSync(file, 0o755);
}

/**
 * A real node_modules in the stage: electron-builder asks `npm list` which packages are for
 * production, and npm counts a linked node_modules from another project as extraneous. Hard links
 * make the copy instant; across file systems it is a plain copy.
 */
function stageNodeModules(target: string): void {
  const linked = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), target], { encoding: 'utf8' });
  if (linked.status === 0) return;
  rmSync(target, { recursive: true, force: true });
  cpSync(join(ROOT, 'node_modules'), target, { recursive: true, verbatimSymlinks: true });
}

function entry(path: string): { unpacked?: boolean; size?: number } {
  return asar.statFile(archive, path.replace(/^\//, ''), false) as { unpacked?: boolean; size?: number };
}

/** The top-level packages under node_modules/ in the archive ("@scope/name" or "name"). */
function packagesIn(list: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const file of list) {
    const match = /^\/node_modules\/(@[^/]+\/[^/]+|[^@/][^/]*)(\/|$)/.exec(file);
    if (match?.[1] !== undefined) names.add(match[1]);
  }
  return names;
}

function fpmArgsAfter(flag: string): string | undefined {
  const i = fpm.args.indexOf(flag);
  return i >= 0 ? fpm.args[i + 1] : undefined;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pccovid-packaging-'));
  stage = join(work, 'stage');
  release = join(work, 'release');
  mkdirSync(stage);
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml']) cpSync(join(ROOT, file), join(stage, file));
  stageNodeModules(join(stage, 'node_modules'));
  cpSync(join(ROOT, 'build'), join(stage, 'build'), { recursive: true, filter: (source) => !source.startsWith(join(ROOT, 'build', 'icons')) });
  mkdirSync(join(stage, 'hardware'));
  cpSync(join(ROOT, 'hardware', 'udev'), join(stage, 'hardware', 'udev'), { recursive: true });

  // The build as `npm run build` makes it, source maps included: the package must leave them out.
  run(process.execPath, [join(ROOT, 'build', 'scripts', 'build.mjs')], { cwd: ROOT, env: { ...process.env, PCCOVID_DIST_DIR: join(stage, 'dist') } });
  run(process.execPath, [join(ROOT, 'build', 'scripts', 'make-icons.mjs'), join(stage, 'build', 'icons')], { cwd: ROOT });
  // Strays a careless build could leave: the file patterns must keep them out too.
  writeFileSync(join(stage, 'dist', 'electron', 'leftover.test.js'), 'test');
  writeFileSync(join(stage, 'dist', 'renderer', 'leftover.ts'), 'export {};');

  standInElectron(join(work, 'electron-dist'));
  standInFpm(join(work, 'fpm'), join(work, 'fpm.json'));
  writeFileSync(
    join(stage, TEST_CONFIG),
    [
      '# The real electron-builder.yml, with a stand-in Electron and no native rebuild.',
      'extends: ./electron-builder.yml',
      `electronDist: ${JSON.stringify(join(work, 'electron-dist'))}`,
      'npmRebuild: false',
      'directories:',
      `  output: ${JSON.stringify(release)}`,
      '',
    ].join('\n'),
  );

  run(
    process.execPath,
    [join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', 'deb', '--x64', '--publish', 'never', '--config', TEST_CONFIG],
    { cwd: stage, env: { ...process.env, CUSTOM_FPM_PATH: join(work, 'fpm'), CI: 'true' } },
  );

  appDir = join(release, 'linux-unpacked');
  archive = join(appDir, 'resources', 'app.asar');
  files = asar.listPackage(archive, { isPack: false }).map((file) => file.split('\\').join('/'));
  fpm = JSON.parse(readFileSync(join(work, 'fpm.json'), 'utf8')) as Recorded;
}, 600_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('app.asar', () => {
  it('holds the main entry, the preload and the renderer, byte for byte as built', () => {
    for (const file of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/renderer.js', 'dist/renderer/camera-worker.js', 'dist/renderer/styles.css', 'dist/electron/status-compaction-worker.cjs', 'dist/electron/wal-checkpoint-worker.cjs']) {
      expect(files, file).toContain(`/${file}`);
      expect(asar.extractFile(archive, file).equals(readFileSync(join(stage, file))), file).toBe(true);
    }
  });

  it('starts at dist/electron/main.cjs', () => {
    const manifest = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as { main?: string; name?: string };
    expect(manifest).toMatchObject({ name: 'pccovid-kiosk', main: 'dist/electron/main.cjs' });
  });

  it('has no source maps, TypeScript, tests, CLI, hub or sources', () => {
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => /\.(ts|mts|cts)$/.test(file))).toEqual([]);
    expect(files.filter((file) => /(\.(test|spec)\.[cm]?js$)|(\/(test|tests|__tests__)(\/|$))|(\/test\.js$)/.test(file))).toEqual([]);
    expect(files.filter((file) => /^\/(src|bin|test|bench|build|hardware)(\/|$)/.test(file))).toEqual([]);
    expect(files).not.toContain('/dist/cli.js');
    expect(files).not.toContain('/dist/hub-cli.js');
  });

  it('has every production dependency and no development one', () => {
    const shipped = packagesIn(files);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies)) expect(shipped, dependency).toContain(dependency);
    // Each package in the archive is a copy the lock file installs for production, at that version
    // (electron-builder may hoist a nested copy, so names alone would not say it).
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as PackageLock;
    const production = new Set<string>();
    const development = new Set<string>();
    for (const [path, info] of Object.entries(lock.packages)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path)?.[1];
      if (name === undefined || info.version === undefined) continue;
      (info.dev === true ? development : production).add(`${name}@${info.version}`);
    }
    const inArchive = files
      .filter((file) => /^(\/node_modules\/(?:@[^/]+\/)?[^/@][^/]*)+\/package\.json$/.test(file))
      .map((file) => JSON.parse(asar.extractFile(archive, file.slice(1)).toString('utf8')) as { name?: string; version?: string })
      .filter((pkg) => pkg.name !== undefined && pkg.version !== undefined)
      .map((pkg) => `${pkg.name ?? ''}@${pkg.version ?? ''}`);
    expect(inArchive.length).toBeGreaterThan(50);
    expect(inArchive.filter((id) => !production.has(id))).toEqual([]);
    for (const tool of ['electron', 'electron-builder', 'vitest', 'esbuild', 'typescript', '@electron/asar']) expect(shipped, tool).not.toContain(tool);
    expect([...development].some((id) => id.startsWith('electron-builder@'))).toBe(true);
  });
});

describe('native modules', () => {
  it('are unpacked from the archive: every .node file', () => {
    const natives = files.filter((file) => file.endsWith('.node'));
    expect(natives.length).toBeGreaterThan(0);
    for (const file of natives) {
      expect(entry(file).unpacked, file).toBe(true);
      expect(existsSync(join(`${archive}.unpacked`, file)), file).toBe(true);
    }
  });

  it('include better-sqlite3, node-hid and serialport for Linux', () => {
    const unpacked = `${archive}.unpacked`;
    expect(existsSync(join(unpacked, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(readdirSync(join(unpacked, 'node_modules/node-hid/prebuilds'))).toContain('HID_hidraw-linux-x64');
    expect(readdirSync(join(unpacked, 'node_modules/@serialport/bindings-cpp/prebuilds'))).toContain('linux-x64');
    // Sources and build leftovers stay out.
    expect(files.filter((file) => /better-sqlite3\/(deps|src)\/|node-hid\/(hidapi|src)\/|test_extension/.test(file))).toEqual([]);
  });

  it('load from the packaged tree: the main entry starts, better-sqlite3 opens a database, the drivers load', () => {
    const extracted = join(work, 'extracted');
    asar.extractAll(archive, extracted);
    // Electron is stubbed: this proves the bundle's own requires resolve inside the package.
    const probe = `
      const Module = require('node:module');
      const calls = [];
      const electron = { app: { requestSingleInstanceLock: () => false, quit: () => calls.push('quit'), on() {} } };
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) { return request === 'electron' ? 'electron' : resolve.call(this, request, ...rest); };
      require.cache.electron = { id: 'electron', filename: 'electron', loaded: true, exports: electron };
      require(${JSON.stringify(join(extracted, 'dist/electron/main.cjs'))});
      const Database = require(${JSON.stringify(join(extracted, 'node_modules/better-sqlite3'))});
      const db = new Database(':memory:');
      const row = db.prepare('select sqlite_version() as v').get();
      // The drivers load these lazily; they must load from the package too (prebuilt N-API addons).
      require(${JSON.stringify(join(extracted, 'node_modules/node-hid'))});
      require(${JSON.stringify(join(extracted, 'node_modules/serialport'))});
      const updater = require.cache[require.resolve(${JSON.stringify(join(extracted, 'node_modules/electron-updater'))})] !== undefined;
      process.stdout.write(JSON.stringify({ calls, sqlite: row.v, updater }));
    `;
    const output = run(process.execPath, ['-e', probe], { cwd: work, env: { ...process.env, PCCOVID_LOG_LEVEL: 'silent' } });
    const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { calls: string[]; sqlite: string; updater: boolean };
    expect(result.calls).toEqual(['quit']);
    expect(result.sqlite).toMatch(/^3\./);
    // The main entry loaded electron-updater from the package.
    expect(result.updater).toBe(true);
  });

  it('run the WAL checkpoint worker from the packaged tree: its bundle, eval\'d, loads better-sqlite3 beside the main entry', () => {
    const extracted = join(work, 'extracted');
    if (!existsSync(extracted)) asar.extractAll(archive, extracted);
    // As src/main/store/checkpoint.ts starts it (checkpoint-protocol.ts: command RUN, then STOP;
    // state 3 is closed), from a working directory with no node_modules.
    const probe = `
      const { Worker } = require('node:worker_threads');
      const { readFileSync } = require('node:fs');
      const path = require('node:path');
      const Database = require(${JSON.stringify(join(extracted, 'node_modules/better-sqlite3'))});
      const file = path.join(${JSON.stringify(work)}, 'checkpoint-probe.db');
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('wal_autocheckpoint = 0');
      db.exec('CREATE TABLE t (x BLOB)');
      for (let i = 0; i < 50; i++) db.prepare('INSERT INTO t VALUES (randomblob(4000))').run();
      const control = new Int32Array(new SharedArrayBuffer(12));
      const code = readFileSync(${JSON.stringify(join(extracted, 'dist/electron/wal-checkpoint-worker.cjs'))}, 'utf8');
      const worker = new Worker(code, { eval: true, workerData: { control: control.buffer, databasePath: file, intervalMs: 10, requireFrom: ${JSON.stringify(join(extracted, 'dist/electron/main.cjs'))} } });
      const replies = [];
      worker.on('message', (m) => replies.push(m.kind));
      const deadline = Date.now() + 20000;
      const check = () => {
        if ((Atomics.load(control, 2) === 0 || replies.length === 0) && Date.now() < deadline) return setTimeout(check, 20);
        Atomics.store(control, 0, 2);
        Atomics.notify(control, 0);
        while (Atomics.load(control, 1) !== 3 && Date.now() < deadline) Atomics.wait(control, 1, Atomics.load(control, 1), 100);
        const [result] = db.pragma('wal_checkpoint(PASSIVE)');
        process.stdout.write(JSON.stringify({ replies, runs: Atomics.load(control, 2), state: Atomics.load(control, 1), backfilled: result.log === result.checkpointed }));
        db.close();
      };
      check();
    `;
    const output = run(process.execPath, ['-e', probe], { cwd: work });
    const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { replies: string[]; runs: number; state: number; backfilled: boolean };
    expect(result.replies).toEqual(['ready']);
    expect(result.runs).toBeGreaterThan(0);
    expect(result.state).toBe(3);
    expect(result.backfilled).toBe(true);
  });
});

describe('the Electron binary', () => {
  it('is the app executable, with the kiosk fuses flipped', async () => {
    const binary = join(appDir, EXECUTABLE);
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FUSE_OFF);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FUSE_OFF);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FUSE_OFF);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FUSE_ON);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FUSE_ON);
    // Left as Electron ships them: the renderer is loaded from file://.
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FUSE_ON);
  });

  it('has the udev rules beside it, for installs without the deb', () => {
    expect(readFileSync(join(appDir, 'resources', 'udev', '70-pccovid-scanners.rules'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'hardware', 'udev', '70-pccovid-scanners.rules'), 'utf8'),
    );
  });
});

describe('the deb', () => {
  it('runs the maintainer scripts from build/deb, filled in like the checked templates', () => {
    expect(fpm.scripts['--after-install']).toBe(renderTemplate(readFileSync(join(ROOT, 'build/deb/postinst'), 'utf8'), DEB_MACROS));
    expect(fpm.scripts['--after-remove']).toBe(renderTemplate(readFileSync(join(ROOT, 'build/deb/postrm'), 'utf8'), DEB_MACROS));
    expect(fpm.scripts['--before-remove']).toBe(readFileSync(join(ROOT, 'build/deb/prerm'), 'utf8'));
    requireShellcheck();
    for (const [flag, text] of Object.entries(fpm.scripts)) {
      const file = join(work, `fpm${flag}`);
      writeFileSync(file, text);
      expect(shellcheck(file).output, flag).toBe('');
    }
  });

  it('installs the app in /opt, and the units, udev rules, PAM service and update helper from the repository', () => {
    const mappings = new Map(
      fpm.args
        .filter((arg) => /^[^-].*=\//.test(arg))
        .map((arg) => {
          const at = arg.lastIndexOf('=/');
          return [arg.slice(at + 1), arg.slice(0, at)] as const;
        }),
    );
    expect(mappings.get(INSTALL_DIR)).toBe(`${appDir}/`);
    const expected: Record<string, string> = {
      '/usr/lib/systemd/system/pccovid-kiosk.service': 'build/linux/pccovid-kiosk.service',
      '/usr/lib/systemd/system/pccovid-kiosk-update.path': 'build/linux/pccovid-kiosk-update.path',
      '/usr/lib/systemd/system/pccovid-kiosk-update.service': 'build/linux/pccovid-kiosk-update.service',
      '/usr/lib/pccovid-kiosk/install-update': 'build/linux/install-update',
      '/usr/share/pccovid-kiosk/update-keys/': 'build/update-keys/',
      '/etc/pam.d/pccovid-kiosk': 'build/linux/pam-pccovid-kiosk',
      '/usr/lib/udev/rules.d/70-pccovid-scanners.rules': 'hardware/udev/70-pccovid-scanners.rules',
    };
    for (const [destination, source] of Object.entries(expected)) {
      expect(mappings.get(destination), destination).toBe(source);
      // fpm resolves sources from its working directory: the project root.
      expect(existsSync(join(fpm.cwd, source)), source).toBe(true);
    }
    expect(relative(stage, fpm.cwd)).toBe('');
    expect(fpmArgsAfter('--name')).toBe('pccovid-kiosk');
  });

  it('depends on cage and adduser besides what Electron needs', () => {
    const depends = fpm.args.flatMap((arg, i) => (arg === '-d' ? [fpm.args[i + 1]] : []));
    expect(depends).toEqual(expect.arrayContaining(['cage', 'adduser', 'openssl', 'libgtk-3-0', 'libnss3']));
  });

  it('can update itself: app-update.yml names the generic server, package-type says deb', () => {
    const resources = join(appDir, 'resources');
    expect(readFileSync(join(resources, 'package-type'), 'utf8').trim()).toBe('deb');
    const updateConfig = readFileSync(join(resources, 'app-update.yml'), 'utf8');
    expect(updateConfig).toMatch(/provider: generic/);
    expect(updateConfig).toMatch(/updaterCacheDirName: pccovid-kiosk-updater/);
    // The update server's index for Linux lists the package with its hash.
    const latest = readFileSync(join(release, 'latest-linux.yml'), 'utf8');
    expect(latest).toMatch(/pccovid-kiosk_0\.1\.0_amd64\.deb/);
    expect(latest).toMatch(/sha512: /);
  });
});
