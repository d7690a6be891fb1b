// Where a worker thread's code comes from, for the kiosk's own workers (the status compaction,
// the WAL checkpointer):
//   - built (dist/cli.js, dist/electron/main.cjs): the worker's bundle next to the running bundle
//     (build/scripts/build.mjs writes one beside each), read with fs (so it loads from inside
//     app.asar too) and run as an eval'd script;
//   - from the sources (vitest, `npm run bench`): the worker's TypeScript entry next to the
//     module that starts it, through tsx's loader.
// An eval'd script resolves bare requires from the working directory, not from its bundle: a
// worker that loads a dependency (better-sqlite3) does it through createRequire(starter file).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface WorkerEntry {
  /** The TypeScript entry, beside the starting module in the sources. */
  readonly source: string;
  /** The bundle's file name, beside the running bundle once built. */
  readonly bundle: string;
}

/**
 * The worker's code, as a script for `new Worker(code, { eval: true })`; `fromFile` is the
 * starting module's own path (fileURLToPath(import.meta.url): the .ts file, or the bundle).
 */
export function bundledWorkerCode(fromFile: string, entry: WorkerEntry): string {
  const folder = dirname(fromFile);
  if (fromFile.endsWith('.ts')) {
    // tsx's ESM API (a development dependency) registers its loader in the worker, then the
    // TypeScript entry is imported.
    const require = createRequire(fromFile);
    const tsx = require('tsx/package.json') as { exports: Record<string, { import?: { default?: string } } | string> };
    const api = tsx.exports['./esm/api'];
    const apiPath = join(dirname(require.resolve('tsx/package.json')), typeof api === 'object' ? (api.import?.default ?? '') : '');
    const url = pathToFileURL(join(folder, entry.source)).href;
    return `import(${JSON.stringify(pathToFileURL(apiPath).href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
  }
  return readFileSync(join(folder, entry.bundle), 'utf8');
}
