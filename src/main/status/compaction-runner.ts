// Runs a status compaction in a worker thread (compaction-worker.ts), so the kiosk's main thread
// never stops answering lookups while a hundred million entries are merged and written.
//
// Where the worker's code comes from:
//   - built (dist/cli.js, dist/electron/main.cjs): the bundle status-compaction-worker.cjs next
//     to the running bundle (build/scripts/build.mjs writes one beside each), read with fs (so
//     it loads from inside app.asar too) and run as an eval'd script;
//   - from the sources (vitest, `npm run bench`): compaction-worker.ts through tsx's loader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompactionReply, CompactionRequest } from './compaction-protocol.js';

export const COMPACTION_WORKER_BUNDLE = 'status-compaction-worker.cjs';

export type CompactionProgress = Exclude<CompactionReply, { kind: 'done' } | { kind: 'failed' }>;

export interface CompactionRun {
  /** The new table (shared memory), once written durably at the request's `out`; rejects on failure. */
  readonly done: Promise<Uint8Array>;
  /** Stops the worker; `done` rejects if it had not settled. */
  terminate(): Promise<void>;
}

/** The worker's code, as a script for `new Worker(code, { eval: true })`. */
export function compactionWorkerCode(fromFile: string = fileURLToPath(import.meta.url)): string {
  const folder = dirname(fromFile);
  if (fromFile.endsWith('.ts')) {
    // From the sources: tsx's ESM API (a development dependency) registers its loader in the
    // worker, then the TypeScript entry is imported.
    const require = createRequire(fromFile);
    const tsx = require('tsx/package.json') as { exports: Record<string, { import?: { default?: string } } | string> };
    const api = tsx.exports['./esm/api'];
    const apiPath = join(dirname(require.resolve('tsx/package.json')), typeof api === 'object' ? (api.import?.default ?? '') : '');
    const entry = pathToFileURL(join(folder, 'compaction-worker.ts')).href;
    return `import(${JSON.stringify(pathToFileURL(apiPath).href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  }
  return readFileSync(join(folder, COMPACTION_WORKER_BUNDLE), 'utf8');
}

export function runCompaction(request: CompactionRequest, onProgress?: (progress: CompactionProgress) => void): CompactionRun {
  let worker: Worker;
  try {
    worker = new Worker(compactionWorkerCode(), { eval: true });
  } catch (error) {
    return { done: Promise.reject(error instanceof Error ? error : new Error(String(error))), terminate: () => Promise.resolve() };
  }
  const done = new Promise<Uint8Array>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: { table: Uint8Array } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      if ('table' in outcome) resolve(outcome.table);
      else reject(outcome.error);
    };
    worker.on('message', (reply: CompactionReply) => {
      if (settled) return;
      if (reply.kind === 'done') settle({ table: reply.table });
      else if (reply.kind === 'failed') settle({ error: new Error(reply.message) });
      else onProgress?.(reply);
    });
    worker.on('error', (error) => settle({ error }));
    worker.on('exit', (code) => settle({ error: new Error(`the compaction worker stopped (exit code ${code}) before it was done`) }));
  });
  // The records' words move (no copy); the shared arrays are shared whatever the list says.
  const words = request.extraTupleWords.buffer;
  worker.postMessage(request, words instanceof ArrayBuffer ? [words] : []);
  return {
    done,
    terminate: async () => {
      await worker.terminate();
    },
  };
}
