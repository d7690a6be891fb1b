// Bundles the TypeScript sources with esbuild into dist/: the CLI (Node ESM), the Electron main
// process and preload (CommonJS, as Electron's sandboxed preload requires), and the renderer
// (one browser bundle plus its static files). Dependencies stay external for Node targets so
// that native modules (better-sqlite3, node-hid, serialport) load from node_modules; the Electron
// main bundle takes in the few that CommonJS cannot require (see requirableDependencies).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// PCCOVID_DIST_DIR builds elsewhere (the packaging test stages its own copy, so that it never
// races another test rebuilding dist/).
const dist = process.env.PCCOVID_DIST_DIR ? resolve(process.env.PCCOVID_DIST_DIR) : join(root, 'dist');
const production = process.env.NODE_ENV === 'production';

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'renderer'), { recursive: true });

// The Electron main bundle is CommonJS: it keeps external only the dependencies require() can
// load. An ESM-only package whose "exports" offer no "require" or "default" entry (cborg) would
// fail at start-up with ERR_PACKAGE_PATH_NOT_EXPORTED, in Electron as in Node, so it is bundled in.
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const requireFromRoot = createRequire(join(root, 'package.json'));
const requirableDependencies = Object.keys(manifest.dependencies ?? {}).filter((name) => {
  try {
    requireFromRoot.resolve(name);
    return true;
  } catch (error) {
    return error?.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
});

const packageVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  // The version the kiosk reports (src/main/core/open-kiosk-core.ts).
  define: { 'process.env.PCCOVID_KIOSK_VERSION': JSON.stringify(packageVersion) },
};

await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'src/main/cli/main.ts')],
    outfile: join(dist, 'cli.js'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: [join(root, 'src/hub/cli/main.ts')],
    outfile: join(dist, 'hub-cli.js'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: [join(root, 'src/main/electron/main.ts')],
    outfile: join(dist, 'electron/main.cjs'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', ...requirableDependencies.flatMap((name) => [name, `${name}/*`])],
    // CommonJS has no import.meta: code that finds files next to its own (the status compaction
    // worker) gets this bundle's URL instead of undefined.
    define: { ...common.define, 'import.meta.url': '__pccovidImportMetaUrl' },
    banner: { js: "const __pccovidImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  // The worker threads (src/main/bundled-worker.ts), one copy beside each bundle that may start
  // them: CommonJS run as eval'd worker scripts. The status compaction worker is self-contained;
  // the WAL checkpoint worker keeps better-sqlite3 external (a native addon) and requires it from
  // the starting bundle's folder.
  ...[
    ['src/main/status/compaction-worker.ts', 'status-compaction-worker.cjs'],
    ['src/main/store/checkpoint-worker.ts', 'wal-checkpoint-worker.cjs'],
  ].flatMap(([entry, name]) =>
    [name, `electron/${name}`].map((outfile) =>
      build({
        ...common,
        entryPoints: [join(root, entry)],
        outfile: join(dist, outfile),
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['better-sqlite3'],
        sourcemap: false,
      }),
    ),
  ),
  build({
    ...common,
    // A sandboxed preload may only require 'electron': everything else is bundled in.
    entryPoints: [join(root, 'src/main/electron/preload.ts')],
    outfile: join(dist, 'electron/preload.cjs'),
    platform: 'node',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
  }),
  build({
    ...common,
    entryPoints: [join(root, 'src/renderer/main.ts')],
    outfile: join(dist, 'renderer/renderer.js'),
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
  }),
  build({
    ...common,
    // The camera's QR decoding worker: a classic script (no module worker), which loads from
    // file:// in Electron as from the web shell.
    entryPoints: [join(root, 'src/renderer/camera-worker.ts')],
    outfile: join(dist, 'renderer/camera-worker.js'),
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  }),
]);

await cp(join(root, 'src/renderer/static'), join(dist, 'renderer'), { recursive: true });
