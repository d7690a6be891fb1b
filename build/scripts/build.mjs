// Bundles the TypeScript sources with esbuild into dist/: the CLI (Node ESM), the Electron main
// process and preload (CommonJS, as Electron's sandboxed preload requires), and the renderer
// (one browser bundle plus its static files). Dependencies stay external for Node targets so
// that native modules (better-sqlite3, node-hid, serialport) load from node_modules.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const production = process.env.NODE_ENV === 'production';

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'renderer'), { recursive: true });

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
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
    packages: 'external',
    external: ['electron'],
  }),
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
]);

await cp(join(root, 'src/renderer/static'), join(dist, 'renderer'), { recursive: true });
