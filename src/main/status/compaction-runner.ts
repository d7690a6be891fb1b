// Runs a status compaction in a worker thread (compaction-worker.ts), so the kiosk's main thread
// never stops answering lookups while a hundred million entries are merged and written.
//
// Where the worker's code comes from (../bundled-worker.ts): built, the bundle
// status-compaction-worker.cjs next to the running bundle (dist/cli.js, dist/electron/main.cjs);
// from the sources (vitest, `npm run bench`), compaction-worker.ts through tsx's loader.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bundledWorkerCode } from '../bundled-worker.js';
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
  return bundledWorkerCode(fromFile, { source: 'compaction-worker.ts', bundle: COMPACTION_WORKER_BUNDLE });
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
